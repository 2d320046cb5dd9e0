from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MONDAY, StaffingCase

TUESDAY = date(2030, 3, 5)
WEDNESDAY = date(2030, 3, 6)
FRIDAY = date(2030, 3, 8)
LEAVE_ACTIVITY = "resource_sharing.mail_activity_type_leave"
ESCALATION_ACTIVITY = "resource_sharing.mail_activity_type_escalation"


class RestaffingCase(StaffingCase):
    """Alice confirmed 8 h a day on the position in the first week; an HR
    officer enters leave and public holidays. No tests of its own: approved
    time off (hr_holidays) is tested in resource_forecast, which depends on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # time-off officers enter public holidays; without Time Off, admins do
        officer = (
            "hr_holidays.group_hr_holidays_user"
            if "hr.leave" in cls.env
            else "base.group_system"
        )
        cls.hr_officer = new_test_user(
            cls.env,
            "rs_hr_officer",
            groups=f"hr.group_hr_user,{officer}",
            name="HR Hanne",
        )
        cls.other_project = cls.env["project.project"].create(
            {"name": "Limburg CRM", "partner_id": cls.customer.id}
        )
        cls.request.action_submit()
        cls.request.with_user(cls.planner).action_start()
        # Alice works 8 h a day on the position in the first week
        cls.allocation = cls.env["staffing.allocation"].create(
            {
                "employee_id": cls.alice.id,
                "request_line_id": cls.line.id,
                "date_start": MONDAY,
                "date_end": FRIDAY,
                "allocated_hours": 40,
            }
        )
        cls.allocation.with_user(cls.planner).action_confirm()

    def _leave_activities(self, record):
        activity_type = self.env.ref(LEAVE_ACTIVITY)
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def _public_holiday(self, day):
        """A public holiday of the full-time calendar, entered by HR."""
        return (
            self.env["resource.calendar.leaves"]
            .with_user(self.hr_officer)
            .create(
                {
                    "name": "Public holiday",
                    "calendar_id": self.calendar.id,
                    "date_from": datetime(day.year, day.month, day.day, 5),
                    "date_to": datetime(day.year, day.month, day.day, 19),
                }
            )
        )

    def _book_bob_on_leave_days(self):
        """Bob, otherwise free, is fully booked elsewhere on Tuesday and Wednesday."""
        busy = self.env["staffing.allocation"].create(
            {
                "employee_id": self.bob.id,
                "project_id": self.other_project.id,
                "date_start": TUESDAY,
                "date_end": WEDNESDAY,
                "allocated_hours": 16,
            }
        )
        busy.with_user(self.planner).action_confirm()
        return busy

    def _commit_hooks(self):
        """Run what the transaction does when it commits."""
        self.env.cr.flush()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestRestaffing(RestaffingCase):
    """Public holidays and days off on confirmed work ask for re-staffing."""

    def test_public_holiday_hits_and_removal_gives_back(self):
        """A public holiday takes a day's hours; deleting it gives them back."""
        holiday = self._public_holiday(date(2030, 3, 7))
        self._commit_hooks()
        allocation = self.allocation.with_user(self.planner)
        self.assertEqual(allocation.leave_lost_hours, 8.0)
        # 40 h over the four working days left: 10 h a day for 8 h capacity
        self.assertTrue(allocation.is_overloaded)
        self.assertEqual(allocation.hours_per_day, 10.0)
        self.assertEqual(len(self._leave_activities(allocation)), 1)
        holiday.with_user(self.hr_officer).unlink()
        self._commit_hooks()
        self.assertEqual(allocation.leave_lost_hours, 0.0)
        self.assertFalse(allocation.is_overloaded)
        self.assertFalse(self._leave_activities(allocation), "nothing left to do")
        self.assertIn(
            "8.0 h of this allocation are back", allocation.message_ids[0].body
        )

    def test_many_hit_allocations_are_ranked_in_background(self):
        """Above the limit, substitutes are ranked by background jobs; a job
        skips what was re-planned meanwhile."""
        self.env["ir.config_parameter"].set_param(
            "resource_sharing.restaffing_sync_limit", "1"
        )
        bob_work = self._book_bob_on_leave_days()
        with trap_jobs() as trap:
            self._public_holiday(TUESDAY)
            self._commit_hooks()
            trap.assert_jobs_count(2)
            self.assertFalse(self._leave_activities(self.allocation))
            self.assertEqual(self.allocation.leave_lost_hours, 8.0)
            self.assertEqual(bob_work.leave_lost_hours, 8.0)
            # the planner gives Bob's lost hours up before the job runs
            bob_work.with_user(self.planner).allocated_hours = 8
            self.assertEqual(bob_work.leave_lost_hours, 0.0)
            trap.perform_enqueued_jobs()
        activity = self._leave_activities(self.allocation)
        self.assertEqual(len(activity), 1)
        self.assertIn("loses 8.0 h", activity.note)
        # the holiday is everybody's: the ranking finds nobody free that day
        self.assertIn("Nobody with the mandatory skills is free", activity.note)
        self.assertFalse(self._leave_activities(bob_work))

    def test_all_planners_without_request_planner(self):
        """Without a planner on the request, every planner of the company is asked."""
        self.request.planner_id = False
        self._public_holiday(date(2030, 3, 7))
        self._commit_hooks()
        users = self._leave_activities(self.allocation).user_id
        self.assertIn(self.planner, users)
        self.assertIn(self.planner2, users)
        self.assertNotIn(self.user, users)

    def test_leave_without_allocations_does_nothing(self):
        """Leave of a consultant without confirmed work changes nothing."""
        self.env["staffing.allocation"].create(
            {
                "employee_id": self.bob.id,
                "request_line_id": self.line.id,
                "date_start": MONDAY,
                "date_end": FRIDAY,
                "allocated_hours": 8,
            }
        )  # tentative only
        activities = self.env["mail.activity"].search_count([])
        messages = self.env["mail.message"].search_count([])
        for employee in (self.carol, self.bob):
            self.env["resource.calendar.leaves"].with_user(self.hr_officer).create(
                {
                    "name": "Day off",
                    "resource_id": employee.resource_id.id,
                    "calendar_id": self.calendar.id,
                    "date_from": datetime(2030, 3, 5, 5, 0),
                    "date_to": datetime(2030, 3, 5, 19, 0),
                }
            )
        self._commit_hooks()
        self.assertEqual(self.env["mail.activity"].search_count([]), activities)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        self.assertFalse(
            self.env["staffing.allocation"].search([("leave_lost_hours", ">", 0)])
        )

    def test_replanning_clears_lost_hours(self):
        """Once the planner re-plans the hours, the loss is absorbed."""
        self._public_holiday(date(2030, 3, 7))
        self._commit_hooks()
        allocation = self.allocation.with_user(self.planner)
        allocation.allocated_hours = 32
        self.assertEqual(allocation.leave_lost_hours, 0.0)
        self.assertFalse(allocation.is_overloaded)

    def test_lost_hours_not_written_by_users(self):
        """Nobody writes the hours lost to leave, not even a planner."""
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            self.allocation.with_user(self.planner).leave_lost_hours = 0.5
        self.assertEqual(self.allocation.leave_lost_hours, 0.0)

    def test_candidates_on_some_days(self):
        """Candidates ranked on some days count every booking of those days."""
        self._book_bob_on_leave_days()
        line = self.line.with_user(self.planner)
        whole = {c["employee_id"]: c for c in line.get_candidates()}
        days = {
            c["employee_id"]: c
            for c in line.get_candidates(
                date_from=TUESDAY, date_to=WEDNESDAY.isoformat(), hours=16
            )
        }
        self.assertEqual(whole[self.bob.id]["available_hours"], 64.0)
        self.assertEqual(days[self.bob.id]["available_hours"], 0.0)
        self.assertEqual(days[self.xavier.id]["available_hours"], 16.0)
        self.assertEqual(days[self.xavier.id]["needed_hours"], 16.0)

    def test_candidates_bad_days_or_hours(self):
        """Days outside the position, reversed days or bad hours are refused."""
        line = self.line.with_user(self.planner)
        for kwargs in (
            {"date_from": WEDNESDAY, "date_to": TUESDAY},
            {"date_from": date(2030, 3, 1), "date_to": TUESDAY},
            {"date_from": "not a date", "date_to": TUESDAY},
        ):
            with self.subTest(**kwargs), self.assertRaisesRegex(UserError, "days"):
                line.get_candidates(**kwargs)
        for hours in (0, -8, "abc", float("nan")):
            with self.subTest(hours=hours):
                with self.assertRaisesRegex(UserError, "positive number of hours"):
                    line.get_candidates(date_from=TUESDAY, hours=hours)


@tagged("post_install", "-at_install")
class TestEscalationLadder(StaffingCase):
    """An escalation not staffed by its deadline climbs the company's ladder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.staffing_escalation_ladder = "1,3"
        cls.pmo_manager = new_test_user(
            cls.env,
            "rs_pmo_manager",
            groups="resource_sharing.group_manager",
            name="PMO Manager Max",
        )
        cls.settings_admin = new_test_user(
            cls.env,
            "rs_settings_admin",
            groups="base.group_system,resource_sharing.group_manager",
            name="Admin Ada",
        )
        cls.director = new_test_user(
            cls.env,
            "rs_director",
            groups="resource_sharing.group_user",
            name="Director Dora",
        )
        director_employee = cls.env["hr.employee"].create(
            {"name": "Director Dora", "user_id": cls.director.id}
        )
        cls.env["hr.employee"].create(
            {
                "name": "Sales Sam",
                "user_id": cls.user.id,
                "parent_id": director_employee.id,
            }
        )
        with freeze_time("2030-02-26"):
            cls.request.with_user(cls.user).write(
                {"priority": "1", "staffing_deadline": "2030-03-01"}
            )
            cls.request.action_submit()

    def _run_cron(self, day):
        with freeze_time(day):
            self.env.ref(
                "resource_sharing.ir_cron_escalation_ladder"
            ).method_direct_trigger()
        self.env.invalidate_all()

    def _escalations(self, user):
        activity_type = self.env.ref(ESCALATION_ACTIVITY)
        return self.request.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == activity_type
                and a.user_id == user
                and "Escalation step" in a.note
            )
        )

    def _steps_posted(self):
        subtype = self.env.ref("resource_sharing.mt_request_escalated")
        return self.request.message_ids.filtered(lambda m: m.subtype_id == subtype)

    def test_steps_fire_on_their_day_once(self):
        """Step 1 fires the day after the deadline, step 2 three days after, once."""
        self._run_cron("2030-03-01")
        self.assertEqual(self.request.escalation_step, 0)
        self.assertFalse(self._escalations(self.pmo_manager))

        self._run_cron("2030-03-02")
        self.assertEqual(self.request.escalation_step, 1)
        self.assertEqual(len(self._escalations(self.pmo_manager)), 1)
        self.assertFalse(self._escalations(self.director))
        step = self._steps_posted()
        self.assertEqual(len(step), 1)
        self.assertIn("Escalation step 1", step.body)
        self.assertIn("PMO Manager Max", step.body)
        self.assertIn(self.pmo_manager.partner_id, step.partner_ids)

        self._run_cron("2030-03-02")
        self._run_cron("2030-03-03")
        self.assertEqual(len(self._escalations(self.pmo_manager)), 1)
        self.assertFalse(self._escalations(self.director))
        self.assertEqual(len(self._steps_posted()), 1)

        self._run_cron("2030-03-04")
        self.assertEqual(self.request.escalation_step, 2)
        self.assertEqual(len(self._escalations(self.director)), 1)
        step = self._steps_posted()[0]
        self.assertIn("Escalation step 2", step.body)
        self.assertIn("raised to Director Dora", step.body)
        self.assertIn("engagement manager Sales Sam", step.body)

        self._run_cron("2030-03-05")
        self.assertEqual(len(self._steps_posted()), 2)
        self.assertEqual(len(self._escalations(self.director)), 1)

    def test_missed_days_fire_each_step(self):
        """A cron that did not run for days fires the steps due, in order."""
        self._run_cron("2030-03-10")
        self.assertEqual(self.request.escalation_step, 2)
        bodies = self._steps_posted().mapped("body")
        self.assertIn("Escalation step 1", bodies[1])
        self.assertIn("Escalation step 2", bodies[0])

    def test_staffed_or_normal_requests_do_not_climb(self):
        """Cancelled escalations and normal requests stay where they are."""
        other = self.request.copy({"priority": "0", "staffing_deadline": "2030-03-01"})
        self.request.action_cancel()
        self._run_cron("2030-03-10")
        self.assertEqual((self.request.escalation_step, other.escalation_step), (0, 0))
        self.assertFalse(self._steps_posted())

    def test_new_deadline_restarts_the_ladder(self):
        """Moving the deadline starts the ladder again."""
        self._run_cron("2030-03-02")
        self.request.with_user(self.planner).staffing_deadline = date(2030, 3, 20)
        self.assertEqual(self.request.escalation_step, 0)

    def test_step_not_written_by_users(self):
        """The step reached is the ladder's to write."""
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            self.request.with_user(self.planner).escalation_step = 2
        self.assertEqual(self.request.escalation_step, 0)

    def test_ladder_setting_bad_input(self):
        """Non-increasing or non-day ladders are refused with a clear message."""
        settings = self.env["res.config.settings"].with_user(self.settings_admin)
        for ladder, message in (
            ("3,3", "must increase"),
            ("5,2", "must increase"),
            ("0,2", "whole days"),
            ("one,two", "whole days"),
            ("1,2,3", "two steps at most"),
        ):
            with self.subTest(ladder=ladder):
                with self.assertRaisesRegex(ValidationError, message):
                    settings.create({"staffing_escalation_ladder": ladder}).execute()
        settings.create({"staffing_escalation_ladder": "2, 5"}).execute()
        self.assertEqual(self.company.staffing_escalation_ladder, "2, 5")
        self.assertEqual(self.company._get_staffing_escalation_ladder(), (2, 5))

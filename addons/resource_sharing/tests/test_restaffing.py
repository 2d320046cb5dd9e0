from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import MONDAY, StaffingCase

TUESDAY = date(2030, 3, 5)
WEDNESDAY = date(2030, 3, 6)
FRIDAY = date(2030, 3, 8)
LEAVE_ACTIVITY = "resource_sharing.mail_activity_type_leave"


@tagged("post_install", "-at_install")
class TestRestaffing(StaffingCase):
    """Approved leave and public holidays on confirmed work ask for re-staffing."""

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

    def test_approved_leave_lost_hours_and_substitutes(self):
        """Approved time off shows the lost hours and proposes who is free."""
        if "hr.leave" not in self.env:
            self.skipTest("hr_holidays is not installed")
        self._book_bob_on_leave_days()
        leave_type = self.env["hr.leave.type"].create(
            {
                "name": "Restaffing test leave",
                "requires_allocation": "no",
                "leave_validation_type": "hr",
            }
        )
        self.hr_officer.groups_id += self.env.ref("hr_holidays.group_hr_holidays_user")
        leave = (
            self.env["hr.leave"]
            .with_user(self.employee_user)
            .create(
                {
                    "employee_id": self.alice.id,
                    "holiday_status_id": leave_type.id,
                    "request_date_from": TUESDAY,
                    "request_date_to": WEDNESDAY,
                }
            )
        )
        self._commit_hooks()
        self.assertFalse(self.allocation.leave_lost_hours, "not approved yet")
        leave.with_user(self.hr_officer).action_approve()
        self._commit_hooks()

        allocation = self.allocation.with_user(self.planner)
        self.assertEqual(allocation.leave_lost_hours, 16.0)
        self.assertTrue(allocation.is_overloaded)
        self.assertEqual(
            (allocation.state, allocation.allocated_hours, allocation.date_end),
            ("confirmed", 40.0, FRIDAY),
            "the plan is the planner's to change",
        )
        activity = self._leave_activities(allocation)
        self.assertEqual(activity.user_id, self.planner)
        self.assertIn("Alice Expert is away on", activity.note)
        self.assertIn("loses 16.0 h", activity.note)
        self.assertIn("now over capacity", activity.note)
        self.assertIn("Xavier External: score", activity.note)
        self.assertIn("16.0 h free", activity.note)
        self.assertNotIn("Bob Medior", activity.note, "Bob is booked on those days")
        message = self.request.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("resource_sharing.mt_request_leave")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.user.partner_id)
        self.assertIn("Alice Expert on Brabant ERP: 16.0 h lost", message.body)

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
        self.assertEqual(len(self._leave_activities(allocation)), 1, "no new to-do")

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

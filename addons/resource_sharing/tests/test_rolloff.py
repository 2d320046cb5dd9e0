from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import FRIDAY_NEXT, MONDAY, StaffingCase

RADAR = "staffing.rolloff"


@tagged("post_install", "-at_install")
class TestRolloffRadar(StaffingCase):
    """Today is Monday 2030-02-18; Alice's confirmed work ends on Friday
    2030-03-01, two weeks out; the fixture's architect position starts the
    Monday after."""

    @classmethod
    def setUpClass(cls):
        cls.startClassPatcher(freeze_time("2030-02-18"))
        super().setUpClass()
        cls.other_project = cls.env["project.project"].create(
            {"name": "Zeeland Support", "partner_id": cls.customer.id}
        )
        cls.current = cls.env["staffing.allocation"].create(
            {
                "employee_id": cls.alice.id,
                "project_id": cls.other_project.id,
                "date_start": date(2030, 2, 18),
                "date_end": date(2030, 3, 1),
                "allocated_hours": 40.0,
            }
        )
        cls.current.with_user(cls.planner).action_confirm()
        # Carol rolls off in ten weeks, beyond the six-week horizon
        later = cls.env["staffing.allocation"].create(
            {
                "employee_id": cls.carol.id,
                "project_id": cls.other_project.id,
                "date_start": date(2030, 2, 18),
                "date_end": date(2030, 4, 26),
                "allocated_hours": 40.0,
            }
        )
        later.with_user(cls.planner).action_confirm()
        cls.scientist_line = cls.env["staffing.request.line"].create(
            {
                "request_id": cls.request.id,
                "role_id": cls.role_scientist.id,
                "planned_hours": 40.0,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
                "skill_requirement_ids": (
                    cls.role_scientist._prepare_skill_requirement_commands()
                ),
            }
        )

    def radar(self, user=None):
        return self.env[RADAR].with_user(user or self.planner).search([])

    def test_rolloff_two_weeks_out_matched_to_the_right_position(self):
        self.start_request()
        row = self.radar().filtered(lambda r: r.employee_id == self.alice)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.rolloff_date, date(2030, 3, 1))
        self.assertEqual(row.free_from, date(2030, 3, 2))
        # the four weeks from Saturday 2 March hold 20 working days of 8 hours
        self.assertEqual(row.free_hours, 160.0)
        self.assertEqual(row.best_position_id, self.line)
        self.assertEqual(row.match_ids, self.line)
        self.assertGreater(row.best_score, 0)
        # Bob has no confirmed work, Carol rolls off beyond the horizon
        self.assertEqual(self.radar().employee_id, self.alice)

    def test_positions_of_a_draft_request_do_not_match(self):
        row = self.radar()
        self.assertEqual(row.employee_id, self.alice)
        self.assertFalse(row.best_position_id)
        self.assertEqual(row.match_count, 0)

    def test_horizon_setting_and_bad_weeks(self):
        self.company.staffing_rolloff_weeks = 1
        self.assertFalse(self.radar())
        self.company.staffing_rolloff_weeks = 10
        self.assertEqual(
            set(self.radar().employee_id.ids), {self.alice.id, self.carol.id}
        )
        for weeks in (0, -3):
            with self.assertRaisesRegex(ValidationError, "at least one week"):
                self.company.staffing_rolloff_weeks = weeks
        self.assertEqual(self.company.staffing_rolloff_weeks, 10)

    def test_tentative_booking_after_rolloff_lowers_free_hours(self):
        self.start_request()
        self.allocate(self.alice, 24.0)
        row = self.radar().filtered(lambda r: r.employee_id == self.alice)
        self.assertEqual(row.free_hours, 136.0)

    def test_allocate_best_match_tentatively(self):
        self.start_request()
        row = self.radar()
        action = row.action_allocate_best()
        allocation = self.env["staffing.allocation"].browse(action["res_id"])
        self.assertEqual(allocation.employee_id, self.alice)
        self.assertEqual(allocation.request_line_id, self.line)
        self.assertEqual(allocation.allocated_hours, 40.0)
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(
            row.action_find_candidates()["res_model"], "staffing.candidate.search"
        )

    def test_only_planners_read_the_radar(self):
        for user in (self.user, self.project_manager, self.employee_user):
            with self.assertRaises(AccessError):
                self.env[RADAR].with_user(user).search([])

    def test_weekly_digest_mail_and_one_todo(self):
        self.start_request()
        self.env[RADAR]._cron_send_digest()
        mails = self.env["mail.mail"].search([("subject", "ilike", "Roll-off radar")])
        self.assertEqual(len(mails), 1)
        self.assertIn("Alice Expert", mails.body_html)
        self.assertIn(self.planner.partner_id, mails.recipient_ids)
        activity_type = self.env.ref("resource_sharing.mail_activity_type_rolloff")
        todos = self.alice.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(todos), 1)
        self.assertTrue(todos.user_id.has_group("resource_sharing.group_planner"))
        self.assertEqual(todos.date_deadline, date(2030, 3, 1))
        self.env[RADAR]._cron_send_digest()
        self.assertEqual(
            len(
                self.alice.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
            ),
            1,
        )

    def test_digest_todo_goes_to_the_planner_of_the_last_request(self):
        """Each consultant's to-do goes to the planner of the request of their
        confirmed work that ends last; without one (Carol's work has no
        request), to a planner of the company."""
        self.company.staffing_rolloff_weeks = 10
        self.start_request()
        other_planner = self.planner.copy({"login": "rs_radar_other_planner"})
        self.request.planner_id = other_planner
        self.allocate(self.alice, 40.0).with_user(self.planner).action_confirm()
        self.env[RADAR]._cron_send_digest()
        activity_type = self.env.ref("resource_sharing.mail_activity_type_rolloff")
        todos = self.env["mail.activity"].search(
            [("activity_type_id", "=", activity_type.id)]
        )
        by_employee = {todo.res_id: todo for todo in todos}
        self.assertEqual(set(by_employee), {self.alice.id, self.carol.id})
        self.assertEqual(by_employee[self.alice.id].user_id, other_planner)
        self.assertEqual(by_employee[self.alice.id].date_deadline, FRIDAY_NEXT)
        self.assertTrue(
            by_employee[self.carol.id].user_id.has_group(
                "resource_sharing.group_planner"
            )
        )
        self.assertEqual(by_employee[self.carol.id].date_deadline, date(2030, 4, 26))

    def test_lent_consultant_shows_to_the_borrower(self):
        """A planner of a borrowing company sees the lender's roll-offs."""
        company_be = self.env["res.company"].create({"name": "Radar Belgium"})
        self.calendar.company_id = False
        self.alice.company_id = company_be
        self.assertFalse(self.radar())
        manager = self.env["res.users"].create(
            {
                "name": "Manager Both",
                "login": "rs_radar_manager",
                "groups_id": [
                    Command.link(self.env.ref("resource_sharing.group_manager").id)
                ],
                "company_id": self.company.id,
                "company_ids": [Command.set((self.company | company_be).ids)],
            }
        )
        self.env["staffing.sharing.agreement"].with_user(manager).create(
            {
                "lending_company_id": company_be.id,
                "borrowing_company_id": self.company.id,
            }
        )
        self.assertEqual(self.radar().employee_id, self.alice)

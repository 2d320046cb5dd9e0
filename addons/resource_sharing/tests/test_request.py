from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import FRIDAY_NEXT, MONDAY, StaffingCase


@tagged("post_install", "-at_install")
class TestStaffingRequest(StaffingCase):
    def test_user_hands_over_request(self):
        """A sales user creates a request and hands it over to the PMO."""
        request = (
            self.env["staffing.request"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date_start": MONDAY,
                    "date_end": FRIDAY_NEXT,
                    "line_ids": [
                        Command.create(
                            {"role_id": self.role_architect.id, "planned_hours": 16}
                        )
                    ],
                }
            )
        )
        self.assertTrue(request.name.startswith("SR/"))
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.line_ids.date_start, MONDAY)
        self.assertEqual(
            request.line_ids.skill_requirement_ids.skill_id,
            self.skill_sap | self.skill_python,
        )

    def test_user_cannot_start(self):
        """Only planners take a request in progress."""
        self.request.action_submit()
        with self.assertRaisesRegex(UserError, "Only PMO planners"):
            self.request.with_user(self.user).action_start()
        self.assertEqual(self.request.state, "submitted")

    def test_planner_starts_and_becomes_owner(self):
        """Starting a request makes the planner its owner."""
        self.start_request()
        self.assertEqual(self.request.state, "in_progress")
        self.assertEqual(self.request.planner_id, self.planner)

    def test_submit_without_positions_refused(self):
        """A request without positions cannot be handed over."""
        request = self.env["staffing.request"].create(
            {
                "partner_id": self.customer.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
            }
        )
        with self.assertRaisesRegex(UserError, "at least one position"):
            request.action_submit()
        self.assertEqual(request.state, "draft")

    def test_cannot_start_from_draft(self):
        """A transition from the wrong state names the record."""
        with self.assertRaisesRegex(UserError, self.request.name):
            self.request.with_user(self.planner).action_start()
        self.assertEqual(self.request.state, "draft")

    def test_state_write_is_guarded(self):
        """Writing a state directly follows the same table as the buttons."""
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            self.request.write({"state": "done"})
        self.assertEqual(self.request.state, "draft")

    def test_staffed_follows_lines(self):
        """The request is staffed when confirmed allocations cover every line."""
        self.start_request()
        allocation = self.allocate(self.alice, 40)
        self.assertEqual(self.line.state, "partial")
        allocation.with_user(self.planner).action_confirm()
        self.assertEqual(self.line.state, "staffed")
        self.assertEqual(self.request.state, "staffed")
        allocation.with_user(self.planner).action_cancel()
        self.assertEqual(self.line.state, "open")
        self.assertEqual(self.request.state, "in_progress")

    def test_staffed_cannot_be_forced(self):
        """Writing 'staffed' on a request with open lines is refused."""
        self.start_request()
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            self.request.write({"state": "staffed"})
        with self.assertRaisesRegex(UserError, "staffed exactly when"):
            self.request._write_action_values({"state": "staffed"})

    def test_done_and_forbidden_for_user(self):
        """Closing a staffed request is a planner's move."""
        self.start_request()
        self.allocate(self.alice, 40).with_user(self.planner).action_confirm()
        with self.assertRaisesRegex(UserError, "Only PMO planners"):
            self.request.with_user(self.user).action_done()
        self.request.with_user(self.planner).action_done()
        self.assertEqual(self.request.state, "done")

    def test_cancel_cancels_allocations_and_keeps_history(self):
        """Cancelling a request cancels its open allocations without deleting."""
        self.start_request()
        tentative = self.allocate(self.bob, 10)
        confirmed = self.allocate(self.alice, 20)
        confirmed.with_user(self.planner).action_confirm()
        self.request.with_user(self.planner).action_cancel()
        self.assertEqual(self.request.state, "cancelled")
        self.assertEqual((tentative | confirmed).mapped("state"), ["cancelled"] * 2)
        self.assertEqual(self.line.state, "cancelled")
        self.assertTrue(tentative.exists() and confirmed.exists())

    def test_user_cannot_cancel_in_progress(self):
        """Once the PMO works on it, only planners cancel a request."""
        self.start_request()
        with self.assertRaisesRegex(UserError, "Only PMO planners"):
            self.request.with_user(self.user).action_cancel()

    def test_reset_to_draft(self):
        """A cancelled request can be reset to draft and reopens its lines."""
        self.request.action_cancel()
        self.request.action_draft()
        self.assertEqual(self.request.state, "draft")
        self.assertEqual(self.line.state, "open")

    def test_unlink_with_history_refused(self):
        """A request with history is cancelled, never deleted."""
        self.start_request()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            self.request.unlink()
        self.assertTrue(self.request.exists())

    def test_unlink_draft_allowed(self):
        """A draft request without allocations may be deleted."""
        request = self.request.copy()
        request.unlink()
        self.assertFalse(request.exists())

    def test_end_before_start_refused(self):
        """A request ending before it starts is refused and not created."""
        count = self.env["staffing.request"].search_count([])
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.env["staffing.request"].create(
                {
                    "partner_id": self.customer.id,
                    "date_start": FRIDAY_NEXT,
                    "date_end": MONDAY,
                }
            )
        self.assertEqual(self.env["staffing.request"].search_count([]), count)

    def test_line_without_role_refused(self):
        """Every position needs a role."""
        with self.assertRaisesRegex(ValidationError, "needs a role"):
            self.env["staffing.request.line"].create(
                {"request_id": self.request.id, "planned_hours": 8}
            )
        self.assertEqual(len(self.request.line_ids), 1)

    def test_line_zero_hours_refused(self):
        """A position needs a positive number of hours."""
        with self.assertRaisesRegex(ValidationError, "positive number of hours"):
            self.line.planned_hours = 0
        self.line.invalidate_recordset()
        self.assertEqual(self.line.planned_hours, 40)

    @freeze_time("2030-02-01")
    def test_escalation_notifies_planners(self):
        """An escalation gives each planner an activity with the deadline."""
        self.company.staffing_escalation_days = 3
        self.request.priority = "1"
        activities = self.request.activity_ids
        self.assertIn(self.planner.id, activities.user_id.ids)
        self.assertIn(self.planner2.id, activities.user_id.ids)
        self.assertEqual(str(self.request.staffing_deadline), "2030-02-04")
        self.assertEqual(
            set(activities.mapped("date_deadline")), {self.request.staffing_deadline}
        )

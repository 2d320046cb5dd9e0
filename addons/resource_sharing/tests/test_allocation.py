from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import FRIDAY_NEXT, MONDAY, StaffingCase


@tagged("post_install", "-at_install")
class TestAllocationFlow(StaffingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request.action_submit()
        cls.request.with_user(cls.planner).action_start()

    def _external(self, hours=16, justification="No SAP expert free in March"):
        return self.allocate(
            self.xavier, hours, external_justification=justification
        ).with_user(self.planner)

    # internal ---------------------------------------------------------------

    def test_defaults_from_line(self):
        """An allocation on a line takes its project, period and open hours."""
        allocation = self.env["staffing.allocation"].create(
            {"employee_id": self.bob.id, "request_line_id": self.line.id}
        )
        self.assertEqual(allocation.project_id, self.project)
        self.assertEqual(allocation.date_start, MONDAY)
        self.assertEqual(allocation.date_end, FRIDAY_NEXT)
        self.assertEqual(allocation.allocated_hours, 40)
        self.assertEqual(allocation.role_id, self.role_architect)
        self.assertEqual(allocation.sold_rate, 140)
        self.assertEqual(allocation.hours_per_day, 4)

    def test_planner_confirms_internal(self):
        """A planner confirms an internal allocation."""
        allocation = self.allocate(self.bob, 20).with_user(self.planner)
        allocation.action_confirm()
        self.assertEqual(allocation.state, "confirmed")

    def test_user_cannot_confirm(self):
        """A sales user cannot confirm allocations."""
        allocation = self.allocate(self.bob, 20)
        with self.assertRaises(UserError):
            allocation.with_user(self.user).action_confirm()
        self.assertEqual(allocation.state, "draft")

    def test_internal_needs_no_approval(self):
        """Asking approval for an internal consultant is refused."""
        allocation = self.allocate(self.bob, 20).with_user(self.planner)
        with self.assertRaisesRegex(UserError, "no approval is needed"):
            allocation.action_request_approval()
        self.assertEqual(allocation.state, "draft")

    def test_back_to_tentative_and_cancel(self):
        """Confirmed allocations go back to tentative or get cancelled."""
        allocation = self.allocate(self.bob, 20).with_user(self.planner)
        allocation.action_confirm()
        allocation.action_draft()
        self.assertEqual(allocation.state, "draft")
        allocation.action_cancel()
        self.assertEqual(allocation.state, "cancelled")
        with self.assertRaisesRegex(UserError, "Cannot cancel"):
            allocation.action_cancel()

    # external ---------------------------------------------------------------

    def test_external_cannot_be_confirmed_directly(self):
        """The confirm button refuses an external consultant."""
        allocation = self._external()
        with self.assertRaisesRegex(UserError, "ask for approval"):
            allocation.action_confirm()
        self.assertEqual(allocation.state, "draft")

    def test_external_write_confirmed_refused(self):
        """An RPC-style write of 'confirmed' on an unapproved external fails."""
        allocation = self._external()
        allocation.action_request_approval()
        with self.assertRaises(UserError):
            allocation.write({"state": "confirmed"})
        with self.assertRaises(UserError):
            allocation.write({"state": "confirmed", "approver_id": self.approver.id})
        allocation.invalidate_recordset()
        self.assertEqual(allocation.state, "to_approve")
        self.assertFalse(allocation.approver_id)

    def test_external_create_confirmed_refused(self):
        """Creating an external allocation straight as confirmed fails."""
        count = self.env["staffing.allocation"].search_count([])
        with self.assertRaises(UserError):
            self.env["staffing.allocation"].with_user(self.planner).create(
                {
                    "employee_id": self.xavier.id,
                    "request_line_id": self.line.id,
                    "allocated_hours": 8,
                    "external_justification": "Import",
                    "state": "confirmed",
                }
            )
        self.assertEqual(self.env["staffing.allocation"].search_count([]), count)

    def test_approval_needs_justification(self):
        """An external allocation without justification is not sent."""
        allocation = self._external(justification=False)
        with self.assertRaisesRegex(ValidationError, "why no internal"):
            allocation.action_request_approval()
        self.assertEqual(allocation.state, "draft")

    def test_request_approval_snapshot_and_activity(self):
        """Requesting approval freezes candidates and tells the approvers."""
        allocation = self._external()
        allocation.action_request_approval()
        self.assertEqual(allocation.state, "to_approve")
        self.assertEqual(allocation.requested_by_id, self.planner)
        self.assertIn("Alice Expert", allocation.internal_candidates_note)
        self.assertNotIn("Carol", allocation.internal_candidates_note)
        self.assertIn(self.approver2, allocation.activity_ids.user_id)
        self.assertEqual(allocation.cost_rate, 70)

    def test_approver_approves(self):
        """Another approver approves; who and when are kept."""
        allocation = self._external()
        allocation.action_request_approval()
        allocation.with_user(self.approver2).action_approve()
        self.assertEqual(allocation.state, "confirmed")
        self.assertEqual(allocation.approver_id, self.approver2)
        self.assertTrue(allocation.approval_date)
        self.assertFalse(allocation.activity_ids)
        last = allocation.message_ids[0]
        self.assertIn(self.planner.partner_id, last.partner_ids)
        self.assertIn("approved", last.body)

    def test_planner_cannot_approve(self):
        """A planner without the approver group cannot approve."""
        allocation = self._external()
        allocation.action_request_approval()
        with self.assertRaisesRegex(UserError, "Only approvers"):
            allocation.with_user(self.planner2).action_approve()
        self.assertEqual(allocation.state, "to_approve")

    def test_nobody_approves_own_request(self):
        """An approver who asked the approval cannot give it."""
        allocation = self._external().with_user(self.approver)
        allocation.action_request_approval()
        with self.assertRaisesRegex(UserError, "another approver"):
            allocation.action_approve()
        self.assertEqual(allocation.state, "to_approve")
        self.assertFalse(allocation.approver_id)

    def test_approve_not_waiting_refused(self):
        """Approving something that does not wait for approval is refused."""
        allocation = self._external()
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            allocation.with_user(self.approver2).action_approve()
        self.assertEqual(allocation.state, "draft")

    def test_reject_with_reason(self):
        """An approver rejects with a reason and the requester is told."""
        allocation = self._external()
        allocation.action_request_approval()
        action = allocation.with_user(self.approver2).action_reject()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.approver2)
            .with_context(**action["context"])
        )
        wizard.reason = "Too expensive for this customer"
        wizard.save().action_reject()
        self.assertEqual(allocation.state, "rejected")
        self.assertEqual(allocation.rejection_reason, "Too expensive for this customer")
        self.assertIn("Too expensive", allocation.message_ids[0].body)
        allocation.action_request_approval()
        self.assertEqual(allocation.state, "to_approve")

    def test_reject_without_reason_refused(self):
        """A rejection needs a reason."""
        allocation = self._external()
        allocation.action_request_approval()
        with self.assertRaisesRegex(UserError, "why"):
            allocation.with_user(self.approver2)._do_reject("  ")
        self.assertEqual(allocation.state, "to_approve")

    def test_approval_fields_cannot_be_written(self):
        """Approver and date are only set by approving."""
        allocation = self._external()
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            allocation.write({"approver_id": self.approver.id})
        self.assertFalse(allocation.approver_id)

    def test_to_approve_by_me(self):
        """'To approve by me' lists what others asked, not one's own requests."""
        mine = self._external().with_user(self.approver)
        mine.action_request_approval()
        theirs = self._external(hours=8)
        theirs.action_request_approval()
        found = (
            self.env["staffing.allocation"]
            .with_user(self.approver)
            .search([("can_approve", "=", True)])
        )
        self.assertIn(theirs, found)
        self.assertNotIn(mine, found)
        self.assertFalse(
            self.env["staffing.allocation"]
            .with_user(self.planner2)
            .search([("can_approve", "=", True)])
        )

    def test_swap_consultant_on_confirmed_refused(self):
        """A confirmed allocation keeps its consultant: cancel instead."""
        allocation = self.allocate(self.bob, 8).with_user(self.planner)
        allocation.action_confirm()
        with self.assertRaisesRegex(UserError, "instead of swapping"):
            allocation.employee_id = self.alice
        self.assertEqual(allocation.employee_id, self.bob)

    def test_approved_terms_changed_need_new_approval(self):
        """Changing hours or period of an approved external asks approval again."""
        allocation = self._external()
        allocation.action_request_approval()
        allocation.with_user(self.approver2).action_approve()
        allocation.allocated_hours = 30
        self.assertEqual(allocation.state, "to_approve")
        self.assertFalse(allocation.approver_id)
        self.assertFalse(allocation.approval_date)
        self.assertEqual(allocation.requested_by_id, self.planner)
        allocation.with_user(self.approver2).action_approve()
        allocation.date_end = date(2030, 3, 14)
        self.assertEqual(allocation.state, "to_approve")
        self.assertIn(
            "approval must be given again",
            "".join(allocation.message_ids.mapped("body")),
        )

    # bad input --------------------------------------------------------------

    def test_end_before_start_refused(self):
        """An allocation that ends before it starts is refused."""
        count = self.env["staffing.allocation"].search_count([])
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.allocate(self.bob, 8, date_start=FRIDAY_NEXT, date_end=MONDAY)
        self.assertEqual(self.env["staffing.allocation"].search_count([]), count)

    def test_hours_must_be_positive(self):
        """Zero or negative hours are refused."""
        for hours in (0, -4):
            with self.assertRaisesRegex(
                ValidationError, "positive number of hours|cannot be negative"
            ):
                self.allocate(self.bob, hours)
        self.assertFalse(self.line.allocation_ids)

    def test_outside_line_period_refused(self):
        """An allocation must stay within its position's period."""
        with self.assertRaisesRegex(ValidationError, "within the period"):
            self.allocate(self.bob, 8, date_end=date(2030, 3, 20))
        self.assertFalse(self.line.allocation_ids)

    def test_archived_consultant_refused(self):
        """An archived consultant cannot be staffed."""
        self.carol.active = False
        with self.assertRaisesRegex(ValidationError, "archived"):
            self.allocate(self.carol, 8)
        self.assertFalse(self.line.allocation_ids)

    def test_unlink_with_history_refused(self):
        """A confirmed allocation is cancelled, never deleted."""
        allocation = self.allocate(self.bob, 8)
        allocation.with_user(self.planner).action_confirm()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            allocation.unlink()
        self.assertTrue(allocation.exists())

    def test_unlink_fresh_tentative_allowed(self):
        """A tentative allocation without history may be deleted."""
        allocation = self.allocate(self.bob, 8)
        allocation.with_user(self.planner).unlink()
        self.assertFalse(allocation.exists())

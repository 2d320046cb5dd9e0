from odoo.tests import tagged

from odoo.addons.resource_sharing.tests.test_restaffing import (
    FRIDAY,
    TUESDAY,
    WEDNESDAY,
    RestaffingCase,
)


@tagged("post_install", "-at_install")
class TestLeaveRestaffing(RestaffingCase):
    """Approved time off (hr_holidays, a dependency of this addon) on confirmed
    work asks for re-staffing."""

    def test_approved_leave_lost_hours_and_substitutes(self):
        """Approved time off shows the lost hours and proposes who is free."""
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

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import StaffingCase


@tagged("post_install", "-at_install")
class TestUnfillable(StaffingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request.action_submit()
        cls.request.with_user(cls.planner).action_start()

    def _mark(self, reason="Every SAP expert is booked"):
        action = self.line.with_user(self.planner).action_mark_unfillable()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.planner)
            .with_context(**action["context"])
        )
        form.reason = reason
        return form.save()

    @freeze_time("2030-02-01")
    def test_mark_unfillable_with_advice(self):
        """The advice is posted and the project people get a to-do."""
        wizard = self._mark()
        self.assertEqual(wizard.advice, "postpone")
        self.assertEqual(str(wizard.advised_date), "2030-03-04")
        wizard.action_confirm()
        self.assertEqual(self.line.state, "unfillable")
        self.assertEqual(self.line.unfillable_reason, "Every SAP expert is booked")
        message = self.request.message_ids[0]
        self.assertIn("Nobody fits", message.body)
        self.assertIn("feasible from 2030-03-04", message.body)
        self.assertIn(self.user.partner_id, message.partner_ids)
        self.assertIn(self.project_manager.partner_id, message.partner_ids)
        activity_users = self.request.activity_ids.user_id
        self.assertIn(self.user, activity_users)
        self.assertIn(self.project_manager, activity_users)

    @freeze_time("2030-02-01")
    def test_reopen(self):
        """Reopening an unfillable line makes it open again."""
        self._mark().action_confirm()
        self.line.with_user(self.planner).action_reopen()
        self.assertEqual(self.line.state, "open")
        self.assertFalse(self.line.unfillable_reason)

    def test_reopen_open_line_refused(self):
        """Only unfillable lines can be reopened."""
        with self.assertRaisesRegex(UserError, "not marked unfillable"):
            self.line.action_reopen()

    @freeze_time("2030-02-01")
    def test_staffed_line_cannot_be_unfillable(self):
        """A staffed position is not marked unfillable."""
        allocation = self.allocate(self.alice, 40)
        allocation.with_user(self.planner).action_confirm()
        with self.assertRaisesRegex(UserError, "not open"):
            self.line.with_user(self.planner).action_mark_unfillable()

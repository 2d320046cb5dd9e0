from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import StaffingCase

# (action, starting state, external?) -> groups allowed to do it
ALLOCATION_MATRIX = {
    ("action_confirm", "draft", False): {"planner", "approver"},
    ("action_request_approval", "draft", True): {"planner", "approver"},
    ("action_approve", "to_approve", True): {"approver", "approver2"},
    ("action_reject", "to_approve", True): {"approver", "approver2"},
    ("action_cancel", "draft", False): {"planner", "approver"},
    ("action_draft", "confirmed", False): {"planner", "approver"},
}
REQUEST_MATRIX = {
    ("action_submit", "draft"): {"user", "planner", "approver", "approver2"},
    ("action_start", "submitted"): {"planner", "approver"},
    ("action_cancel", "submitted"): {"user", "planner", "approver", "approver2"},
    ("action_cancel", "in_progress"): {"planner", "approver"},
    ("action_draft", "submitted"): {"user", "planner", "approver", "approver2"},
}
USERS = ("user", "planner", "approver", "approver2")


@tagged("post_install", "-at_install")
class TestTransitionMatrix(StaffingCase):
    """Every transition, tried by every group: allowed ones pass, others fail."""

    def _user(self, name):
        return getattr(self, name)

    def _allocation_in(self, state, external):
        if self.request.state == "draft":
            self.start_request()
        employee = self.xavier if external else self.bob
        allocation = self.allocate(
            employee, 4, external_justification="Only partner has it"
        )
        if state == "to_approve":
            allocation.with_user(self.planner).action_request_approval()
        elif state == "confirmed":
            allocation.action_confirm()
        return allocation

    def _request_in(self, state):
        request = self.request.copy({"engagement_manager_id": self.user.id})
        if state in ("submitted", "in_progress"):
            request.action_submit()
        if state == "in_progress":
            request.action_start()
        return request

    def _try(self, record, action):
        try:
            with self.env.cr.savepoint():
                result = getattr(record, action)()
                if action == "action_reject":
                    wizard = self.env[result["res_model"]].with_user(record.env.user)
                    wizard.with_context(**result["context"]).create(
                        {"reason": "No budget"}
                    ).action_reject()
                record.env.flush_all()
                state = record.state
                raise RollbackAfter(state)
        except RollbackAfter as done:
            return True, done.state
        except (UserError, AccessError):
            return False, None
        finally:
            self.env.invalidate_all()

    def test_allocation_transitions(self):
        """Allocation buttons per group match the rights table."""
        for (action, state, external), allowed in ALLOCATION_MATRIX.items():
            allocation = self._allocation_in(state, external)
            for name in USERS:
                record = allocation.with_user(self._user(name))
                done, _new_state = self._try(record, action)
                with self.subTest(action=action, state=state, user=name):
                    self.assertEqual(done, name in allowed)
                self.assertEqual(allocation.state, state)

    def test_request_transitions(self):
        """Request buttons per group match the rights table."""
        for (action, state), allowed in REQUEST_MATRIX.items():
            request = self._request_in(state)
            for name in USERS:
                done, _new_state = self._try(
                    request.with_user(self._user(name)), action
                )
                with self.subTest(action=action, state=state, user=name):
                    self.assertEqual(done, name in allowed)
                self.assertEqual(request.state, state)


class RollbackAfter(Exception):
    """Carries the state reached, and rolls the savepoint back."""

    def __init__(self, state):
        super().__init__(state)
        self.state = state

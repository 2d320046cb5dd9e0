from odoo import models
from odoo.exceptions import UserError


class StaffingStateMixin(models.AbstractModel):
    """One guarded state machine for staffing documents.

    ``state`` is owned by the actions (see ``staffing.guard.mixin``): a caller's
    ``create``, ``write`` or import cannot set it. The actions' writes still pass
    :meth:`write`, so the transition table and the rights checks hold whatever
    action, cron or server code moves a record.
    """

    _name = "staffing.state.mixin"
    _inherit = "staffing.guard.mixin"
    _description = "Staffing State Machine"

    _action_fields = frozenset({"state"})

    # {target state: allowed source states}; set by each model
    _state_transitions = {}

    def _get_state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(
            state, state
        )

    def _check_state_transition(self, new_state, vals):
        """Refuse a transition the table does not allow, then check the right."""
        allowed = self._state_transitions.get(new_state)
        if allowed is None:
            raise UserError(
                self.env._("%(state)s is not a known state.", state=new_state)
            )
        for record in self:
            if record.state != new_state and record.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(name)s cannot go from %(current)s to %(target)s.",
                        name=record.display_name,
                        current=record._get_state_label(record.state),
                        target=record._get_state_label(new_state),
                    )
                )
        changing = self.filtered(lambda rec: rec.state != new_state)
        if changing:
            changing._check_state_right(new_state, vals)

    def _check_source_state(self, states, message):
        """Refuse a button on records outside its source states.

        :param message: translated, with ``%(name)s`` and ``%(state)s``
        """
        for record in self:
            if record.state not in states:
                raise UserError(
                    message
                    % {
                        "name": record.display_name,
                        "state": record._get_state_label(record.state),
                    }
                )

    def _check_state_right(self, new_state, vals):
        """Hook: raise when the current user may not move these records."""

    def _check_group(self, xmlid, message):
        if self and not self.env.su and not self.env.user.has_group(xmlid):
            raise UserError(message)

    def _check_guarded_values(self, vals, creating=False):
        result = super()._check_guarded_values(vals, creating=creating)
        if "state" in vals and not creating:
            self._check_state_transition(vals["state"], vals)
        return result

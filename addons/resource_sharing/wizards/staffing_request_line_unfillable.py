from odoo import fields, models
from odoo.exceptions import UserError

from ..models.staffing_request_line import ADVICE_SELECTION


class StaffingRequestLineUnfillable(models.TransientModel):
    _name = "staffing.request.line.unfillable"
    _description = "Mark Position Unfillable"

    line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Position",
        required=True,
        ondelete="cascade",
    )
    reason = fields.Text(required=True, help="Why nobody fits this position.")
    advice = fields.Selection(selection=ADVICE_SELECTION, required=True)
    advised_date = fields.Date(
        string="Feasible From",
        help="Earliest date from which a consultant meeting the mandatory skills "
        "has the hours free.",
    )
    advised_role_id = fields.Many2one(
        comodel_name="staffing.role", string="Other Profile"
    )

    def action_confirm(self):
        self.ensure_one()
        line = self.line_id
        if line.state not in ("open", "partial"):
            raise UserError(
                self.env._(
                    "Position %(name)s is not open anymore.", name=line.display_name
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why nobody fits the position."))
        line._check_planner(
            self.env._("Only PMO planners can mark a position unfillable.")
        )
        line._write_action_values(self._prepare_line_values())
        self._notify_project(line)
        line.request_id._sync_staffed_state()
        return {"type": "ir.actions.act_window_close"}

    def _prepare_line_values(self):
        return {
            "is_unfillable": True,
            "unfillable_reason": self.reason,
            "unfillable_advice": self.advice,
            "advised_date": self.advised_date,
            "advised_role_id": self.advised_role_id.id,
        }

    def _get_advice_text(self):
        advice = dict(self._fields["advice"]._description_selection(self.env))[
            self.advice
        ]
        parts = [advice]
        if self.advised_date:
            parts.append(
                self.env._(
                    "feasible from %(date)s",
                    date=fields.Date.to_string(self.advised_date),
                )
            )
        if self.advised_role_id:
            parts.append(
                self.env._("profile: %(role)s", role=self.advised_role_id.name)
            )
        return ", ".join(parts)

    def _notify_project(self, line):
        """Tell the engagement manager and the project manager, with advice."""
        request = line.request_id
        body = self.env._(
            "Nobody fits position %(position)s: %(reason)s. Advice: %(advice)s.",
            position=line.display_name,
            reason=self.reason,
            advice=self._get_advice_text(),
        )
        users = request.engagement_manager_id | request.project_id.user_id
        request.message_post(
            body=body,
            partner_ids=users.partner_id.ids,
            subtype_xmlid="resource_sharing.mt_request_unfillable",
        )
        for user in users:
            request.activity_schedule(
                "resource_sharing.mail_activity_type_unfillable",
                user_id=user.id,
                note=body,
            )

from odoo import api, fields, models
from odoo.exceptions import UserError


class StaffingPartnerRequestSend(models.TransientModel):
    """Send a position to one or more partner companies."""

    _name = "staffing.partner.request.send"
    _description = "Ask Partner Companies"

    request_line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Position",
        required=True,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="request_line_id.currency_id")
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Partner Companies",
        domain=[("is_staffing_partner", "=", True)],
    )
    max_rate = fields.Monetary(
        string="Maximum Rate", help="Highest hourly rate partners may offer."
    )
    note = fields.Text(string="Message to the Partners")

    @api.model
    def _check_number(self, value):
        return value == value and value not in (float("inf"), float("-inf"))

    def action_send(self):
        self.ensure_one()
        if not self.partner_ids:
            raise UserError(self.env._("Choose at least one partner company."))
        if self.max_rate < 0 or not self._check_number(self.max_rate):
            raise UserError(self.env._("A maximum rate must be above zero."))
        line = self.request_line_id
        if line.state not in ("open", "partial"):
            raise UserError(
                self.env._(
                    "%(position)s has nothing left to staff.",
                    position=line.display_name,
                )
            )
        requests = self.env["staffing.partner.request"].create(
            [
                {
                    "request_line_id": line.id,
                    "partner_company_id": partner.id,
                    "hours": line.remaining_hours,
                    "max_rate": self.max_rate,
                    "note": self.note,
                }
                for partner in self.partner_ids
            ]
        )
        requests.action_send()
        return {"type": "ir.actions.act_window_close"}

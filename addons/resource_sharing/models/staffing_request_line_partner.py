from odoo import fields, models

# who works with partner requests and their offers
PARTNER_GROUPS = "resource_sharing.group_planner,resource_sharing.group_approver"


class StaffingRequestLinePartner(models.Model):
    """A position's requests to partner companies and what they offered."""

    _inherit = "staffing.request.line"

    partner_request_ids = fields.One2many(
        comodel_name="staffing.partner.request",
        inverse_name="request_line_id",
        string="Requests for Partners",
        groups=PARTNER_GROUPS,
    )
    partner_proposal_ids = fields.One2many(
        comodel_name="staffing.partner.proposal",
        inverse_name="request_line_id",
        string="Partner Proposals",
        groups=PARTNER_GROUPS,
    )

    def action_ask_partners(self):
        """Choose the partner companies to send this position to."""
        self.ensure_one()
        self._check_planner(self.env._("Only planners ask partner companies."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ask Partner Companies"),
            "res_model": "staffing.partner.request.send",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_request_line_id": self.id},
        }

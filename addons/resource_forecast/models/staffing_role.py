from odoo import models


class StaffingRole(models.Model):
    _inherit = "staffing.role"

    def write(self, vals):
        result = super().write(vals)
        if "bill_rate" in vals:
            # sudo: every booking of the role, whoever may read it
            allocations = (
                self.env["staffing.allocation"]
                .sudo()
                .search([("role_id", "in", self.ids), ("state", "!=", "cancelled")])
            )
            self.env["staffing.forecast.line"]._refresh_ranges(
                allocations._get_forecast_ranges()
            )
        return result

from odoo import models


class StaffingRequestLine(models.Model):
    _inherit = "staffing.request.line"

    def write(self, vals):
        result = super().write(vals)
        if "sold_rate" in vals:
            allocations = self.allocation_ids
            self.env["staffing.forecast.line"]._refresh_ranges(
                allocations._get_forecast_ranges()
            )
        return result

from odoo import models


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "staffing.forecast.source.mixin"]

    # the amount is the timesheet's cost, the forecast's actual cost
    _forecast_fields = frozenset(
        {"employee_id", "project_id", "date", "unit_amount", "amount"}
    )

    def _get_forecast_ranges(self):
        """Timesheet days of consultants, as refresh ranges."""
        # sudo: timesheets of others may be unreadable; the forecast needs them
        return [
            (line.employee_id, line.date, line.date)
            for line in self.sudo()
            if line.employee_id and line.project_id
        ]

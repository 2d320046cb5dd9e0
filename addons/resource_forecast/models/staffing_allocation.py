from odoo import models


class StaffingAllocation(models.Model):
    _name = "staffing.allocation"
    _inherit = ["staffing.allocation", "staffing.forecast.source.mixin"]

    _forecast_fields = frozenset(
        {
            "employee_id",
            "project_id",
            "request_line_id",
            "role_id",
            "date_start",
            "date_end",
            "allocated_hours",
            "state",
        }
    )

    def _get_forecast_ranges(self):
        return [
            (allocation.employee_id, allocation.date_start, allocation.date_end)
            for allocation in self
            if allocation.employee_id and allocation.date_start and allocation.date_end
        ]

from odoo import models


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "staffing.forecast.source.mixin"]

    _forecast_fields = frozenset(
        {"date_from", "date_to", "resource_id", "calendar_id", "time_type"}
    )

    def _get_forecast_ranges(self):
        """Consultants a leave or a public holiday changes the capacity of."""
        forecast = self.env["staffing.forecast.line"]
        # sudo: leaves of colleagues are private; their capacity is not
        employees = self.env["hr.employee"].sudo()
        ranges = []
        for leave in self.sudo():
            if leave.resource_id:
                affected = employees.search(
                    [("resource_id", "=", leave.resource_id.id)]
                )
            elif leave.calendar_id:
                affected = employees.search(
                    [("resource_calendar_id", "=", leave.calendar_id.id)]
                )
            else:
                affected = employees.search([("company_id", "=", leave.company_id.id)])
            if affected and leave.date_from and leave.date_to:
                ranges.append(
                    (affected, *forecast._day_range(leave.date_from, leave.date_to))
                )
        return ranges

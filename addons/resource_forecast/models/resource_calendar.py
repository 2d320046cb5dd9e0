from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._refresh_forecast()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        (calendars | self.calendar_id)._refresh_forecast()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars._refresh_forecast()
        return result


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _refresh_forecast(self):
        """A changed working schedule changes the capacity of its consultants."""
        if not self:
            return
        # sudo: every consultant on the calendar, readable or not
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("resource_calendar_id", "in", self.ids)])
        )
        if employees:
            self.env["staffing.forecast.line"]._queue_refresh(employees)

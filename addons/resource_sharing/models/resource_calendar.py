from odoo import models

# the schedule's own fields that move its working hours per day (its
# attendances are hooked on resource.calendar.attendance; its time zone is not
# one of them: a consultant's attendances are read in their own time zone)
CAPACITY_FIELDS = frozenset({"two_weeks_calendar", "flexible_hours", "hours_per_day"})


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if CAPACITY_FIELDS.intersection(vals):
            self._refresh_staffing_ledger()
        return result

    def _get_staffing_employees(self):
        """Consultants whose capacity follows these working schedules."""
        # sudo: every consultant on the calendar counts, readable or not
        return (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search([("resource_calendar_id", "in", self.ids)])
        )

    def _refresh_staffing_ledger(self):
        """The schedules changed: rewrite their consultants' capacity.

        Now for a few consultants, in background jobs for many (see
        ``staffing.ledger._refresh_consultants``).
        """
        employees = self._get_staffing_employees() if self else None
        if employees:
            self.env["staffing.ledger"]._refresh_consultants(employees)

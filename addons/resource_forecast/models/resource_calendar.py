from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _refresh_staffing_ledger(self):
        """A changed schedule moves the ledger, then the forecast built on it."""
        result = super()._refresh_staffing_ledger()
        employees = self._get_staffing_employees() if self else None
        if employees:
            self.env["staffing.forecast.line"]._queue_refresh(employees)
        return result

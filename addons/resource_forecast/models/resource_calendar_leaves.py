from odoo import models

from odoo.addons.resource_sharing.models.resource_calendar_leaves import LEDGER_FIELDS


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "staffing.forecast.source.mixin"]

    _forecast_fields = LEDGER_FIELDS

    def _get_forecast_ranges(self):
        """Consultants a leave or a public holiday changes the capacity of."""
        return self._get_staffing_ranges()

from odoo import api, models

from .staffing_forecast_line import refresh_deferred


class StaffingForecastSourceMixin(models.AbstractModel):
    """Keeps the forecast exact when records it is computed from change.

    A model mixing it in lists the fields the forecast depends on and says which
    consultants and days a record affects; creation, relevant writes and
    deletion then refresh exactly those consultant-days, before and after.
    """

    _name = "staffing.forecast.source.mixin"
    _description = "Forecast Source"

    # fields whose change moves figures of the forecast
    _forecast_fields = frozenset()

    def _get_forecast_ranges(self):
        """Hook: [(employees, date_from, date_to)] these records affect."""
        return []

    def _forecast_deferred(self):
        return refresh_deferred()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._forecast_deferred():
            return records
        self.env["staffing.forecast.line"]._refresh_ranges(
            records._get_forecast_ranges()
        )
        return records

    def write(self, vals):
        if not self._forecast_fields & set(vals) or self._forecast_deferred():
            return super().write(vals)
        before = self._get_forecast_ranges()
        result = super().write(vals)
        self.env["staffing.forecast.line"]._refresh_ranges(
            before + self._get_forecast_ranges()
        )
        return result

    def unlink(self):
        if self._forecast_deferred():
            return super().unlink()
        before = self._get_forecast_ranges()
        result = super().unlink()
        self.env["staffing.forecast.line"]._refresh_ranges(before)
        return result

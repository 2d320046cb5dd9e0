from odoo import api, models

from .staffing_forecast_line import refresh_deferred


class StaffingForecastSourceMixin(models.AbstractModel):
    """Keeps the forecast exact when records it is computed from change.

    A model mixing it in lists the fields the forecast depends on and says which
    consultants and days a record affects; creation, relevant writes and
    deletion then queue exactly those consultant-days, before and after, for
    the forecast's batched refresh.
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
        if not self._forecast_deferred():
            self.env["staffing.forecast.line"]._queue_refresh_ranges(
                records._get_forecast_ranges()
            )
        return records

    def write(self, vals):
        if not self._forecast_fields & set(vals) or self._forecast_deferred():
            return super().write(vals)
        forecast = self.env["staffing.forecast.line"]
        forecast._queue_refresh_ranges(self._get_forecast_ranges())
        result = super().write(vals)
        forecast._queue_refresh_ranges(self._get_forecast_ranges())
        return result

    def unlink(self):
        if not self._forecast_deferred():
            self.env["staffing.forecast.line"]._queue_refresh_ranges(
                self._get_forecast_ranges()
            )
        return super().unlink()

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    forecast_horizon_months = fields.Integer(
        string="Forecast Horizon (months)",
        default=18,
        help="How far ahead the man-hour forecast is kept up to date.",
    )
    forecast_history_months = fields.Integer(
        string="Forecast History (months)",
        default=12,
        help="How far back a rebuild of the forecast goes.",
    )

    staffing_missing_weeks = fields.Integer(
        string="Missing Actuals Look-back (weeks)",
        default=13,
        help="How many past weeks the missing-actuals list and its reminders "
        "look at; older weeks are closed.",
    )

    @api.constrains("staffing_missing_weeks")
    def _check_staffing_missing_weeks(self):
        for company in self:
            if company.staffing_missing_weeks <= 0:
                raise ValidationError(
                    self.env._(
                        "The missing-actuals look-back of %(company)s must be at "
                        "least one week.",
                        company=company.name,
                    )
                )

    @api.constrains("forecast_horizon_months", "forecast_history_months")
    def _check_forecast_horizon(self):
        for company in self:
            if company.forecast_horizon_months <= 0:
                raise ValidationError(
                    self.env._(
                        "The forecast horizon of %(company)s must be at least one "
                        "month.",
                        company=company.name,
                    )
                )
            if company.forecast_history_months < 0:
                raise ValidationError(
                    self.env._(
                        "The forecast history of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )

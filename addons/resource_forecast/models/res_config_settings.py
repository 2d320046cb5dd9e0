from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    forecast_horizon_months = fields.Integer(
        related="company_id.forecast_horizon_months", readonly=False
    )
    forecast_history_months = fields.Integer(
        related="company_id.forecast_history_months", readonly=False
    )

    staffing_missing_weeks = fields.Integer(
        related="company_id.staffing_missing_weeks", readonly=False
    )

    def action_rebuild_forecast(self):
        return self.env["staffing.forecast.line"].action_rebuild_forecast()

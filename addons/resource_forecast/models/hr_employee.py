from odoo import api, models

FORECAST_FIELDS = {
    "resource_calendar_id",
    "hourly_cost",
    "staffing_purchase_rate",
    "staffing_partner_id",
    "company_id",
    "active",
}


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self.env["staffing.forecast.line"]._refresh(employees, None, None)
        return employees

    def write(self, vals):
        result = super().write(vals)
        if FORECAST_FIELDS & set(vals):
            self.env["staffing.forecast.line"]._refresh(self, None, None)
        return result

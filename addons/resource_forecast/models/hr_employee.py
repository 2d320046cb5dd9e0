from odoo import api, models

# fields of a consultant the forecast's rows depend on (capacity, company, flags)
FORECAST_FIELDS = {
    "resource_calendar_id",
    "staffing_partner_id",
    "company_id",
    "active",
}


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self.env["staffing.forecast.line"]._queue_refresh(employees)
        return employees

    def write(self, vals):
        result = super().write(vals)
        if FORECAST_FIELDS & set(vals):
            self.env["staffing.forecast.line"]._queue_refresh(self)
        return result

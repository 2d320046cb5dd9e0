from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StaffingForecastRate(models.Model):
    """Hourly cost of a consultant from a date on, until the next rate."""

    _name = "staffing.forecast.rate"
    _inherit = "staffing.guard.mixin"
    _description = "Consultant Cost Rate"
    _order = "employee_id, date_from desc"

    _non_negative_fields = frozenset({"rate"})

    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Consultant",
        required=True,
        ondelete="cascade",
        index=True,
    )
    date_from = fields.Date(string="Valid From", required=True, index=True)
    rate = fields.Float(string="Hourly Cost", required=True)
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "employee_date_uniq",
            "unique(employee_id, date_from)",
            "A consultant cannot have two rates starting on the same day.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("date_from"):
                raise ValidationError(self.env._("A cost rate needs a start date."))
        rates = super().create(vals_list)
        rates._refresh_forecast()
        return rates

    def write(self, vals):
        before = [(rate.employee_id, rate.date_from) for rate in self]
        result = super().write(vals)
        forecast = self.env["staffing.forecast.line"]
        for employee, date_from in before:
            forecast._refresh(employee, date_from, None)
        self._refresh_forecast()
        return result

    def unlink(self):
        before = [(rate.employee_id, rate.date_from) for rate in self]
        result = super().unlink()
        forecast = self.env["staffing.forecast.line"]
        for employee, date_from in before:
            forecast._refresh(employee, date_from, None)
        return result

    def _refresh_forecast(self):
        forecast = self.env["staffing.forecast.line"]
        for rate in self:
            forecast._refresh(rate.employee_id, rate.date_from, None)

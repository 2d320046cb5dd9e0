from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StaffingForecastRate(models.Model):
    """Hourly cost of a consultant from a date on, until the next rate.

    It is the default cost rate of an allocation starting on a day it is valid
    (see ``staffing.allocation._compute_rates``); the forecast costs planned
    hours at the allocation's stored rate, never at this table directly.
    """

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
        return super().create(vals_list)

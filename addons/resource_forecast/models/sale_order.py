from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    staffing_probability = fields.Float(
        string="Win Probability (%)",
        default=50.0,
        help="How likely the quotation is signed: weighs its staffing hours in "
        "the demand outlook. With sale_crm, the opportunity's probability is "
        "used instead.",
    )

    @api.constrains("staffing_probability")
    def _check_staffing_probability(self):
        for order in self:
            if not 0.0 <= order.staffing_probability <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The win probability of %(order)s must be between 0 and "
                        "100 %%.",
                        order=order.name,
                    )
                )

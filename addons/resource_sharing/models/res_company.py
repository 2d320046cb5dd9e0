from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    staffing_overload_tolerance = fields.Float(
        string="Overload Tolerance (%)",
        default=0.0,
        help="How far above a consultant's daily capacity a confirmed allocation "
        "may go, in percent of that capacity.",
    )
    staffing_escalation_days = fields.Integer(
        string="Escalation Deadline (days)",
        default=2,
        help="Days the PMO gets to staff an escalated request.",
    )
    staffing_max_period_years = fields.Integer(
        string="Maximum Period (years)",
        default=5,
        help="Longest period a request, position or allocation may span; 0 "
        "removes the limit (dates always stay within 2000-2099).",
    )

    @api.constrains(
        "staffing_overload_tolerance",
        "staffing_escalation_days",
        "staffing_max_period_years",
    )
    def _check_staffing_settings(self):
        for company in self:
            if company.staffing_max_period_years < 0:
                raise ValidationError(
                    self.env._(
                        "The maximum period of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )
            if not 0 <= company.staffing_overload_tolerance < float("inf"):
                raise ValidationError(
                    self.env._(
                        "The overload tolerance of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )
            if company.staffing_escalation_days < 0:
                raise ValidationError(
                    self.env._(
                        "The escalation deadline of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )

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

    staffing_rolloff_weeks = fields.Integer(
        string="Roll-off Horizon (weeks)",
        default=6,
        help="The roll-off radar lists consultants whose confirmed work ends "
        "within this many weeks.",
    )
    staffing_portal_show_project = fields.Boolean(
        string="Show Projects to Partners",
        help="Partner companies see on the portal the project their consultants "
        "are booked on; otherwise only the period and hours.",
    )
    staffing_portal_max_cv_mb = fields.Integer(
        string="Largest CV (MB)",
        default=5,
        help="Largest CV a partner may upload with a proposal.",
    )
    staffing_borrower_ids = fields.Many2many(
        comodel_name="res.company",
        string="Borrowing Companies",
        compute="_compute_staffing_borrower_ids",
        search="_search_staffing_borrower_ids",
        help="Sister companies that may staff this company's consultants under "
        "an active sharing agreement.",
    )

    def _compute_staffing_borrower_ids(self):
        # sudo: agreements are configuration both companies' users rely on
        agreements = (
            self.env["staffing.sharing.agreement"]
            .sudo()
            .search([("lending_company_id", "in", self.ids)])
        )
        for company in self:
            company.staffing_borrower_ids = agreements.filtered(
                lambda agreement, company=company: (
                    agreement.lending_company_id == company
                )
            ).borrowing_company_id

    def _search_staffing_borrower_ids(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        # sudo: record rules of the lender's reports ask who borrows from whom
        agreements = (
            self.env["staffing.sharing.agreement"]
            .sudo()
            # explicit: record rules are evaluated without active_test
            ._search([("borrowing_company_id", operator, value), ("active", "=", True)])
        )
        return [("id", "in", agreements.subselect("lending_company_id"))]

    @api.constrains(
        "staffing_overload_tolerance",
        "staffing_escalation_days",
        "staffing_max_period_years",
        "staffing_rolloff_weeks",
        "staffing_portal_max_cv_mb",
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
            if company.staffing_portal_max_cv_mb <= 0:
                raise ValidationError(
                    self.env._(
                        "The largest CV of %(company)s must be at least one MB.",
                        company=company.name,
                    )
                )
            if company.staffing_rolloff_weeks <= 0:
                raise ValidationError(
                    self.env._(
                        "The roll-off horizon of %(company)s must be at least one "
                        "week.",
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

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import escalation


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
    staffing_escalation_ladder = fields.Char(
        string="Escalation Ladder (days)",
        default="1,3",
        help="Days after an escalation's Staff By date on which a request that is "
        "still not staffed is raised to the PMO manager, then to the engagement "
        "manager's manager: increasing whole days, separated by commas. Empty: "
        "no ladder.",
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

    @api.constrains("staffing_escalation_ladder")
    def _check_staffing_escalation_ladder(self):
        for company in self:
            try:
                escalation.parse_ladder(company.staffing_escalation_ladder)
            except escalation.LadderError as error:
                raise ValidationError(
                    company._get_ladder_error_message(error.code)
                ) from error

    def _get_ladder_error_message(self, code):
        values = {"company": self.name, "ladder": self.staffing_escalation_ladder}
        if code == "not_increasing":
            return self.env._(
                "The escalation ladder of %(company)s must increase: each step "
                "comes more days after the deadline than the one before "
                "(e.g. 1,3), not %(ladder)s.",
                **values,
            )
        if code == "too_many":
            return self.env._(
                "The escalation ladder of %(company)s has two steps at most: the "
                "PMO manager, then the engagement manager's manager, not %(ladder)s.",
                **values,
            )
        return self.env._(
            "The escalation ladder of %(company)s lists whole days after the "
            "deadline, each at least 1, separated by commas (e.g. 1,3), not "
            "%(ladder)s.",
            **values,
        )

    def _get_staffing_escalation_ladder(self):
        """The ladder's days after the deadline, e.g. (1, 3)."""
        self.ensure_one()
        return escalation.parse_ladder(self.staffing_escalation_ladder)

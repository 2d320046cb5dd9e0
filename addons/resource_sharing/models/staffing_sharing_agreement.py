from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .staffing_allocation import MONEY_GROUPS


class StaffingSharingAgreement(models.Model):
    """A sister company lends its internal consultants to another company.

    Without an active agreement no consultant crosses from one company to
    another. The borrowing company pays the lending company an intercompany
    hourly rate per role (or the default rate); the lending company may ask to
    consent to each allocation of its consultants.
    """

    _name = "staffing.sharing.agreement"
    _inherit = ["mail.thread", "staffing.guard.mixin"]
    _description = "Staffing Sharing Agreement"
    _order = "lending_company_id, borrowing_company_id, id"

    _non_negative_fields = frozenset({"default_rate"})

    name = fields.Char(compute="_compute_name", store=True)
    lending_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Lending Company",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        help="The company whose internal consultants may be staffed.",
    )
    borrowing_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Borrowing Company",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        help="The company whose projects may use them.",
    )
    active = fields.Boolean(default=True, tracking=True)
    consent_required = fields.Boolean(
        string="Lending Company Consents",
        default=True,
        tracking=True,
        help="Each allocation of a lent consultant waits for the consent of a "
        "planner of the lending company before it is confirmed.",
    )
    currency_id = fields.Many2one(related="lending_company_id.currency_id")
    default_rate = fields.Monetary(
        string="Default Intercompany Rate",
        currency_field="currency_id",
        tracking=True,
        groups=MONEY_GROUPS,
        help="Hourly rate the borrowing company pays for roles without a rate "
        "of their own.",
    )
    rate_ids = fields.One2many(
        comodel_name="staffing.sharing.agreement.rate",
        inverse_name="agreement_id",
        string="Rates per Role",
        groups=MONEY_GROUPS,
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "companies_differ",
            "CHECK (lending_company_id != borrowing_company_id)",
            "A company cannot lend consultants to itself.",
        ),
    ]

    def init(self):
        # the last guard against two concurrent creations of the same pair
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS staffing_sharing_agreement_active_pair
                ON staffing_sharing_agreement (lending_company_id, borrowing_company_id)
             WHERE active
            """
        )

    @api.depends("lending_company_id", "borrowing_company_id")
    def _compute_name(self):
        for agreement in self:
            agreement.name = self.env._(
                "%(lender)s lends to %(borrower)s",
                lender=agreement.lending_company_id.name or "?",
                borrower=agreement.borrowing_company_id.name or "?",
            )

    # --------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # browse(): copy() creates from the original, which is no twin
            self.browse()._check_agreement_values(
                vals.get("lending_company_id"),
                vals.get("borrowing_company_id"),
                vals.get("active", True),
            )
        return super().create(vals_list)

    def write(self, vals):
        for agreement in self:
            agreement._check_agreement_values(
                vals.get("lending_company_id", agreement.lending_company_id.id),
                vals.get("borrowing_company_id", agreement.borrowing_company_id.id),
                vals.get("active", agreement.active),
            )
        return super().write(vals)

    def _check_agreement_values(self, lender_id, borrower_id, active):
        """Refuse, before anything is written, what no agreement may say."""
        if lender_id and lender_id == borrower_id:
            raise ValidationError(
                self.env._("A company cannot lend consultants to itself.")
            )
        self._check_manager_of(lender_id, borrower_id)
        if not (active and lender_id and borrower_id):
            return
        # sudo: an agreement of the pair conflicts even if hidden by rules
        twin = (
            self.sudo()
            .search(
                [
                    ("lending_company_id", "=", lender_id),
                    ("borrowing_company_id", "=", borrower_id),
                    ("id", "not in", self.ids),
                ],
                limit=1,
            )
            .sudo(False)
        )
        if twin:
            raise ValidationError(
                self.env._(
                    "%(name)s is already active: archive it before making another "
                    "agreement for the same companies.",
                    name=twin.sudo().name,
                )
            )

    def _check_manager_of(self, *company_ids):
        """Agreements bind two companies: managers of both configure them."""
        if self.env.su:
            return
        user = self.env.user
        if not user.has_group("resource_sharing.group_manager"):
            raise AccessError(
                self.env._("Only staffing administrators configure sharing agreements.")
            )
        companies = (
            self.env["res.company"].browse(
                [company_id for company_id in company_ids if company_id]
            )
            | self.lending_company_id
            | self.borrowing_company_id
        )
        outside = companies - user.company_ids
        if outside:
            raise AccessError(
                self.env._(
                    "A sharing agreement is configured by administrators of both "
                    "companies; you do not belong to %(companies)s.",
                    companies=", ".join(outside.sudo().mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        # sudo: allocations of the other company count too
        used = (
            self.env["staffing.allocation"]
            .sudo()
            .search_count([("sharing_agreement_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "Allocations were made under this agreement: archive it instead "
                    "of deleting it."
                )
            )

    # ------------------------------------------------------------------ lookups

    def _get_rate(self, role):
        """The intercompany hourly rate of ``role`` (default rate without one)."""
        self.ensure_one()
        agreement = self.sudo()
        line = agreement.rate_ids.filtered(lambda r: r.role_id == role)[:1]
        return line.hourly_rate if line else agreement.default_rate

    @api.model
    def _get_lenders(self, borrower):
        """Active agreements lending to ``borrower``, by lending company id."""
        # sudo: a planner of the borrowing company finds the agreements of the
        # lending company without belonging to it
        agreements = self.sudo().search([("borrowing_company_id", "=", borrower.id)])
        return {agreement.lending_company_id.id: agreement for agreement in agreements}


class StaffingSharingAgreementRate(models.Model):
    _name = "staffing.sharing.agreement.rate"
    _inherit = "staffing.guard.mixin"
    _description = "Intercompany Rate per Role"
    _order = "agreement_id, role_id"

    _non_negative_fields = frozenset({"hourly_rate"})

    agreement_id = fields.Many2one(
        comodel_name="staffing.sharing.agreement",
        required=True,
        ondelete="cascade",
        index=True,
    )
    role_id = fields.Many2one(
        comodel_name="staffing.role", required=True, ondelete="restrict"
    )
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    hourly_rate = fields.Monetary(
        string="Intercompany Rate", currency_field="currency_id", required=True
    )

    _sql_constraints = [
        (
            "role_uniq",
            "unique(agreement_id, role_id)",
            "An agreement has one rate per role.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        agreements = self.env["staffing.sharing.agreement"].browse(
            [vals.get("agreement_id") for vals in vals_list if vals.get("agreement_id")]
        )
        agreements._check_manager_of()
        return super().create(vals_list)

    def write(self, vals):
        self.agreement_id._check_manager_of()
        return super().write(vals)

    def unlink(self):
        self.agreement_id._check_manager_of()
        return super().unlink()

from odoo import fields, models
from odoo.exceptions import UserError

from .staffing_allocation import MONEY_GROUPS


class StaffingLoan(models.Model):
    """The lending company's side of an allocation of one of its consultants.

    The allocation belongs to the borrowing company and carries its money (sold
    rate, margin); the lending company reads this record instead: who, where,
    when, how many hours, at which intercompany rate, and consents to it or
    refuses it. Every field follows the allocation; none is written here.
    """

    _name = "staffing.loan"
    _inherit = ["mail.thread", "mail.activity.mixin", "staffing.guard.mixin"]
    _description = "Lent Consultant"
    _order = "date_start desc, id desc"
    _mail_post_access = "read"

    # the lender's side is made by the allocation (_sync_loans), never moved
    _action_fields = frozenset({"allocation_id"})

    allocation_id = fields.Many2one(
        comodel_name="staffing.allocation",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="allocation_id.lending_company_id",
        string="Lending Company",
        store=True,
        index=True,
    )
    borrowing_company_id = fields.Many2one(
        related="allocation_id.company_id",
        string="Borrowing Company",
        store=True,
        index=True,
    )
    employee_id = fields.Many2one(
        related="allocation_id.employee_id", store=True, index=True
    )
    project_id = fields.Many2one(related="allocation_id.project_id", store=True)
    partner_id = fields.Many2one(related="allocation_id.partner_id", store=True)
    role_id = fields.Many2one(related="allocation_id.role_id", store=True)
    date_start = fields.Date(related="allocation_id.date_start", store=True)
    date_end = fields.Date(related="allocation_id.date_end", store=True)
    allocated_hours = fields.Float(related="allocation_id.allocated_hours", store=True)
    state = fields.Selection(related="allocation_id.state", store=True, index=True)
    needs_consent = fields.Boolean(related="allocation_id.needs_consent", store=True)
    requested_by_id = fields.Many2one(
        related="allocation_id.requested_by_id", string="Consent Asked By"
    )
    approval_request_date = fields.Datetime(
        related="allocation_id.approval_request_date", string="Consent Asked On"
    )
    approver_id = fields.Many2one(
        related="allocation_id.approver_id", string="Consented By"
    )
    approval_date = fields.Datetime(
        related="allocation_id.approval_date", string="Consented On"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # the lending company's revenue: the borrowing company's cost
    intercompany_rate = fields.Float(
        related="allocation_id.cost_rate",
        string="Intercompany Rate",
        store=True,
        groups=MONEY_GROUPS,
    )
    intercompany_amount = fields.Monetary(
        related="allocation_id.cost_amount",
        string="Intercompany Amount",
        store=True,
        groups=MONEY_GROUPS,
    )
    refusal_reason = fields.Text(
        related="allocation_id.rejection_reason", groups=MONEY_GROUPS
    )
    can_consent = fields.Boolean(compute="_compute_can_consent")

    _sql_constraints = [
        (
            "allocation_uniq",
            "unique(allocation_id)",
            "An allocation has one lender's side.",
        ),
    ]

    def _compute_display_name(self):
        for loan in self:
            loan.display_name = self.env._(
                "%(employee)s lent to %(company)s",
                employee=loan.sudo().employee_id.name or "?",
                company=loan.sudo().borrowing_company_id.name or "?",
            )

    def _compute_can_consent(self):
        for loan in self:
            try:
                loan.sudo().allocation_id._check_can_consent()
            except UserError:
                loan.can_consent = False
            else:
                loan.can_consent = True

    # ------------------------------------------------------------------ actions

    def _get_allocations(self):
        # deciding is a write of the lender's side: its rules and rights apply
        self.check_access("write")
        # sudo: the allocation belongs to the borrowing company and the lender
        # may not read it; the checks below run as the deciding user
        allocations = self.sudo().allocation_id
        allocations._check_can_consent()
        return allocations

    def action_consent(self):
        allocations = self._get_allocations()
        allocations._write_action_values(allocations._prepare_approve_values())
        allocations._close_approval_activities()
        for allocation in allocations:
            allocation._notify_requester(
                self.env._(
                    "%(company)s consented to lending %(employee)s.",
                    company=allocation.lending_company_id.name,
                    employee=allocation.employee_id.name,
                )
            )
        return True

    def action_refuse(self):
        self._get_allocations()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse"),
            "res_model": "staffing.loan.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_loan_ids": self.ids},
        }

    def _do_refuse(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the consultant cannot be lent."))
        allocations = self._get_allocations()
        allocations._write_action_values(
            {"state": "rejected", "rejection_reason": reason}
        )
        allocations._close_approval_activities()
        for allocation in allocations:
            allocation._notify_requester(
                self.env._(
                    "%(company)s refused to lend %(employee)s: %(reason)s",
                    company=allocation.lending_company_id.name,
                    employee=allocation.employee_id.name,
                    reason=reason,
                )
            )
        return True

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..engine import load

ACTIVE_STATES = ("draft", "to_approve", "confirmed")
# who may read money (rates, amounts, margins) and approval notes
MONEY_GROUPS = "resource_sharing.group_planner,resource_sharing.group_approver"
# changing one of these on an external allocation asks its approval again
REAPPROVAL_FIELDS = frozenset(
    {"project_id", "request_line_id", "date_start", "date_end", "allocated_hours"}
)
# fields that move the consultant's load in the ledger
LOAD_FIELDS = frozenset(
    {"state", "employee_id", "date_start", "date_end", "allocated_hours"}
)
# fields of an allocation's plan: changing one re-plans the leave away
PLAN_FIELDS = LOAD_FIELDS - {"state"}
LEAVE_ACTIVITY = "resource_sharing.mail_activity_type_leave"
# what the capacity changes of the transaction did, {allocation id: LeaveImpact}
IMPACT_KEY = "resource_sharing.leave_impact"
SUBSTITUTE_COUNT = 3
# most allocations hit by one change whose substitutes are ranked at commit;
# beyond, the ranking runs in background jobs of this many allocations
RESTAFFING_SYNC_PARAM = "resource_sharing.restaffing_sync_limit"
RESTAFFING_SYNC_DEFAULT = 20


class StaffingAllocation(models.Model):
    _name = "staffing.allocation"
    _description = "Staffing Allocation"
    _inherit = ["mail.thread", "mail.activity.mixin", "staffing.state.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    _state_transitions = {
        "draft": ("to_approve", "confirmed", "rejected", "cancelled"),
        "to_approve": ("draft", "rejected", "confirmed"),
        "confirmed": ("draft", "to_approve"),
        "rejected": ("to_approve",),
        "cancelled": ("draft", "to_approve", "confirmed", "rejected"),
    }
    _action_fields = frozenset(
        {
            "state",
            "requested_by_id",
            "approval_request_date",
            "approver_id",
            "approval_date",
            "internal_candidates_note",
            "rejection_reason",
            "leave_lost_hours",
            "partner_proposal_id",
        }
    )
    _non_negative_fields = frozenset({"allocated_hours", "cost_rate", "sold_rate"})
    _period_fields = (("date_start", "date_end"),)

    # no check_company: a sister company's consultant may be staffed under a
    # sharing agreement (_check_employee_company)
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Consultant",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(related="employee_id.user_id", string="User")
    request_line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Position",
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    request_id = fields.Many2one(
        related="request_line_id.request_id", store=True, index="btree_not_null"
    )
    project_id = fields.Many2one(
        comodel_name="project.project",
        compute="_compute_project_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="project_id.partner_id", string="Customer", store=True, index=True
    )
    role_id = fields.Many2one(
        comodel_name="staffing.role",
        compute="_compute_role_id",
        store=True,
        readonly=False,
        ondelete="restrict",
        index="btree_not_null",
    )
    date_start = fields.Date(required=True, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    allocated_hours = fields.Float(
        string="Hours",
        required=True,
        tracking=True,
        help="Total hours over the period; spread over the consultant's working days.",
    )
    hours_per_day = fields.Float(
        string="Hours per Day",
        compute="_compute_hours_per_day",
        help="Average booked hours per working day of the consultant.",
    )
    is_external = fields.Boolean(related="employee_id.is_external", store=True)
    staffing_partner_id = fields.Many2one(
        related="employee_id.staffing_partner_id", string="Partner Company", store=True
    )
    state = fields.Selection(
        selection=[
            ("draft", "Tentative"),
            ("to_approve", "To Approve"),
            ("confirmed", "Confirmed"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    lending_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Lending Company",
        compute="_compute_sharing",
        store=True,
        index="btree_not_null",
        help="The sister company the consultant works for, when it is not the "
        "project's company.",
    )
    sharing_agreement_id = fields.Many2one(
        comodel_name="staffing.sharing.agreement",
        string="Sharing Agreement",
        compute="_compute_sharing",
        store=True,
        ondelete="restrict",
        index="btree_not_null",
    )
    needs_consent = fields.Boolean(
        string="Needs the Lender's Consent",
        compute="_compute_sharing",
        store=True,
        help="The sharing agreement asks the lending company to consent before "
        "the allocation is confirmed.",
    )
    needs_approval = fields.Boolean(
        compute="_compute_needs_approval",
        help="An approver (external consultant) or the lending company (lent "
        "consultant) decides before the allocation is confirmed.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    external_justification = fields.Text(
        copy=False,
        tracking=True,
        groups=MONEY_GROUPS,
        help="Why no internal consultant fits this position.",
    )
    partner_proposal_id = fields.Many2one(
        comodel_name="staffing.partner.proposal",
        string="Partner Offer",
        readonly=True,
        copy=False,
        ondelete="restrict",
        index="btree_not_null",
        groups=MONEY_GROUPS,
        help="The proposal a partner company made on the portal, with its rate "
        "and CV, that this allocation was made from.",
    )
    partner_offer_cv_id = fields.Many2one(
        related="partner_proposal_id.cv_attachment_id",
        string="Offered CV",
        groups=MONEY_GROUPS,
    )
    internal_candidates_note = fields.Text(
        string="Internal Candidates Considered",
        copy=False,
        readonly=True,
        groups=MONEY_GROUPS,
        help="The internal candidates and their scores when approval was asked.",
    )
    requested_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Approval Requested By",
        copy=False,
        readonly=True,
        ondelete="restrict",
    )
    approval_request_date = fields.Datetime(copy=False, readonly=True)
    approver_id = fields.Many2one(
        comodel_name="res.users",
        string="Approved By",
        copy=False,
        readonly=True,
        ondelete="restrict",
        tracking=True,
    )
    approval_date = fields.Datetime(copy=False, readonly=True, tracking=True)
    rejection_reason = fields.Text(
        copy=False, readonly=True, tracking=True, groups=MONEY_GROUPS
    )
    can_approve = fields.Boolean(
        compute="_compute_can_approve", search="_search_can_approve"
    )
    cost_rate = fields.Float(
        compute="_compute_rates", store=True, readonly=False, groups=MONEY_GROUPS
    )
    sold_rate = fields.Float(
        compute="_compute_rates", store=True, readonly=False, groups=MONEY_GROUPS
    )
    cost_amount = fields.Monetary(
        compute="_compute_amounts", store=True, groups=MONEY_GROUPS
    )
    sold_amount = fields.Monetary(
        compute="_compute_amounts", store=True, groups=MONEY_GROUPS
    )
    margin_amount = fields.Monetary(
        compute="_compute_amounts", store=True, groups=MONEY_GROUPS
    )
    is_overloaded = fields.Boolean(
        compute="_compute_load_info", search="_search_is_overloaded"
    )
    overload_info = fields.Char(compute="_compute_load_info")
    leave_lost_hours = fields.Float(
        string="Hours Lost to Leave",
        readonly=True,
        copy=False,
        help="Confirmed hours that approved time off and public holidays took "
        "from this allocation since its consultant, period or hours last changed.",
    )
    actual_hours = fields.Float(
        string="Logged Hours",
        compute="_compute_actual_hours",
        help="Timesheet hours of the consultant on the project in the period.",
    )
    color = fields.Integer(compute="_compute_color")
    proposal_line_ids = fields.One2many(
        comodel_name="staffing.proposal.line",
        inverse_name="allocation_id",
        string="Auto-staff Lines",
        groups="resource_sharing.group_planner",
        help="The applied Auto-staff proposal lines that made or moved this "
        "allocation.",
    )
    is_proposed = fields.Boolean(
        string="Proposed by Auto-staff",
        compute="_compute_is_proposed",
        store=True,
        help="Still tentative, and made or moved by an applied Auto-staff proposal.",
    )
    loan_ids = fields.One2many(
        comodel_name="staffing.loan",
        inverse_name="allocation_id",
        string="Lender's Side",
        groups="base.group_system",
        help="The lending company's record of this allocation (at most one).",
    )

    # ----------------------------------------------------------------- computes

    @api.depends("request_line_id")
    def _compute_project_id(self):
        for allocation in self:
            if allocation.request_line_id.project_id:
                allocation.project_id = allocation.request_line_id.project_id

    @api.depends("request_line_id")
    def _compute_role_id(self):
        for allocation in self:
            if allocation.request_line_id:
                allocation.role_id = allocation.request_line_id.role_id

    @api.depends("employee_id", "project_id", "date_start", "date_end")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = self.env._(
                "%(employee)s on %(project)s",
                # sudo: a lent consultant belongs to a company the user may not see
                employee=allocation.employee_id.sudo().name or "?",
                project=allocation.project_id.name or "?",
            )

    @api.depends("employee_id.company_id", "company_id")
    def _compute_sharing(self):
        lenders = {}
        for allocation in self:
            # sudo: the consultant may work for a company the user is not in
            employee_company = allocation.employee_id.sudo().company_id
            if not employee_company or employee_company == allocation.company_id:
                allocation.lending_company_id = False
                allocation.sharing_agreement_id = False
                allocation.needs_consent = False
                continue
            borrower = allocation.company_id
            if borrower.id not in lenders:
                lenders[borrower.id] = self.env[
                    "staffing.sharing.agreement"
                ]._get_lenders(borrower)
            agreement = lenders[borrower.id].get(
                employee_company.id, self.env["staffing.sharing.agreement"]
            )
            allocation.lending_company_id = employee_company
            allocation.sharing_agreement_id = agreement
            allocation.needs_consent = bool(agreement.consent_required)

    @api.depends("is_external", "needs_consent")
    def _compute_needs_approval(self):
        for allocation in self:
            allocation.needs_approval = (
                allocation.is_external or allocation.needs_consent
            )

    @api.depends("employee_id", "request_line_id", "sharing_agreement_id", "role_id")
    def _compute_rates(self):
        for allocation in self:
            if allocation.sharing_agreement_id:
                # a lent consultant costs the intercompany rate of the agreement
                allocation.cost_rate = allocation.sharing_agreement_id._get_rate(
                    allocation.role_id
                )
            elif allocation.employee_id:
                allocation.cost_rate = (
                    allocation.employee_id.sudo()._get_staffing_cost_rate()
                )
            line = allocation.request_line_id
            allocation.sold_rate = (
                line.sold_rate
                or line.role_id.bill_rate
                or (allocation.role_id.bill_rate)
            )

    @api.depends("allocated_hours", "cost_rate", "sold_rate")
    def _compute_amounts(self):
        for allocation in self:
            allocation.cost_amount = allocation.allocated_hours * allocation.cost_rate
            allocation.sold_amount = allocation.allocated_hours * allocation.sold_rate
            allocation.margin_amount = allocation.sold_amount - allocation.cost_amount

    @api.depends_context("uid")
    @api.depends("state", "requested_by_id", "needs_consent")
    def _compute_can_approve(self):
        is_approver = self.env.user.has_group("resource_sharing.group_approver")
        for allocation in self:
            # a lent consultant's allocation is decided on the lender's side
            allocation.can_approve = (
                is_approver
                and allocation.state == "to_approve"
                and not allocation.needs_consent
                and allocation.requested_by_id != self.env.user
            )

    def _search_can_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'can approve'."))
        positive = (operator == "=") == value
        if not self.env.user.has_group("resource_sharing.group_approver"):
            return [] if not positive else [("id", "=", False)]
        domain = [
            ("state", "=", "to_approve"),
            ("needs_consent", "=", False),
            ("requested_by_id", "!=", self.env.uid),
        ]
        return domain if positive else ["!", "&", *domain]

    @api.depends("employee_id", "date_start", "date_end", "allocated_hours", "state")
    def _compute_hours_per_day(self):
        # apart from the load: the timeline reads the load of every allocation
        # shown, and summing all their bookings would double its time
        per_day = self._get_hours_per_day()
        for allocation in self:
            allocation.hours_per_day = per_day.get(allocation.id, 0.0)

    @api.depends("employee_id", "date_start", "date_end", "allocated_hours", "state")
    def _compute_load_info(self):
        overloads = self._get_overloads(ACTIVE_STATES)
        for allocation in self:
            days = overloads.get(allocation.id)
            allocation.is_overloaded = bool(days)
            allocation.overload_info = days and self.env._(
                "Over capacity on %(count)s day(s), first %(day)s: %(load).1f h "
                "booked for %(limit).1f h.",
                count=len(days),
                day=format_date(self.env, days[0].day),
                load=days[0].load,
                limit=days[0].limit,
            )

    def _search_is_overloaded(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'over capacity'."))
        self.env.flush_all()
        # the ledger's partial index holds the few overloaded days (the
        # excess is written as the index and its statistics have it)
        query = SQL(
            """
            SELECT DISTINCT alloc.id
              FROM staffing_ledger day
              JOIN staffing_allocation alloc
                ON alloc.employee_id = day.employee_id
               AND day.date BETWEEN alloc.date_start AND alloc.date_end
              JOIN res_company company ON company.id = alloc.company_id
             WHERE day.confirmed_hours + day.tentative_hours
                   - day.capacity_hours > 0
               AND day.date >= %(today)s
               AND alloc.state IN %(states)s
               AND alloc.date_end >= %(today)s
               AND day.confirmed_hours + day.tentative_hours > day.capacity_hours
                   * (1 + COALESCE(company.staffing_overload_tolerance, 0) / 100)
                   + %(epsilon)s
            """,
            today=fields.Date.context_today(self),
            states=ACTIVE_STATES,
            epsilon=load.EPSILON,
        )
        self.env.cr.execute(query)
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    def _compute_actual_hours(self):
        if not self.ids:
            self.actual_hours = 0.0
            return
        query = SQL(
            """
            SELECT alloc.id, COALESCE(SUM(aal.unit_amount), 0)
              FROM staffing_allocation alloc
              JOIN account_analytic_line aal
                ON aal.employee_id = alloc.employee_id
               AND aal.project_id = alloc.project_id
               AND aal.date BETWEEN alloc.date_start AND alloc.date_end
             WHERE alloc.id IN %s
          GROUP BY alloc.id
            """,
            tuple(self.ids),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        hours = dict(self.env.cr.fetchall())
        for allocation in self:
            allocation.actual_hours = hours.get(allocation.id, 0.0)

    @api.depends("state", "is_external")
    def _compute_color(self):
        colors = {"draft": 3, "to_approve": 2, "confirmed": 10, "rejected": 1}
        for allocation in self:
            allocation.color = colors.get(allocation.state, 0)

    @api.depends("state", "proposal_line_ids.state")
    def _compute_is_proposed(self):
        for allocation in self:
            allocation.is_proposed = allocation.state == "draft" and any(
                line.state == "applied" for line in allocation.proposal_line_ids
            )

    # -------------------------------------------------------------- constraints

    @api.constrains("date_start", "date_end", "allocated_hours", "request_line_id")
    def _check_period_and_hours(self):
        for allocation in self:
            if allocation.date_end < allocation.date_start:
                raise ValidationError(
                    self.env._(
                        "%(name)s ends before it starts.", name=allocation.display_name
                    )
                )
            if allocation.allocated_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s needs a positive number of hours.",
                        name=allocation.display_name,
                    )
                )
            line = allocation.request_line_id
            if line and (
                allocation.date_start < line.date_start
                or allocation.date_end > line.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s must stay within the period of its position "
                        "(%(start)s to %(end)s).",
                        name=allocation.display_name,
                        start=format_date(self.env, line.date_start),
                        end=format_date(self.env, line.date_end),
                    )
                )

    @api.constrains("employee_id")
    def _check_employee_active(self):
        for allocation in self:
            # sudo: a lent consultant belongs to a company the user may not see
            employee = allocation.employee_id.sudo()
            if not employee.active:
                raise ValidationError(
                    self.env._(
                        "%(employee)s is archived and cannot be staffed.",
                        employee=employee.name,
                    )
                )

    @api.constrains("employee_id", "company_id")
    def _check_employee_company(self):
        """A consultant of another company crosses only under an agreement."""
        for allocation in self.filtered("lending_company_id"):
            employee = allocation.employee_id.sudo()
            if allocation.is_external:
                raise ValidationError(
                    self.env._(
                        "%(employee)s is a partner consultant of %(company)s: "
                        "partner consultants are engaged by the project's own "
                        "company, not lent by a sister company.",
                        employee=employee.name,
                        company=employee.company_id.name,
                    )
                )
            if not allocation.sharing_agreement_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s works for %(lender)s, which has no active "
                        "sharing agreement lending consultants to %(borrower)s.",
                        employee=employee.name,
                        lender=employee.company_id.name,
                        borrower=allocation.company_id.name,
                    )
                )

    @api.constrains("state", "external_justification", "approver_id")
    def _check_external_rules(self):
        for allocation in self.filtered("is_external"):
            if (
                allocation.state in ("to_approve", "confirmed")
                and not (allocation.external_justification or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s uses an external consultant: say why no internal "
                        "consultant fits.",
                        name=allocation.display_name,
                    )
                )
            if allocation.state == "confirmed" and not allocation.approver_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s uses an external consultant and needs an "
                        "approval before it is confirmed.",
                        name=allocation.display_name,
                    )
                )
        for allocation in self.filtered("needs_consent"):
            if allocation.state == "confirmed" and not allocation.approver_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s uses a lent consultant and needs the consent of "
                        "the lending company before it is confirmed.",
                        name=allocation.display_name,
                    )
                )

    # --------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._complete_from_line(vals)
        allocations = super().create(vals_list)
        self.env["staffing.ledger"]._refresh_bookings(allocations.ids)
        allocations._sync_loans()
        return allocations

    def _complete_from_line(self, vals):
        line = self.env["staffing.request.line"].browse(vals.get("request_line_id"))
        if not line:
            return
        vals.setdefault("date_start", line.date_start)
        vals.setdefault("date_end", line.date_end)
        vals.setdefault("allocated_hours", line.remaining_hours or line.planned_hours)
        vals.setdefault("company_id", line.company_id.id)

    def write(self, vals):
        self._check_protected_changes(vals)
        approved_terms = self._get_approved_terms(vals)
        replanned = (
            self.filtered("leave_lost_hours")
            if PLAN_FIELDS & set(vals)
            else self.browse()
        )
        result = super().write(vals)
        if replanned:
            replanned._write_action_values({"leave_lost_hours": 0.0})
        changed = self.browse(
            allocation.id
            for allocation, terms in approved_terms.items()
            if any(allocation[name] != value for name, value in terms.items())
        )
        if changed:
            changed._send_back_for_approval(REAPPROVAL_FIELDS & set(vals))
        if {"employee_id", "company_id"} & set(vals):
            self._sync_loans()
        if LOAD_FIELDS & set(vals):
            self.env["staffing.ledger"]._refresh_bookings(self.ids)
            self.filtered(lambda a: a.state == "confirmed")._check_load()
            self.request_id._sync_staffed_state()
        return result

    def unlink(self):
        ledger = self.env["staffing.ledger"]
        spans = ledger._forget_bookings(self)
        result = super().unlink()
        # the bookings went with the allocations (cascade); re-sum their days
        ledger._sum_bookings(spans)
        return result

    def _check_protected_changes(self, vals):
        if "external_justification" in vals:
            for allocation in self:
                if allocation.state not in ("draft", "rejected"):
                    raise UserError(
                        self.env._(
                            "%(name)s is %(state)s: its justification is the "
                            "evidence the approver decides on and cannot change.",
                            name=allocation.display_name,
                            state=allocation._get_state_label(allocation.state),
                        )
                    )
        if "employee_id" in vals:
            for allocation in self:
                if (
                    allocation.state in ("to_approve", "confirmed")
                    and allocation.employee_id.id != vals["employee_id"]
                ):
                    raise UserError(
                        self.env._(
                            "%(name)s is %(state)s: cancel it and allocate the other "
                            "consultant instead of swapping.",
                            name=allocation.display_name,
                            state=allocation._get_state_label(allocation.state),
                        )
                    )

    def _get_approved_terms(self, vals):
        """Terms of external allocations under approval that ``vals`` touches.

        :return: {allocation: {field name: value before the write}}
        """
        names = REAPPROVAL_FIELDS & set(vals)
        if not names or "state" in vals:
            return {}
        pending = self.filtered(
            lambda a: a.needs_approval and a.state in ("to_approve", "confirmed")
        )
        return {
            allocation: {name: allocation[name] for name in names}
            for allocation in pending
        }

    def _send_back_for_approval(self, changed):
        """The approved terms changed: the approval no longer covers them."""
        labels = ", ".join(
            sorted(self._fields[name]._description_string(self.env) for name in changed)
        )
        for allocation in self:
            allocation._write_action_values(
                {
                    **allocation._prepare_request_approval_values(),
                    "approver_id": False,
                    "approval_date": False,
                }
            )
            allocation.message_post(
                body=self.env._(
                    "%(fields)s changed: the approval must be given again.",
                    fields=labels,
                ),
                subtype_xmlid="resource_sharing.mt_allocation_to_approve",
            )
        self._close_approval_activities()
        self._schedule_approval_activities()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for allocation in self:
            if allocation.state != "draft" or allocation.requested_by_id:
                raise UserError(
                    self.env._(
                        "%(name)s has a history: cancel it instead of deleting it.",
                        name=allocation.display_name,
                    )
                )

    # ------------------------------------------------------------ state rights

    def _check_state_right(self, new_state, vals):
        planner = "resource_sharing.group_planner"
        if new_state == "confirmed":
            self.filtered(lambda a: not a.needs_approval)._check_group(
                planner, self._no_right_message(new_state)
            )
            self.filtered("needs_approval")._check_can_approve(vals)
        elif new_state == "to_approve":
            self._check_group(planner, self._no_right_message(new_state))
            for allocation in self.filtered(lambda a: not a.needs_approval):
                raise UserError(
                    self.env._(
                        "%(name)s uses an internal consultant: confirm it, no "
                        "approval is needed.",
                        name=allocation.display_name,
                    )
                )
        elif new_state == "rejected":
            self._check_can_approve(vals)
        else:
            self._check_group(planner, self._no_right_message(new_state))

    def _no_right_message(self, new_state):
        return self.env._(
            "Only PMO planners can set %(names)s to %(state)s.",
            names=", ".join(self.mapped("display_name")),
            state=self._get_state_label(new_state),
        )

    def _check_can_approve(self, vals):
        """The one place that says who may decide on an external allocation."""
        for allocation in self:
            if allocation.state != "to_approve":
                raise UserError(
                    self.env._(
                        "Cannot decide on %(name)s: it is not waiting for approval.",
                        name=allocation.display_name,
                    )
                )
            if self.env.su:
                continue
            if allocation.needs_consent:
                raise UserError(
                    self.env._(
                        "%(name)s uses a consultant lent by %(company)s: a planner "
                        "of that company consents or refuses from its Lent "
                        "Consultants.",
                        name=allocation.display_name,
                        company=allocation.lending_company_id.sudo().name,
                    )
                )
            if not self.env.user.has_group("resource_sharing.group_approver"):
                raise UserError(
                    self.env._(
                        "Only approvers can decide on %(name)s.",
                        name=allocation.display_name,
                    )
                )
            if allocation.requested_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You asked the approval of %(name)s yourself: another "
                        "approver must decide.",
                        name=allocation.display_name,
                    )
                )
            if (
                vals.get("state") == "confirmed"
                and vals.get("approver_id") != self.env.uid
            ):
                raise UserError(
                    self.env._(
                        "Approve %(name)s with the Approve button so that your "
                        "approval is recorded.",
                        name=allocation.display_name,
                    )
                )

    def _check_can_consent(self):
        """The one place that says who may consent to lending a consultant.

        Called by the lending company's side (``staffing.loan``) on allocations
        it reads as superuser: ``self.env.user`` is still the deciding user.
        """
        user = self.env.user
        for allocation in self:
            if allocation.state != "to_approve" or not allocation.needs_consent:
                raise UserError(
                    self.env._(
                        "Cannot decide on %(name)s: it is not waiting for the "
                        "lending company's consent.",
                        name=allocation.display_name,
                    )
                )
            lender = allocation.lending_company_id
            if not (
                user.has_group("resource_sharing.group_planner")
                and lender in user.company_ids
            ):
                raise UserError(
                    self.env._(
                        "Only planners of %(company)s consent to lending %(employee)s.",
                        company=lender.name,
                        employee=allocation.employee_id.name,
                    )
                )
            if allocation.requested_by_id == user:
                raise UserError(
                    self.env._(
                        "You asked the consent for %(name)s yourself: another "
                        "planner of %(company)s must decide.",
                        name=allocation.display_name,
                        company=lender.name,
                    )
                )

    # ------------------------------------------------------------------ actions

    def action_confirm(self):
        self._check_source_state(
            ("draft",),
            self.env._("Cannot confirm %(name)s: it is %(state)s, not tentative."),
        )
        for allocation in self.filtered("is_external"):
            raise UserError(
                self.env._(
                    "%(name)s uses an external consultant: ask for approval instead.",
                    name=allocation.display_name,
                )
            )
        for allocation in self.filtered("needs_consent"):
            raise UserError(
                self.env._(
                    "%(name)s uses a consultant lent by %(company)s: ask for its "
                    "consent instead.",
                    name=allocation.display_name,
                    company=allocation.lending_company_id.sudo().name,
                )
            )
        self._write_action_values({"state": "confirmed"})
        return True

    def action_request_approval(self):
        self._check_source_state(
            ("draft", "rejected"),
            self.env._("Cannot ask approval for %(name)s: it is %(state)s."),
        )
        for allocation in self:
            allocation._write_action_values(
                allocation._prepare_request_approval_values()
            )
        self._schedule_approval_activities()
        return True

    def _prepare_request_approval_values(self):
        return {
            "state": "to_approve",
            "requested_by_id": self.env.uid,
            "approval_request_date": fields.Datetime.now(),
            "rejection_reason": False,
            "internal_candidates_note": self._get_internal_candidates_note(),
        }

    def action_approve(self):
        self._check_source_state(
            ("to_approve",),
            self.env._("Cannot approve %(name)s: it is not waiting for approval."),
        )
        self._write_action_values(self._prepare_approve_values())
        self._close_approval_activities()
        for allocation in self:
            allocation._notify_requester(
                self.env._("%(name)s was approved.", name=allocation.display_name)
            )
        return True

    def _prepare_approve_values(self):
        return {
            "state": "confirmed",
            "approver_id": self.env.uid,
            "approval_date": fields.Datetime.now(),
        }

    def action_reject(self):
        self._check_source_state(
            ("to_approve",),
            self.env._("Cannot reject %(name)s: it is not waiting for approval."),
        )
        self._check_can_approve({"state": "rejected"})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "staffing.allocation.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_allocation_ids": self.ids},
        }

    def _do_reject(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the allocation is rejected."))
        self._check_source_state(
            ("to_approve",),
            self.env._("Cannot reject %(name)s: it is not waiting for approval."),
        )
        self._write_action_values({"state": "rejected", "rejection_reason": reason})
        self._close_approval_activities()
        for allocation in self:
            allocation._notify_requester(
                self.env._(
                    "%(name)s was rejected: %(reason)s",
                    name=allocation.display_name,
                    reason=reason,
                )
            )
        return True

    def action_cancel(self):
        self._check_source_state(
            ("draft", "to_approve", "confirmed", "rejected"),
            self.env._("Cannot cancel %(name)s: it is %(state)s."),
        )
        self._write_action_values({"state": "cancelled"})
        self._close_approval_activities()
        return True

    def action_draft(self):
        self._check_source_state(
            ("to_approve", "confirmed", "rejected", "cancelled"),
            self.env._("%(name)s is already tentative."),
        )
        self._write_action_values(
            {"state": "draft", "approver_id": False, "approval_date": False}
        )
        self._close_approval_activities()
        return True

    # ------------------------------------------------------------------ helpers

    def _get_internal_candidates_note(self):
        """Freeze the internal candidates the planner passed over."""
        self.ensure_one()
        line = self.request_line_id
        if not line:
            return self.env._("No position: no internal candidates were ranked.")
        internal = [c for c in line.get_candidates(limit=20) if not c["is_external"]]
        if not internal:
            return self.env._("No internal consultant has the mandatory skills.")
        return "\n".join(
            self.env._(
                "%(name)s: score %(score).1f, %(hours).1f h free",
                name=candidate["name"],
                score=candidate["score"],
                hours=candidate["available_hours"],
            )
            for candidate in internal[:5]
        )

    def _schedule_approval_activities(self):
        lent = self.filtered("needs_consent")
        lent._schedule_consent_activities()
        approvers = self.env.ref("resource_sharing.group_approver").sudo().users
        for allocation in self - lent:
            for approver in approvers - allocation.requested_by_id:
                allocation.activity_schedule(
                    "resource_sharing.mail_activity_type_approval",
                    user_id=approver.id,
                    note=allocation._get_approval_activity_note(),
                )
            allocation.message_post(
                body=self.env._(
                    "Approval requested: %(why)s", why=allocation.external_justification
                ),
                subtype_xmlid="resource_sharing.mt_allocation_to_approve",
            )

    def _get_approval_activity_note(self):
        """What the approvers' to-do says: the evidence they decide on."""
        self.ensure_one()
        return self.external_justification

    def _close_approval_activities(self):
        activity_type = self.env.ref("resource_sharing.mail_activity_type_approval")
        xmlid = activity_type.get_external_id()[activity_type.id]
        self.activity_unlink([xmlid])
        # sudo: the lender's side of a lent consultant is the lending company's
        self.sudo().loan_ids.activity_unlink([xmlid])

    def _schedule_consent_activities(self):
        """The lending company's planners decide, on their side of the loan."""
        planners = self.env.ref("resource_sharing.group_planner").sudo().users
        for allocation in self:
            lender = allocation.lending_company_id.sudo()
            # sudo: the loan belongs to the lending company
            loan = allocation.sudo().loan_ids[:1]
            deciders = (
                planners.filtered(lambda u, lender=lender: lender in u.company_ids)
                - allocation.requested_by_id
            )
            for planner in deciders:
                loan.activity_schedule(
                    "resource_sharing.mail_activity_type_approval",
                    user_id=planner.id,
                    summary=self.env._("Consent to lending a consultant"),
                )
            allocation.message_post(
                body=self.env._("Consent asked from %(company)s.", company=lender.name),
                subtype_xmlid="resource_sharing.mt_allocation_to_approve",
            )

    def _sync_loans(self):
        """Each allocation of a lent consultant has its lender's side."""
        # sudo: the lender's side belongs to the lending company
        allocations = self.sudo()
        loans = self.env["staffing.loan"].sudo()
        loans.search(
            [("allocation_id", "in", allocations.ids), ("company_id", "=", False)]
        ).unlink()
        missing = allocations.filtered(
            lambda a: a.lending_company_id and not a.loan_ids
        )
        loans._create_with_action_values(
            [{"allocation_id": allocation.id} for allocation in missing],
            {"staffing.loan": ("allocation_id",)},
        )

    def _notify_requester(self, body):
        self.ensure_one()
        partners = self.requested_by_id.partner_id
        self.message_post(
            body=body,
            partner_ids=partners.ids,
            subtype_xmlid="resource_sharing.mt_allocation_decided",
        )

    # --------------------------------------------------------------- load check

    def _get_overloads(self, states):
        """Days in each allocation's period its consultant is booked past the limit.

        Read from the ledger; the limit is capacity plus the company tolerance.

        :param states: the allocations whose hours count, e.g. ``("confirmed",)``
        :return: {allocation id: [load.Overload]}
        """
        # sudo: a consultant's load counts allocations on projects the reader
        # may not see; only hours leave this method, keyed by the reader's ids
        allocations = self.sudo().filtered(
            lambda a: isinstance(a.id, int) and a.employee_id and a.date_start
        )
        if not allocations:
            return {}
        self.env.flush_all()
        days = self.env["staffing.ledger"]._get_overloaded_days(
            allocations.employee_id.ids,
            min(allocations.mapped("date_start")),
            max(allocations.mapped("date_end")),
            states,
        )
        result = {}
        for allocation in allocations:
            factor = 1 + allocation.company_id.staffing_overload_tolerance / 100
            result[allocation.id] = [
                load.Overload(day=day, load=booked, limit=capacity * factor)
                for day, booked, capacity in days.get(allocation.employee_id.id, ())
                if allocation.date_start <= day <= allocation.date_end
                and booked > capacity * factor + load.EPSILON
            ]
        return result

    def _get_hours_per_day(self):
        """Average booked hours per working day, from the ledger's bookings."""
        ids = [allocation.id for allocation in self if isinstance(allocation.id, int)]
        if not ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT allocation_id, SUM(hours) / COUNT(*)
                  FROM staffing_ledger_booking
                 WHERE allocation_id IN %s AND hours > 0
              GROUP BY allocation_id
                """,
                tuple(ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _lock_employees(self):
        """Serialize confirmations per consultant across concurrent transactions.

        Touching the employee rows makes a concurrent confirmation of the same
        consultant wait, then fail with a serialization error and be retried, so
        its load check sees this one.
        """
        self.env.cr.execute(
            SQL(
                "UPDATE hr_employee SET id = id WHERE id IN %s",
                tuple(self.employee_id.ids),
            )
        )

    def _check_load(self):
        """Refuse confirmed allocations that push a consultant over capacity."""
        if not self:
            return
        self._lock_employees()
        # a consultant left to a background rebuild is rebuilt now: the check
        # never reads capacity that a schedule change made stale
        self.env["staffing.ledger"]._settle_pending(self.employee_id.ids)
        overloads = self._get_overloads(("confirmed",))
        for allocation in self:
            if overloads.get(allocation.id):
                raise ValidationError(
                    allocation._get_overload_message(overloads[allocation.id])
                )

    def _get_overload_message(self, overloads):
        others = self.sudo().search(
            [
                ("employee_id", "=", self.employee_id.id),
                ("state", "=", "confirmed"),
                ("id", "!=", self.id),
                ("date_start", "<=", overloads[-1].day),
                ("date_end", ">=", overloads[0].day),
            ]
        )
        days = ", ".join(
            self.env._(
                "%(day)s (%(load).1f h for %(limit).1f h)",
                day=format_date(self.env, overload.day),
                load=overload.load,
                limit=overload.limit,
            )
            for overload in overloads[:5]
        )
        if len(overloads) > 5:
            days += self.env._(" and %(count)s more days", count=len(overloads) - 5)
        return self.env._(
            "Confirming %(name)s puts %(employee)s over capacity on %(days)s. "
            "Other confirmed allocations: %(others)s.",
            name=self.display_name,
            employee=self.employee_id.sudo().name,
            days=days,
            others=", ".join(others.mapped("display_name")) or self.env._("none"),
        )

    # ------------------------------------------------------------ leave impact
    # Approved time off and public holidays that take hours from confirmed work:
    # the allocations keep the hours lost, their planners get a to-do with
    # substitutes, the engagement managers are told; the plan is the planner's.

    @api.model
    def _note_leave_impact(self, before, after):
        """Remember what a capacity change did to confirmed work; act at commit.

        :param before: ``staffing.ledger._read_confirmed_days`` before the change
        :param after: the same days after it
        """
        impacts = load.leave_impacts(before, after)
        if not impacts:
            return
        precommit = self.env.cr.precommit
        if IMPACT_KEY not in precommit.data:
            precommit.data[IMPACT_KEY] = {}
            precommit.add(self._flush_leave_impacts)
        pending = precommit.data[IMPACT_KEY]
        for allocation_id, impact in impacts.items():
            total = pending.setdefault(allocation_id, load.LeaveImpact())
            total.lost += impact.lost
            total.regained += impact.regained
            total.days |= impact.days

    def _flush_leave_impacts(self):
        """One pass per transaction: hours lost, the planners' to-do, the news."""
        pending = self.env.cr.precommit.data.pop(IMPACT_KEY, {})
        # sudo: leave is approved by HR officers, who need not read the plan
        allocations = self.sudo().browse(list(pending)).exists()
        by_value = defaultdict(list)
        for allocation in allocations:
            impact = pending[allocation.id]
            lost = allocation.leave_lost_hours + impact.lost - impact.regained
            by_value[max(0.0, round(lost, 2))].append(allocation.id)
        for value, ids in by_value.items():
            allocations.browse(ids)._write_action_values({"leave_lost_hours": value})
        hit = allocations.filtered(
            lambda a: a.state == "confirmed" and pending[a.id].lost > load.EPSILON
        )
        hit._ask_restaffing_soon(pending)
        hit._notify_leave_to_engagement_managers(pending)
        (allocations - hit).filtered(
            lambda a: pending[a.id].regained > load.EPSILON
        )._note_leave_withdrawn(pending)
        self.env.flush_all()

    def _note_leave_withdrawn(self, impacts):
        """Leave refused or holiday removed: say so; no loss left, no to-do left."""
        for allocation in self:
            allocation.message_post(
                body=self.env._(
                    "Time off or a public holiday was withdrawn: %(hours).1f h of "
                    "this allocation are back.",
                    hours=impacts[allocation.id].regained,
                )
            )
        self.filtered(lambda a: not a.leave_lost_hours).activity_unlink(
            [LEAVE_ACTIVITY]
        )

    def _ask_restaffing_soon(self, impacts):
        """Rank substitutes now for a few allocations, in background jobs for
        many (a company-wide holiday over hundreds of bookings): the ranking
        costs a few queries per allocation."""
        params = self.env["ir.config_parameter"].sudo()
        limit = int(params.get_param(RESTAFFING_SYNC_PARAM, RESTAFFING_SYNC_DEFAULT))
        if len(self) <= limit:
            return self._ask_restaffing(impacts)
        for index in range(0, len(self), max(limit, 1)):
            batch = self[index : index + max(limit, 1)]
            payload = {
                str(allocation.id): [
                    impacts[allocation.id].lost,
                    sorted(
                        fields.Date.to_string(day)
                        for day in impacts[allocation.id].days
                    ),
                ]
                for allocation in batch
            }
            batch.with_delay(
                description=self.env._(
                    "Propose substitutes for %(count)s allocations hit by leave",
                    count=len(batch),
                )
            )._ask_restaffing_job(payload)

    def _ask_restaffing_job(self, payload):
        """Background part of :meth:`_ask_restaffing_soon`: ``payload`` maps
        each allocation id to its lost hours and lost days (ISO dates)."""
        impacts = {
            int(key): load.LeaveImpact(
                lost=lost, days={fields.Date.to_date(day) for day in days}
            )
            for key, (lost, days) in payload.items()
        }
        # still confirmed and still short: a re-plan meanwhile needs no to-do
        allocations = self.exists().filtered(
            lambda a: a.state == "confirmed" and a.leave_lost_hours > load.EPSILON
        )
        allocations._ask_restaffing(impacts)
        return self.env._(
            "%(count)s to-dos with substitutes scheduled.", count=len(allocations)
        )

    def _ask_restaffing(self, impacts):
        """Each planner of the allocations gets a to-do with substitutes."""
        planners = self.env.ref("resource_sharing.group_planner").sudo().users
        for allocation in self:
            impact = impacts[allocation.id]
            users = allocation.request_id.planner_id or planners.filtered(
                lambda u, company=allocation.company_id: company in u.company_ids
            )
            note = allocation._get_restaffing_note(impact)
            for user in users:
                allocation.activity_schedule(
                    LEAVE_ACTIVITY,
                    user_id=user.id,
                    summary=self.env._(
                        "Re-staff %(hours).1f h lost to leave", hours=impact.lost
                    ),
                    note=note,
                )

    def _get_restaffing_note(self, impact):
        """What the planner's to-do says: the lost days and who could take them."""
        self.ensure_one()
        days = sorted(impact.days)
        text = self.env._(
            "%(employee)s is away on %(days)s: this allocation loses %(hours).1f h.",
            # sudo: a lent consultant belongs to a company the planner may not see
            employee=self.employee_id.sudo().name,
            days=", ".join(format_date(self.env, day) for day in days),
            hours=impact.lost,
        )
        if self.is_overloaded:
            text += " " + self.env._("The consultant is now over capacity.")
        note = Markup("<p>%s</p>") % text
        if not self.request_line_id:
            return note + Markup("<p>%s</p>") % self.env._(
                "It has no position to rank substitutes for."
            )
        substitutes = self._get_leave_substitutes(days, impact.lost)
        if not substitutes:
            return note + Markup("<p>%s</p>") % self.env._(
                "Nobody with the mandatory skills is free on those days."
            )
        items = Markup().join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(name)s: score %(score).1f, %(hours).1f h free",
                name=candidate["name"],
                score=candidate["score"],
                hours=candidate["available_hours"],
            )
            for candidate in substitutes
        )
        header = self.env._("Proposed substitutes for those days:")
        return note + Markup("<p>%s</p><ul>%s</ul>") % (header, items)

    def _get_leave_substitutes(self, days, hours):
        """The best ranked consultants with free hours on the lost days."""
        line = self.request_line_id
        first, last = max(days[0], line.date_start), min(days[-1], line.date_end)
        if first > last:
            return []
        candidates = line.get_candidates(
            limit=SUBSTITUTE_COUNT + 1, date_from=first, date_to=last, hours=hours
        )
        return [
            candidate
            for candidate in candidates
            if candidate["employee_id"] != self.employee_id.id
            and candidate["available_hours"] > 0
        ][:SUBSTITUTE_COUNT]

    def _notify_leave_to_engagement_managers(self, impacts):
        """One message per request, to its engagement manager; no plan changes."""
        for request in self.request_id:
            allocations = self.filtered(lambda a, r=request: a.request_id == r)
            items = Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(name)s: %(hours).1f h lost%(over)s",
                    name=allocation.display_name,
                    hours=impacts[allocation.id].lost,
                    over=self.env._(", now over capacity")
                    if allocation.is_overloaded
                    else "",
                )
                for allocation in allocations
            )
            header = self.env._(
                "Time off or a public holiday hits confirmed work on %(name)s; "
                "the planner was asked to propose substitutes, the plan is "
                "unchanged.",
                name=request.display_name,
            )
            request.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>") % (header, items),
                partner_ids=request.engagement_manager_id.partner_id.ids,
                subtype_xmlid="resource_sharing.mt_request_leave",
            )

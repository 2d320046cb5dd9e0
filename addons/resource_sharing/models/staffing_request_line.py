from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import bounds, ranking
from .staffing_allocation import MONEY_GROUPS

# who works with partner requests and their offers
PARTNER_GROUPS = "resource_sharing.group_planner,resource_sharing.group_approver"
ADVICE_SELECTION = [
    ("postpone", "Postpone"),
    ("other_profile", "Other Profile"),
    ("split", "Split over Several Consultants"),
    ("other", "Other"),
]


class StaffingRequestLine(models.Model):
    _name = "staffing.request.line"
    _inherit = "staffing.guard.mixin"
    _description = "Staffing Position"
    _order = "request_id, sequence, id"
    _check_company_auto = True

    _action_fields = frozenset(
        {
            "is_unfillable",
            "is_cancelled",
            "unfillable_reason",
            "unfillable_advice",
            "advised_date",
            "advised_role_id",
            "sale_line_id",
        }
    )
    _non_negative_fields = frozenset({"planned_hours", "sold_rate"})
    _period_fields = (("date_start", "date_end"),)

    request_id = fields.Many2one(
        comodel_name="staffing.request",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Description")
    role_id = fields.Many2one(
        comodel_name="staffing.role",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    skill_requirement_ids = fields.One2many(
        comodel_name="staffing.skill.requirement",
        inverse_name="request_line_id",
        string="Required Skills",
        copy=True,
    )
    date_start = fields.Date(required=True)
    date_end = fields.Date(required=True)
    planned_hours = fields.Float(
        string="Hours",
        required=True,
        help="Hours sold or asked for this position over its period.",
    )
    sold_rate = fields.Monetary(
        currency_field="currency_id",
        help="Hourly rate sold to the customer; the role's bill rate when empty.",
    )
    sale_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        ondelete="set null",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    allocation_ids = fields.One2many(
        comodel_name="staffing.allocation",
        inverse_name="request_line_id",
        string="Allocations",
    )
    allocated_hours = fields.Float(
        compute="_compute_hours",
        store=True,
        help="Hours booked on this position, tentative or confirmed.",
    )
    confirmed_hours = fields.Float(compute="_compute_hours", store=True)
    remaining_hours = fields.Float(
        compute="_compute_hours",
        store=True,
        help="Hours still to book on this position.",
    )
    state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("partial", "Partially Staffed"),
            ("staffed", "Staffed"),
            ("unfillable", "Unfillable"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    is_unfillable = fields.Boolean(copy=False, readonly=True)
    is_cancelled = fields.Boolean(copy=False, readonly=True)
    unfillable_reason = fields.Text(copy=False, readonly=True)
    unfillable_advice = fields.Selection(
        selection=ADVICE_SELECTION, copy=False, readonly=True
    )
    advised_date = fields.Date(
        copy=False,
        readonly=True,
        help="Earliest date from which the position can be staffed.",
    )
    advised_role_id = fields.Many2one(
        comodel_name="staffing.role",
        string="Advised Profile",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
    partner_id = fields.Many2one(related="request_id.partner_id", store=True)
    project_id = fields.Many2one(related="request_id.project_id", store=True)
    request_state = fields.Selection(
        related="request_id.state", string="Request Status"
    )
    priority = fields.Selection(related="request_id.priority", store=True)
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="request_id.currency_id")
    partner_request_ids = fields.One2many(
        comodel_name="staffing.partner.request",
        inverse_name="request_line_id",
        string="Requests for Partners",
        groups=PARTNER_GROUPS,
    )
    partner_proposal_ids = fields.One2many(
        comodel_name="staffing.partner.proposal",
        inverse_name="request_line_id",
        string="Partner Proposals",
        groups=PARTNER_GROUPS,
    )

    @api.depends(
        "planned_hours", "allocation_ids.state", "allocation_ids.allocated_hours"
    )
    def _compute_hours(self):
        for line in self:
            active = line.allocation_ids.filtered(
                lambda a: a.state in ("draft", "to_approve", "confirmed")
            )
            confirmed = active.filtered(lambda a: a.state == "confirmed")
            line.allocated_hours = sum(active.mapped("allocated_hours"))
            line.confirmed_hours = sum(confirmed.mapped("allocated_hours"))
            line.remaining_hours = max(0.0, line.planned_hours - line.allocated_hours)

    @api.depends(
        "is_cancelled",
        "is_unfillable",
        "planned_hours",
        "confirmed_hours",
        "allocated_hours",
    )
    def _compute_state(self):
        for line in self:
            if line.is_cancelled:
                line.state = "cancelled"
            elif line.is_unfillable:
                line.state = "unfillable"
            elif line.planned_hours and line.confirmed_hours >= line.planned_hours:
                line.state = "staffed"
            elif line.allocated_hours:
                line.state = "partial"
            else:
                line.state = "open"

    @api.depends("request_id.name", "role_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.request_id.name} - {line.role_id.name}"

    @api.constrains("planned_hours")
    def _check_hours(self):
        for line in self:
            if line.planned_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "Position %(name)s needs a positive number of hours.",
                        name=line.display_name,
                    )
                )

    @api.onchange("role_id")
    def _onchange_role_id(self):
        is_planner = self.env.user.has_group("resource_sharing.group_planner")
        if self.role_id and not self.skill_requirement_ids and is_planner:
            self.skill_requirement_ids = (
                self.role_id._prepare_skill_requirement_commands()
            )
        if self.role_id and not self.sold_rate:
            self.sold_rate = self.role_id.bill_rate

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("role_id"):
                raise ValidationError(self.env._("Every position needs a role."))
            request = self.env["staffing.request"].browse(vals.get("request_id"))
            vals.setdefault("date_start", request.date_start)
            vals.setdefault("date_end", request.date_end)
        lines = super().create(vals_list)
        for line, vals in zip(lines, vals_list, strict=True):
            if "skill_requirement_ids" not in vals:
                # sudo: a position starts with its role's default skills, whoever
                # hands it over; only planners change them afterwards
                line.sudo().skill_requirement_ids = (
                    line.role_id._prepare_skill_requirement_commands()
                )
        return lines

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for line in self:
            if line.allocation_ids or line.request_id.state != "draft":
                raise UserError(
                    self.env._(
                        "Position %(name)s has a history: cancel it instead.",
                        name=line.display_name,
                    )
                )

    # ------------------------------------------------------------------ actions

    def action_ask_partners(self):
        """Choose the partner companies to send this position to."""
        self.ensure_one()
        self._check_planner(self.env._("Only planners ask partner companies."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ask Partner Companies"),
            "res_model": "staffing.partner.request.send",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_request_line_id": self.id},
        }

    def action_find_candidates(self):
        self.ensure_one()
        search = self.env["staffing.candidate.search"].create({"line_id": self.id})
        search.action_refresh()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Candidates for %(name)s", name=self.display_name),
            "res_model": "staffing.candidate.search",
            "res_id": search.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_mark_unfillable(self):
        self.ensure_one()
        if self.state not in ("open", "partial"):
            raise UserError(
                self.env._(
                    "Position %(name)s is not open: only open positions can be "
                    "marked unfillable.",
                    name=self.display_name,
                )
            )
        earliest = self.get_earliest_feasible_date()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Nobody Fits"),
            "res_model": "staffing.request.line.unfillable",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_line_id": self.id,
                "default_advised_date": earliest or False,
                "default_advice": "postpone" if earliest else "other_profile",
            },
        }

    def action_reopen(self):
        self._check_planner(
            self.env._("Only PMO planners can reopen a position marked unfillable.")
        )
        for line in self:
            if line.state != "unfillable":
                raise UserError(
                    self.env._(
                        "Position %(name)s is not marked unfillable.",
                        name=line.display_name,
                    )
                )
        self._write_action_values(
            {
                "is_unfillable": False,
                "unfillable_reason": False,
                "unfillable_advice": False,
                "advised_date": False,
                "advised_role_id": False,
            }
        )
        for line in self:
            line.request_id.message_post(
                body=self.env._(
                    "Position %(name)s is open again.", name=line.display_name
                )
            )
        self.request_id._sync_staffed_state()
        return True

    def _check_planner(self, message):
        if not self.env.su and not self.env.user.has_group(
            "resource_sharing.group_planner"
        ):
            raise UserError(message)

    # ------------------------------------------------------------------ ranking

    def get_candidates(self, limit=10, date_from=None, date_to=None, hours=None):
        """Rank consultants for this position, best first.

        By default for the position's remaining hours over its whole period.
        Given ``date_from`` and ``date_to`` (days within the position's period)
        and ``hours``, for that many more hours on those days only, on top of
        everything already booked: e.g. someone to take over the days a
        consultant is away.

        :return: list of dicts with employee_id, name, score, available_hours,
            is_external, cost_rate, sold_rate, breakdown (text), parts (the
            ranking's) and score_parts (label, detail and points of each part,
            as the score badges show them).
        """
        self.ensure_one()
        if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
            raise UserError(self.env._("Ask for at least one candidate."))
        limit = min(limit, 500)
        period = self._get_ranking_period(date_from, date_to, hours)
        needs = self._get_skill_needs()
        employees = self._get_eligible_employees(needs)
        facts = self._get_candidate_facts(employees, period)
        scores = ranking.rank_candidates(facts, needs, limit=limit)
        by_id = {employee.id: employee for employee in employees}
        facts_by_id = {fact.employee_key: fact for fact in facts}
        show_money = self._can_read_money()
        return [
            self._prepare_candidate_values(
                score,
                by_id[score.employee_key],
                facts_by_id[score.employee_key],
                show_money=show_money,
            )
            for score in scores
        ]

    def _get_ranking_period(self, date_from=None, date_to=None, hours=None):
        """(first day, last day, hours needed, allocations left out of the load).

        The whole period leaves the position's own allocations out, so that
        re-ranking does not count them against their consultants; a part of the
        period ranks extra hours, so every booking counts.
        """
        needed = self.remaining_hours or self.planned_hours
        if date_from is None and date_to is None and hours is None:
            return self.date_start, self.date_end, needed, self.allocation_ids.ids
        try:
            first = fields.Date.to_date(date_from or self.date_start)
            last = fields.Date.to_date(date_to or self.date_end)
        except (TypeError, ValueError):
            first = last = None
        if not (first and last and self.date_start <= first <= last <= self.date_end):
            raise UserError(
                self.env._(
                    "Rank candidates of %(name)s on days within its period "
                    "(%(start)s to %(end)s), the first not after the last.",
                    name=self.display_name,
                    start=self.date_start,
                    end=self.date_end,
                )
            )
        if hours is not None:
            if bounds.number_error(hours, non_negative=True) or float(hours) <= 0:
                raise UserError(
                    self.env._("Rank candidates for a positive number of hours.")
                )
            needed = float(hours)
        return first, last, needed, []

    def _can_read_money(self):
        user = self.env.user
        return self.env.su or any(
            user.has_group(xmlid) for xmlid in MONEY_GROUPS.split(",")
        )

    def get_earliest_feasible_date(self):
        """First day someone meeting the mandatory skills has the hours free.

        :return: ISO date string, or False when nobody within the horizon.
        """
        self.ensure_one()
        employees = self._get_eligible_employees(self._get_skill_needs())
        if not employees:
            return False
        today = fields.Date.context_today(self)
        search_from = max(today, self.date_start)
        horizon = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("resource_sharing.planning_horizon_days", 365)
        )
        window = (self.date_end - self.date_start).days + 1
        self.env.flush_all()
        found = self.env["staffing.ledger"]._get_earliest_start(
            employees.ids,
            self.remaining_hours or self.planned_hours,
            window,
            search_from,
            search_from + timedelta(days=horizon + 1),
            exclude=self.allocation_ids.ids,
        )
        return found.isoformat() if found else False

    def _get_skill_needs(self):
        return [
            ranking.SkillNeed(
                skill_key=req.skill_id.id,
                min_progress=req.level_id.level_progress,
                mandatory=req.mandatory,
            )
            for req in self.skill_requirement_ids
        ]

    def _get_eligible_employees(self, needs):
        """Active consultants who have every mandatory skill: of the company,
        and the internal consultants of sister companies lending to it."""
        lenders = self.env["staffing.sharing.agreement"]._get_lenders(self.company_id)
        domain = [("company_id", "in", (self.company_id.id, False))]
        if lenders:
            domain = [
                "|",
                *domain,
                "&",
                ("company_id", "in", list(lenders)),
                ("staffing_partner_id", "=", False),
            ]
        for need in needs:
            if need.mandatory:
                skill_domain = [
                    ("skill_id", "=", need.skill_key),
                    ("level_progress", ">=", need.min_progress),
                ]
                domain.append(("employee_skill_ids", "any", skill_domain))
        # sudo: skills are HR data and a lent consultant belongs to a company
        # the user may not be in; the company domain above keeps the scope
        return self.env["hr.employee"].sudo().search(domain)

    def _get_candidate_facts(self, employees, period=None):
        """:param period: from :meth:`_get_ranking_period`; the whole one if None"""
        date_from, date_to, needed, exclude = period or self._get_ranking_period()
        self.env.flush_all()
        totals = self.env["staffing.ledger"]._get_period_totals(
            employees.ids, date_from, date_to, exclude=exclude
        )
        skills = self._get_employee_skill_progress(employees)
        customers = self._get_employees_with_customer(employees)
        sold_rate = self.sold_rate or self.role_id.bill_rate
        lenders = self.env["staffing.sharing.agreement"]._get_lenders(self.company_id)
        facts = []
        for employee in employees:
            capacity, confirmed, free = totals.get(employee.id, (0.0, 0.0, 0.0))
            agreement = (
                lenders.get(employee.company_id.id)
                if employee.company_id and employee.company_id != self.company_id
                else None
            )
            facts.append(
                ranking.CandidateFacts(
                    employee_key=employee.id,
                    name=employee.name,
                    skills=skills.get(employee.id, {}),
                    is_external=employee.is_external,
                    available_hours=free,
                    needed_hours=needed,
                    utilization=confirmed / capacity if capacity > 0 else 0.0,
                    worked_for_customer=employee.id in customers,
                    cost_rate=(
                        agreement._get_rate(self.role_id)
                        if agreement
                        else employee._get_staffing_cost_rate()
                    ),
                    sold_rate=sold_rate,
                    is_lent=bool(agreement),
                )
            )
        return facts

    def _get_employee_skill_progress(self, employees):
        result = {}
        # sudo: skills of other employees are HR data; ranking reads levels only
        for skill in (
            self.env["hr.employee.skill"]
            .sudo()
            .search([("employee_id", "in", employees.ids)])
        ):
            result.setdefault(skill.employee_id.id, {})[skill.skill_id.id] = (
                skill.level_progress
            )
        return result

    def _get_employees_with_customer(self, employees):
        """Employees who were staffed on or logged time for this customer."""
        if not self.partner_id:
            return set()
        partner = self.partner_id.commercial_partner_id
        allocations = self.env["staffing.allocation"]._read_group(
            [
                ("employee_id", "in", employees.ids),
                ("state", "=", "confirmed"),
                ("partner_id", "child_of", partner.id),
            ],
            ["employee_id"],
        )
        # sudo: timesheets of colleagues are private; only their existence counts
        timesheets = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("project_id.partner_id", "child_of", partner.id),
                ],
                ["employee_id"],
            )
        )
        return {emp.id for (emp,) in allocations} | {emp.id for (emp,) in timesheets}

    def _prepare_candidate_values(self, score, employee, facts, show_money=True):
        """A candidate as the caller may see it: rates only for the money groups."""
        values = {
            "employee_id": employee.id,
            "name": employee.name,
            "score": score.total,
            "available_hours": round(facts.available_hours, 2),
            "needed_hours": round(facts.needed_hours, 2),
            "is_external": employee.is_external,
            "partner_company": employee.staffing_partner_id.name or "",
            "company": employee.company_id.name or "",
            "origin": (
                "partner"
                if employee.is_external
                else "sister"
                if facts.is_lent
                else "home"
            ),
            "breakdown": "\n".join(
                self._format_score_part(
                    part, show_money=show_money, company=employee.company_id.name
                )
                for part in score.parts
            ),
            "score_parts": self._prepare_score_parts(
                score, show_money=show_money, company=employee.company_id.name
            ),
            "parts": [
                {
                    "key": part.key,
                    "points": part.points,
                    "max_points": part.max_points,
                    "values": (
                        dict(part.values) if show_money or part.key != "margin" else {}
                    ),
                }
                for part in score.parts
            ],
        }
        if show_money:
            values["cost_rate"] = facts.cost_rate
            values["sold_rate"] = facts.sold_rate
            if facts.is_lent:
                values["intercompany_rate"] = facts.cost_rate
        return values

    def _prepare_score_parts(self, score, show_money=True, company=""):
        """The parts of a score as the score badges show them, without raw values.

        :return: list of dicts with key, label, detail, points and max_points
        """
        return [
            {
                "key": part.key,
                "label": self._get_score_part_label(part.key),
                "detail": self._get_score_part_detail(
                    part, show_money=show_money, company=company
                ),
                "points": part.points,
                "max_points": part.max_points,
            }
            for part in score.parts
        ]

    def _format_score_part(self, part, show_money=True, company=""):
        """One readable, translated line explaining a part of the score."""
        return self.env._(
            "%(label)s: %(points).1f of %(max)s (%(detail)s)",
            label=self._get_score_part_label(part.key),
            points=part.points,
            max=round(part.max_points),
            detail=self._get_score_part_detail(
                part, show_money=show_money, company=company
            ),
        )

    def _get_score_part_label(self, key):
        """The short name of a part of the score."""
        _ = self.env._
        labels = {
            "skills": _("Skills"),
            "availability": _("Availability"),
            "internal": _("Consultant"),
            "bench": _("Bench"),
            "customer": _("Customer"),
            "margin": _("Margin"),
        }
        return labels.get(key, key)

    def _get_score_part_detail(self, part, show_money=True, company=""):
        """What a part of the score is made of; the rates only with ``show_money``."""
        values = part.values
        _ = self.env._
        if part.key == "skills":
            return _(
                "%(count)s mandatory skills met, %(share)s%% of preferred skills",
                count=values["mandatory_count"],
                share=round(values["preferred_share"] * 100),
            )
        if part.key == "availability":
            return _(
                "%(available).1f h free of %(needed).1f h needed",
                available=values["available"],
                needed=values["needed"],
            )
        if part.key == "internal" and values.get("is_lent"):
            return _("internal, lent by %(company)s", company=company)
        if part.key == "internal":
            return _("external") if values["is_external"] else _("internal")
        if part.key == "bench":
            return _(
                "%(percent)s%% booked in the period",
                percent=round(values["utilization"] * 100),
            )
        if part.key == "customer":
            return (
                _("worked for this customer")
                if values["worked_for_customer"]
                else _("new to this customer")
            )
        if part.key == "margin" and not show_money:
            return _("rates hidden")
        if part.key == "margin" and values.get("is_lent"):
            return _(
                "intercompany rate %(cost).2f/h against %(sold).2f/h sold",
                cost=values["cost_rate"],
                sold=values["sold_rate"],
            )
        if part.key == "margin":
            return _(
                "cost %(cost).2f/h against %(sold).2f/h sold",
                cost=values["cost_rate"],
                sold=values["sold_rate"],
            )
        return ""

from dataclasses import replace

from psycopg2.errors import LockNotAvailable

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..engine import optimizer, ranking

PLANNER_GROUP = "resource_sharing.group_planner"
OPEN_STATES = ("open", "partial")
# totals written by the compute action, the optimizer's and first fit's
TOTAL_FIELDS = (
    "filled_hours",
    "escalated_hours",
    "total_score",
    "bench_hours",
    "external_hours",
    "cost",
    "margin",
)
EPSILON = 1e-6
# scopes with more positions than this are computed in a background job
BACKGROUND_PARAM = "resource_sharing.proposal_background_positions"
BACKGROUND_DEFAULT = 40


class StaffingProposal(models.Model):
    """An "Auto-staff" run: the optimizer's plan for a scope of open positions.

    Nothing changes in the plan until the planner applies the proposal: its
    selected lines then become tentative allocations through the normal create
    path, so every rule of the allocations holds.
    """

    _name = "staffing.proposal"
    _description = "Staffing Proposal"
    _inherit = ["mail.thread", "staffing.state.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _state_transitions = {
        "draft": ("computed",),
        "computed": ("draft",),
        "applied": ("computed",),
        "cancelled": ("draft", "computed"),
    }
    _action_fields = frozenset(
        {
            "state",
            "computed_on",
            "applied_by_id",
            "applied_on",
            "solver_status",
            "solver_gap",
            "unfilled_advice",
            "unfilled_line_ids",
            *TOTAL_FIELDS,
            *(f"greedy_{name}" for name in TOTAL_FIELDS),
        }
    )
    _non_negative_fields = frozenset({"time_limit", "max_consultants"})
    _period_fields = (("date_from", "date_to"),)

    name = fields.Char(
        required=True,
        default=lambda self: self.env._("Auto-staff"),
    )
    scope = fields.Selection(
        selection=[
            ("positions", "Selected Positions"),
            ("request", "One Request"),
            ("period", "Open Positions in a Period"),
        ],
        required=True,
        default="positions",
    )
    request_line_ids = fields.Many2many(
        comodel_name="staffing.request.line",
        relation="staffing_proposal_request_line_rel",
        column1="proposal_id",
        column2="request_line_id",
        string="Positions",
        check_company=True,
    )
    request_id = fields.Many2one(
        comodel_name="staffing.request",
        string="Request",
        ondelete="cascade",
        check_company=True,
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    time_limit = fields.Float(
        string="Time Limit (s)",
        default=10.0,
        help="Seconds the optimizer may search; the best plan found is kept.",
    )
    max_consultants = fields.Integer(
        string="Consultants per Position",
        default=optimizer.DEFAULT_MAX_CONSULTANTS,
        help="Most consultants the proposal puts on one position.",
    )
    reshuffle = fields.Boolean(
        string="Move Tentative Work",
        help="For escalated positions: also move tentative allocations of other, "
        "not escalated positions to another qualified consultant or to later "
        "days of their own period. Confirmed work is never moved.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("computed", "Computed"),
            ("applied", "Applied"),
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
    line_ids = fields.One2many(
        comodel_name="staffing.proposal.line",
        inverse_name="proposal_id",
        string="Proposed Allocations",
        copy=False,
    )
    computed_on = fields.Datetime(readonly=True, copy=False)
    applied_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Applied By",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    applied_on = fields.Datetime(readonly=True, copy=False)
    solver_status = fields.Char(readonly=True, copy=False)
    solver_gap = fields.Float(
        string="Optimality Gap",
        readonly=True,
        copy=False,
        help="Largest relative distance to the solver's best bound (0 = proved).",
    )
    unfilled_advice = fields.Text(
        string="Positions Left Short",
        readonly=True,
        copy=False,
        help="Positions the proposal cannot fill, with the earliest date from "
        "which someone meeting the mandatory skills has the hours free.",
    )
    unfilled_line_ids = fields.Many2many(
        comodel_name="staffing.request.line",
        relation="staffing_proposal_unfilled_line_rel",
        column1="proposal_id",
        column2="line_id",
        string="Positions Left Short",
        readonly=True,
        copy=False,
        help="Positions the proposal cannot fill: tell their project that "
        "nobody fits, with the advice, from here.",
    )
    filled_hours = fields.Float(readonly=True, copy=False)
    escalated_hours = fields.Float(readonly=True, copy=False)
    total_score = fields.Float(
        readonly=True, copy=False, help="Fit score points times hours."
    )
    bench_hours = fields.Float(string="Bench Hours Removed", readonly=True, copy=False)
    external_hours = fields.Float(readonly=True, copy=False)
    cost = fields.Float(readonly=True, copy=False)
    margin = fields.Float(readonly=True, copy=False)
    greedy_filled_hours = fields.Float(
        string="First Fit: Filled Hours", readonly=True, copy=False
    )
    greedy_escalated_hours = fields.Float(
        string="First Fit: Escalated Hours", readonly=True, copy=False
    )
    greedy_total_score = fields.Float(
        string="First Fit: Total Score", readonly=True, copy=False
    )
    greedy_bench_hours = fields.Float(
        string="First Fit: Bench Hours Removed", readonly=True, copy=False
    )
    greedy_external_hours = fields.Float(
        string="First Fit: External Hours", readonly=True, copy=False
    )
    greedy_cost = fields.Float(string="First Fit: Cost", readonly=True, copy=False)
    greedy_margin = fields.Float(string="First Fit: Margin", readonly=True, copy=False)
    line_count = fields.Integer(compute="_compute_line_count")

    @api.depends("line_ids")
    def _compute_line_count(self):
        for proposal in self:
            proposal.line_count = len(proposal.line_ids)

    @api.constrains("time_limit", "max_consultants")
    def _check_solver_settings(self):
        for proposal in self:
            if proposal.time_limit <= 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the time limit must be more than 0 seconds.",
                        name=proposal.display_name,
                    )
                )
            if proposal.max_consultants < 1:
                raise ValidationError(
                    self.env._(
                        "%(name)s: allow at least one consultant per position.",
                        name=proposal.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        for proposal in self:
            if proposal.state == "applied":
                raise UserError(
                    self.env._(
                        "%(name)s was applied: it is kept as the history of the "
                        "allocations it made.",
                        name=proposal.display_name,
                    )
                )

    # ------------------------------------------------------------------ actions

    def action_compute(self):
        """Run the optimizer and first fit on the scope; replace the lines."""
        self._check_state_right("computed", {})
        self._check_source_state(
            ("draft", "computed"),
            self.env._("%(name)s is %(state)s: it cannot be computed again."),
        )
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(BACKGROUND_PARAM, BACKGROUND_DEFAULT)
        )
        queued = self.browse()
        for proposal in self:
            if len(proposal._get_scope_positions()) > limit:
                queued |= proposal
            else:
                proposal._compute_plan()
        for proposal in queued:
            proposal.with_delay(
                description=self.env._(
                    "Compute staffing proposal %(name)s", name=proposal.display_name
                )
            )._compute_in_background()
        if not queued:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The proposal is computed in the background; you will be "
                    "told when it is ready."
                ),
            },
        }

    def _compute_in_background(self):
        """Job: compute a large scope and tell the planner who asked."""
        try:
            with self.env.cr.savepoint():
                self._compute_plan()
        except UserError as error:
            body = self.env._(
                "The proposal could not be computed: %(reason)s", reason=error.args[0]
            )
        else:
            body = self.env._(
                "The proposal is ready: %(hours).0f h proposed against %(greedy).0f h "
                "by first fit.",
                hours=self.filled_hours,
                greedy=self.greedy_filled_hours,
            )
        self.message_post(body=body, partner_ids=self.env.user.partner_id.ids)
        self.env.user._bus_send(
            "simple_notification", {"type": "info", "message": body}
        )

    def action_apply(self):
        """Turn the selected lines into tentative allocations, once."""
        self._check_state_right("applied", {})
        self._lock_for_apply()
        self._check_source_state(
            ("computed",),
            self.env._("%(name)s is %(state)s: only a computed proposal is applied."),
        )
        for proposal in self:
            lines = proposal.line_ids.filtered(
                lambda line: line.selected and line.state == "proposed"
            )
            # moves first: they free the room the new work was planned in
            for line in lines.sorted(
                lambda line: (not line.move_allocation_id, line.request_line_id.id)
            ):
                line._apply()
            proposal._write_action_values(
                {
                    "state": "applied",
                    "applied_by_id": self.env.uid,
                    "applied_on": fields.Datetime.now(),
                }
            )
            proposal._post_apply_summary(lines)
        return True

    def action_draft(self):
        """Back to draft to change the scope; the lines are dropped."""
        self._check_source_state(
            ("computed",),
            self.env._("%(name)s is %(state)s: it cannot go back to draft."),
        )
        self.line_ids.unlink()
        self._write_action_values(
            {
                "state": "draft",
                "unfilled_advice": False,
                "unfilled_line_ids": [Command.clear()],
            }
        )
        return True

    def action_cancel(self):
        """Drop a proposal that was not applied."""
        self._check_source_state(
            ("draft", "computed"),
            self.env._("%(name)s is %(state)s: it cannot be cancelled."),
        )
        self._write_action_values({"state": "cancelled"})
        return True

    def action_open_timeline(self):
        """The proposed lines on a timeline, one row per consultant."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_proposal_line_action"
        )
        action["display_name"] = self.env._(
            "Timeline of %(name)s", name=self.display_name
        )
        action["domain"] = [("proposal_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ helpers

    def _check_state_right(self, new_state, vals):
        self._check_group(
            PLANNER_GROUP,
            self.env._("Only PMO planners can compute or apply staffing proposals."),
        )

    def _get_scope_positions(self):
        """The open positions of the scope, with hours left to staff."""
        self.ensure_one()
        lines = self.env["staffing.request.line"]
        if self.scope == "positions":
            lines = self.request_line_ids
        elif self.scope == "request":
            lines = self.request_id.line_ids
        elif self.date_from and self.date_to:
            lines = lines.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", OPEN_STATES),
                    ("date_start", "<=", self.date_to),
                    ("date_end", ">=", self.date_from),
                ]
            )
        return lines

    def _compute_plan(self):
        self.ensure_one()
        positions = self._get_scope_positions()
        if not positions:
            raise UserError(
                self.env._("%(name)s: the scope is empty.", name=self.display_name)
            )
        today = fields.Date.context_today(self)
        positions = positions.filtered(
            lambda line: (
                line.state in OPEN_STATES
                and line.remaining_hours >= 1
                and line.date_end >= today
            )
        )
        if not positions:
            raise UserError(
                self.env._(
                    "%(name)s: no position of the scope has hours left to staff.",
                    name=self.display_name,
                )
            )
        data = self._gather_facts(positions, today)
        plan = self._optimize(data)
        greedy = optimizer.greedy_first_fit(
            data["positions"], self._without_movable(data), data["candidates"]
        )
        self.line_ids.unlink()
        self.env["staffing.proposal.line"]._create_with_action_values(
            [
                *(self._prepare_move_values(move, data) for move in plan.moves),
                *(
                    self._prepare_line_values(assignment, data)
                    for assignment in plan.assignments
                    if assignment.booking_key is None
                ),
            ],
            {"staffing.proposal.line": self.env["staffing.proposal.line"]._fields},
        )
        values = self._prepare_computed_values(plan, greedy, data)
        advice, short = self._get_unfilled_advice(positions, plan)
        values["unfilled_advice"] = advice
        values["unfilled_line_ids"] = [Command.set(short.ids)]
        self._write_action_values(values)

    def _optimize(self, data):
        try:
            return optimizer.optimize(
                data["positions"],
                data["consultants"],
                data["candidates"],
                time_limit=self.time_limit,
                movable=data["bookings"],
            )
        except ValueError:
            if not data["bookings"]:
                raise
        # the tentative work cannot all be placed again (overbooked days): plan
        # with free capacity only
        data["consultants"] = self._without_movable(data)
        data["bookings"] = []
        return optimizer.optimize(
            data["positions"],
            data["consultants"],
            data["candidates"],
            time_limit=self.time_limit,
        )

    def _without_movable(self, data):
        """The consultants' free hours with the movable bookings where they are."""
        booked = {}
        for booking in data["bookings"]:
            days = booked.setdefault(booking.consultant_key, {})
            for day, hours in booking.days.items():
                days[day] = days.get(day, 0.0) + hours
        return [
            replace(
                consultant,
                free_hours={
                    day: hours - booked.get(consultant.key, {}).get(day, 0.0)
                    for day, hours in consultant.free_hours.items()
                    if hours - booked.get(consultant.key, {}).get(day, 0.0) > EPSILON
                },
            )
            for consultant in data["consultants"]
        ]

    def _get_unfilled_advice(self, positions, plan):
        """The positions left short, and one line of advice each: hours
        missing, earliest feasible date.

        :return: (text, staffing.request.line records)
        """
        filled = plan.hours_by_position()
        advice = []
        short = self.env["staffing.request.line"]
        for line in positions:
            missing = line.remaining_hours - filled.get(line.id, 0)
            if missing < 1:
                continue
            short |= line
            earliest = line.get_earliest_feasible_date()
            advice.append(
                self.env._(
                    "%(position)s: %(missing).1f h not staffed; earliest feasible "
                    "start: %(date)s.",
                    position=line.display_name,
                    missing=missing,
                    date=earliest or self.env._("none within the planning horizon"),
                )
            )
        return "\n".join(advice), short

    def _gather_facts(self, positions, today):
        """Engine input from the ranking of each position and the ledger."""
        data = {"positions": [], "candidates": [], "scores": {}, "facts": {}}
        for line in positions:
            self._add_ranked_position(line, today, data)
        movable = self._get_movable_allocations(positions, data, today)
        for line in movable.request_line_id:
            self._add_ranked_position(line, today, data, needed_hours=0)
        booked = self._read_allocation_days(movable)
        freed = {}
        for allocation in movable:
            days = freed.setdefault(allocation.employee_id.id, {})
            for day, hours in booked.get(allocation.id, {}).items():
                days[day] = days.get(day, 0.0) + hours
        free = self._read_free_hours(
            list(data["facts"]),
            min(p.date_start for p in data["positions"]),
            max(p.date_end for p in data["positions"]),
            freed=freed,
        )
        data["bookings"] = [
            optimizer.Booking(
                key=allocation.id,
                position_key=allocation.request_line_id.id,
                consultant_key=allocation.employee_id.id,
                hours=int(allocation.allocated_hours),
                days=booked.get(allocation.id, {}),
            )
            for allocation in movable
        ]
        data["consultants"] = [
            optimizer.Consultant(
                key=key,
                free_hours=free.get(key, {}),
                is_external=fact.is_external,
                cost_rate=fact.cost_rate,
                on_bench=not fact.is_external
                and fact.utilization < ranking.BENCH_ZERO_UTILIZATION,
                name=fact.name,
            )
            for key, fact in data["facts"].items()
        ]
        return data

    def _add_ranked_position(self, line, today, data, needed_hours=None):
        """The position and its best candidates, scored as get_candidates does."""
        needs = line._get_skill_needs()
        employees = line._get_eligible_employees(needs)
        facts = {
            fact.employee_key: fact for fact in line._get_candidate_facts(employees)
        }
        limit = 3 * optimizer.DEFAULT_TOP_K
        for score in ranking.rank_candidates(facts.values(), needs, limit=limit):
            fact = facts[score.employee_key]
            data["candidates"].append(
                optimizer.Candidate(
                    line.id, score.employee_key, optimizer.scale_score(score.total)
                )
            )
            data["scores"][line.id, score.employee_key] = (score, fact)
            data["facts"].setdefault(score.employee_key, fact)
        position = self._prepare_engine_position(line, today)
        if needed_hours is not None:
            position = replace(position, needed_hours=needed_hours)
        data["positions"].append(position)

    def _get_movable_allocations(self, positions, data, today):
        """Tentative work of other, not escalated positions that the escalated
        positions' candidates do in their periods: what a reshuffle may move."""
        escalated = positions.filtered(lambda line: line.request_id.priority == "1")
        if not self.reshuffle or not escalated:
            return self.env["staffing.allocation"]
        employee_ids = {
            key for (line_id, key) in data["scores"] if line_id in escalated.ids
        }
        allocations = self.env["staffing.allocation"].search(
            [
                ("state", "=", "draft"),
                ("employee_id", "in", list(employee_ids)),
                ("request_line_id", "not in", positions.ids),
                ("request_line_id.state", "in", OPEN_STATES),
                ("request_id.priority", "!=", "1"),
                ("company_id", "=", self.company_id.id),
                ("date_start", ">=", today),
                ("date_start", "<=", max(escalated.mapped("date_end"))),
                ("date_end", ">=", min(escalated.mapped("date_start"))),
            ]
        )
        # whole hours only: the optimizer books whole hours
        return allocations.filtered(
            lambda a: (
                a.allocated_hours >= 1
                and abs(a.allocated_hours - round(a.allocated_hours)) < EPSILON
            )
        )

    def _read_allocation_days(self, allocations):
        """Hours per day of each allocation, as the ledger spread them."""
        if not allocations:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT allocation_id, date, hours FROM staffing_ledger_booking "
                "WHERE allocation_id = ANY(%s) AND hours > 0",
                allocations.ids,
            )
        )
        result = {}
        for allocation_id, day, hours in self.env.cr.fetchall():
            result.setdefault(allocation_id, {})[day] = hours
        return result

    def _prepare_engine_position(self, line, today):
        return optimizer.Position(
            key=line.id,
            needed_hours=int(line.remaining_hours + EPSILON),
            date_start=max(line.date_start, today),
            date_end=line.date_end,
            escalated=line.request_id.priority == "1",
            max_consultants=self.max_consultants,
            sold_rate=line.sold_rate or line.role_id.bill_rate,
            name=line.display_name,
        )

    def _read_free_hours(self, employee_ids, date_from, date_to, freed=None):
        """Free hours per consultant and day from the ledger: capacity with the
        company's tolerance, minus every confirmed and tentative booking.

        :param freed: {employee_id: {date: hours}} of bookings counted as free
            (the tentative work a reshuffle may move)
        :return: {employee_id: {date: hours}}
        """
        if not employee_ids:
            return {}
        freed = freed or {}
        ledger = self.env["staffing.ledger"]
        ledger._ensure_coverage(dict.fromkeys(employee_ids, (date_from, date_to)))
        self.env.flush_all()
        factor = 1.0 + (self.company_id.staffing_overload_tolerance or 0.0) / 100.0
        self.env.cr.execute(
            SQL(
                """
                SELECT employee_id, date,
                       capacity_hours * %(factor)s - confirmed_hours - tentative_hours
                  FROM staffing_ledger
                 WHERE employee_id = ANY(%(ids)s)
                   AND date BETWEEN %(date_from)s AND %(date_to)s
                   AND capacity_hours > 0
                """,
                factor=factor,
                ids=employee_ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        result = {}
        for employee_id, day, hours in self.env.cr.fetchall():
            hours += freed.get(employee_id, {}).get(day, 0.0)
            if hours > EPSILON:
                result.setdefault(employee_id, {})[day] = hours
        return result

    def _prepare_line_values(self, assignment, data):
        line = self.env["staffing.request.line"].browse(assignment.position_key)
        employee = self.env["hr.employee"].browse(assignment.consultant_key)
        score, fact = data["scores"][assignment.position_key, assignment.consultant_key]
        values = line._prepare_candidate_values(score, employee, fact)
        days = sorted(assignment.days)
        return {
            "proposal_id": self.id,
            "request_line_id": line.id,
            "employee_id": employee.id,
            "hours": assignment.hours,
            "date_start": days[0] if days else line.date_start,
            "date_end": days[-1] if days else line.date_end,
            "score": score.total,
            "score_breakdown": values["breakdown"],
            "score_parts": values["score_parts"],
            "is_external": employee.is_external,
        }

    def _prepare_move_values(self, move, data):
        allocation = self.env["staffing.allocation"].browse(move.booking_key)
        score = data["scores"].get((move.position_key, move.to_consultant_key))
        employee = self.env["hr.employee"].browse(move.to_consultant_key)
        position = self.env["staffing.request.line"].browse(move.position_key)
        days = sorted(move.days)
        return {
            "proposal_id": self.id,
            "request_line_id": move.position_key,
            "employee_id": move.to_consultant_key,
            "from_employee_id": move.from_consultant_key,
            "move_allocation_id": allocation.id,
            "hours": move.hours,
            "date_start": days[0],
            "date_end": days[-1],
            "score": score[0].total if score else 0.0,
            "score_breakdown": self.env._(
                "Moved from %(employee)s, %(start)s to %(end)s, to make room for "
                "an escalation.",
                employee=allocation.employee_id.name,
                start=allocation.date_start,
                end=allocation.date_end,
            ),
            "score_parts": score
            and position._prepare_score_parts(
                score[0], company=employee.company_id.name
            ),
            "is_external": employee.is_external,
        }

    def _prepare_computed_values(self, plan, greedy, data):
        best, first_fit = optimizer.compare(
            data["positions"], data["consultants"], plan, greedy
        )
        values = {
            "state": "computed",
            "computed_on": fields.Datetime.now(),
            "solver_status": ", ".join(
                f"{stage.name}: {stage.status}" for stage in plan.stats.stages
            ),
            "solver_gap": plan.stats.gap,
        }
        for name, totals in (("", best), ("greedy_", first_fit)):
            values.update(
                {
                    f"{name}filled_hours": totals.filled_hours,
                    f"{name}escalated_hours": totals.escalated_hours,
                    f"{name}total_score": totals.total_score,
                    f"{name}bench_hours": totals.bench_hours_removed,
                    f"{name}external_hours": totals.external_hours,
                    f"{name}cost": totals.cost or 0.0,
                    f"{name}margin": totals.margin or 0.0,
                }
            )
        return values

    def _lock_for_apply(self):
        """Serialise two planners applying the same proposal."""
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM staffing_proposal WHERE id = ANY(%s) "
                        "FOR UPDATE NOWAIT",
                        self.ids,
                    )
                )
        except LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "Another planner is applying %(name)s right now.",
                    name=self[:1].display_name,
                )
            ) from error
        self.invalidate_recordset(["state"])

    def _post_apply_summary(self, lines):
        applied = lines.filtered(lambda line: line.state == "applied")
        refused = lines - applied
        self.message_post(
            body=self.env._(
                "%(applied)s proposed allocations applied as tentative, "
                "%(refused)s refused.",
                applied=len(applied),
                refused=len(refused),
            )
        )

    def _get_period_free_hours(self, employee, date_from, date_to):
        """Free hours of one consultant over a period, as the compute read them."""
        free = self._read_free_hours([employee.id], date_from, date_to)
        return sum(free.get(employee.id, {}).values())

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context

EPSILON = 1e-6


class StaffingProposalLine(models.Model):
    """One allocation the optimizer proposes, and what became of it."""

    _name = "staffing.proposal.line"
    _description = "Staffing Proposal Line"
    _inherit = "staffing.guard.mixin"
    _order = "proposal_id, request_line_id, score desc, id"

    # everything but the planner's selection is written by the proposal's actions
    _action_fields = frozenset(
        {
            "proposal_id",
            "request_line_id",
            "employee_id",
            "hours",
            "date_start",
            "date_end",
            "score",
            "score_breakdown",
            "score_parts",
            "is_external",
            "state",
            "refusal_message",
            "allocation_id",
            "move_allocation_id",
            "from_employee_id",
        }
    )

    proposal_id = fields.Many2one(
        comodel_name="staffing.proposal",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="proposal_id.company_id", store=True)
    request_line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Position",
        required=True,
        ondelete="cascade",
        index=True,
    )
    request_id = fields.Many2one(related="request_line_id.request_id")
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Consultant",
        required=True,
        ondelete="cascade",
        index=True,
    )
    hours = fields.Float(required=True)
    date_start = fields.Date(required=True)
    date_end = fields.Date(required=True)
    score = fields.Float(help="The candidate's fit score (0-100) on the position.")
    score_breakdown = fields.Text()
    score_parts = fields.Json(
        readonly=True,
        copy=False,
        help="Each part of the score with its points; the detail on hover.",
    )
    is_external = fields.Boolean()
    selected = fields.Boolean(
        default=True, help="Applied with the proposal; clear it to leave it out."
    )
    state = fields.Selection(
        selection=[
            ("proposed", "Proposed"),
            ("applied", "Applied"),
            ("refused", "Refused"),
        ],
        default="proposed",
        required=True,
        copy=False,
        index=True,
    )
    refusal_message = fields.Text(readonly=True, copy=False)
    allocation_id = fields.Many2one(
        comodel_name="staffing.allocation",
        string="Allocation",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    move_allocation_id = fields.Many2one(
        comodel_name="staffing.allocation",
        string="Moved Allocation",
        readonly=True,
        ondelete="cascade",
        help="Tentative work of another position that this line moves to make "
        "room for an escalation.",
    )
    from_employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Moved From",
        readonly=True,
        ondelete="cascade",
    )
    kind = fields.Selection(
        selection=[
            ("assignment", "New Assignment"),
            ("escalation", "Escalation"),
            ("move", "Knock-on Move"),
        ],
        compute="_compute_kind",
        store=True,
        index=True,
        help="New assignment: a consultant proposed on an open position; "
        "escalation: the same on an escalated request; knock-on move: tentative "
        "work of another position moved (to another consultant or to later "
        "days) to make room for an escalation.",
    )
    timeline_date_stop = fields.Date(
        compute="_compute_timeline_date_stop",
        help="The day after the last day, where the line ends on a timeline.",
    )

    @api.depends("move_allocation_id", "request_line_id.request_id.priority")
    def _compute_kind(self):
        for line in self:
            if line.move_allocation_id:
                line.kind = "move"
            elif line.request_line_id.request_id.priority == "1":
                line.kind = "escalation"
            else:
                line.kind = "assignment"

    @api.depends("date_end")
    def _compute_timeline_date_stop(self):
        for line in self:
            line.timeline_date_stop = line.date_end and line.date_end + timedelta(
                days=1
            )

    @api.depends("employee_id.name", "request_line_id.display_name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(employee)s on %(position)s",
                employee=line.employee_id.name or "?",
                position=line.request_line_id.display_name or "?",
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        for line in self:
            if line.proposal_id.state == "applied":
                raise UserError(
                    self.env._(
                        "%(name)s was applied: its lines are kept as the history "
                        "of the allocations it made.",
                        name=line.proposal_id.display_name,
                    )
                )

    def write(self, vals):
        if "selected" in vals:
            for line in self:
                if line.proposal_id.state != "computed":
                    raise UserError(
                        self.env._(
                            "%(name)s is %(state)s: its selection is final.",
                            name=line.proposal_id.display_name,
                            state=line.proposal_id._get_state_label(
                                line.proposal_id.state
                            ),
                        )
                    )
        return super().write(vals)

    def _apply(self):
        """Create the tentative allocation, or record why it cannot be."""
        self.ensure_one()
        if self.move_allocation_id:
            return self._apply_move()
        reason = self._get_stale_reason()
        if not reason:
            try:
                with self.env.cr.savepoint():
                    # the proposal's form passes its own default_* keys (its
                    # scope, request): they are not the allocation's
                    allocation = (
                        self.env["staffing.allocation"]
                        .with_env(self.env(context=clean_context(self.env.context)))
                        .create(self._prepare_allocation_values())
                    )
            except (UserError, ValidationError) as error:
                reason = error.args[0]
            else:
                self._write_action_values(
                    {"state": "applied", "allocation_id": allocation.id}
                )
                return
        self._write_action_values({"state": "refused", "refusal_message": reason})

    def _apply_move(self):
        """Move the tentative allocation and tell the owners of the moved work."""
        allocation = self.move_allocation_id
        reason = ""
        if (
            allocation.state != "draft"
            or allocation.employee_id != self.from_employee_id
            or abs(allocation.allocated_hours - self.hours) > EPSILON
        ):
            reason = self.env._(
                "%(allocation)s changed since the proposal: it is not moved.",
                allocation=allocation.display_name,
            )
        else:
            try:
                with self.env.cr.savepoint():
                    allocation.write(
                        {
                            "employee_id": self.employee_id.id,
                            "date_start": self.date_start,
                            "date_end": self.date_end,
                        }
                    )
            except (UserError, ValidationError) as error:
                reason = error.args[0]
        if reason:
            self._write_action_values({"state": "refused", "refusal_message": reason})
            return
        self._write_action_values({"state": "applied", "allocation_id": allocation.id})
        self._notify_move()

    def _notify_move(self):
        request = self.move_allocation_id.request_id
        owners = (
            request.engagement_manager_id.partner_id
            | request.project_id.user_id.partner_id
        )
        request.message_post(
            body=self.env._(
                "To staff an escalation, %(hours).1f h of %(position)s move from "
                "%(previous)s to %(to)s, %(start)s to %(end)s (still tentative).",
                hours=self.hours,
                position=self.request_line_id.display_name,
                to=self.employee_id.name,
                start=self.date_start,
                end=self.date_end,
                previous=self.from_employee_id.name,
            ),
            partner_ids=owners.ids,
        )

    def _prepare_allocation_values(self):
        return {
            "employee_id": self.employee_id.id,
            "request_line_id": self.request_line_id.id,
            "allocated_hours": self.hours,
            "date_start": self.date_start,
            "date_end": self.date_end,
        }

    def _get_stale_reason(self):
        """Why the line no longer holds (data changed since the compute), or ''."""
        position = self.request_line_id
        if position.state not in ("open", "partial"):
            return self.env._(
                "%(position)s is no longer open.", position=position.display_name
            )
        if position.remaining_hours < self.hours - EPSILON:
            return self.env._(
                "%(position)s needs %(left).1f h now, %(hours).1f h were proposed.",
                position=position.display_name,
                left=position.remaining_hours,
                hours=self.hours,
            )
        free = self.proposal_id._get_period_free_hours(
            self.employee_id, self.date_start, self.date_end
        )
        if free < self.hours - EPSILON:
            return self.env._(
                "%(employee)s was booked meanwhile: %(free).1f h free from "
                "%(start)s to %(end)s, %(hours).1f h proposed.",
                employee=self.employee_id.name,
                free=free,
                start=self.date_start,
                end=self.date_end,
                hours=self.hours,
            )
        return ""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..engine import escalation

# (source, target) moves that only PMO planners make
PLANNER_MOVES = {
    ("submitted", "in_progress"),
    ("staffed", "done"),
    ("in_progress", "cancelled"),
    ("staffed", "cancelled"),
}
ESCALATION_ACTIVITY = "resource_sharing.mail_activity_type_escalation"
# an escalation still waiting for people in these states climbs the ladder
UNSTAFFED_STATES = ("draft", "submitted", "in_progress")


class StaffingRequest(models.Model):
    _name = "staffing.request"
    _description = "Staffing Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "staffing.state.mixin"]
    _order = "priority desc, date_start, id desc"
    _check_company_auto = True

    _state_transitions = {
        "draft": ("submitted", "cancelled"),
        "submitted": ("draft",),
        "in_progress": ("submitted", "staffed"),
        "staffed": ("in_progress",),
        "done": ("staffed",),
        "cancelled": ("draft", "submitted", "in_progress", "staffed"),
    }
    _action_fields = frozenset({"state", "sale_order_id", "escalation_step"})
    _period_fields = (("date_start", "date_end"),)

    name = fields.Char(
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    description = fields.Html(
        string="Customer Needs",
        help="What the customer asked for, as handed over by sales.",
    )
    qualification = fields.Html(
        string="Plan of Approach",
        help="The technical architect's qualification of the work.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        check_company=True,
    )
    project_id = fields.Many2one(
        comodel_name="project.project",
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        ondelete="restrict",
        index="btree_not_null",
        copy=False,
        readonly=True,
        check_company=True,
    )
    engagement_manager_id = fields.Many2one(
        comodel_name="res.users",
        default=lambda self: self.env.user,
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    technical_architect_id = fields.Many2one(
        comodel_name="res.users",
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
    )
    planner_id = fields.Many2one(
        comodel_name="res.users",
        string="PMO Planner",
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("resource_sharing.group_planner").id)
        ],
    )
    priority = fields.Selection(
        selection=[("0", "Normal"), ("1", "Escalation")],
        default="0",
        required=True,
        index=True,
        tracking=True,
    )
    staffing_deadline = fields.Date(
        string="Staff By",
        tracking=True,
        help="Date by which the PMO must have staffed an escalation.",
    )
    escalation_step = fields.Integer(
        readonly=True,
        copy=False,
        help="Last step of the escalation ladder reached: 1 the PMO manager, "
        "2 the engagement manager's manager. A new deadline starts again at 0.",
    )
    date_start = fields.Date(required=True, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    line_ids = fields.One2many(
        comodel_name="staffing.request.line",
        inverse_name="request_id",
        string="Positions",
        copy=True,
    )
    allocation_ids = fields.One2many(
        comodel_name="staffing.allocation",
        inverse_name="request_id",
        string="Allocations",
    )
    allocation_count = fields.Integer(compute="_compute_allocation_count")
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("in_progress", "In Progress"),
            ("staffed", "Staffed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_expand_states",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    planned_hours = fields.Float(compute="_compute_hours", store=True)
    allocated_hours = fields.Float(compute="_compute_hours", store=True)
    remaining_hours = fields.Float(compute="_compute_hours", store=True)
    open_line_count = fields.Integer(compute="_compute_hours", store=True)
    color = fields.Integer()

    _sql_constraints = [
        (
            "sale_order_uniq",
            "unique(sale_order_id)",
            "A sale order hands over one staffing request only.",
        ),
    ]

    @api.model
    def _expand_states(self, states, domain):
        """Show every stage in the kanban, empty ones too."""
        return [key for key, _label in self._fields["state"].selection]

    def _compute_allocation_count(self):
        groups = self.env["staffing.allocation"]._read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["__count"]
        )
        counts = {request.id: count for request, count in groups}
        for request in self:
            request.allocation_count = counts.get(request.id, 0)

    @api.depends(
        "line_ids.planned_hours",
        "line_ids.allocated_hours",
        "line_ids.remaining_hours",
        "line_ids.state",
    )
    def _compute_hours(self):
        for request in self:
            lines = request.line_ids.filtered(lambda line: line.state != "cancelled")
            request.planned_hours = sum(lines.mapped("planned_hours"))
            request.allocated_hours = sum(lines.mapped("allocated_hours"))
            request.remaining_hours = sum(lines.mapped("remaining_hours"))
            request.open_line_count = len(
                lines.filtered(lambda line: line.state in ("open", "partial"))
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "staffing.request"
                ) or self.env._("New")
            if vals.get("priority") == "1" and not vals.get("staffing_deadline"):
                vals["staffing_deadline"] = self._default_escalation_deadline()
        requests = super().create(vals_list)
        requests._notify_escalation()
        return requests

    def write(self, vals):
        if vals.get("priority") == "1" and not vals.get("staffing_deadline"):
            vals["staffing_deadline"] = self._default_escalation_deadline()
        to_escalate = self.filtered(lambda r: r.priority != "1")
        result = super().write(vals)
        if vals.get("priority") == "1":
            to_escalate._notify_escalation()
        if {"staffing_deadline", "priority"} & set(vals):
            self.filtered("escalation_step")._write_action_values(
                {"escalation_step": 0}
            )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for request in self:
            if request.state != "draft" or request.allocation_ids:
                raise UserError(
                    self.env._(
                        "%(name)s has a history: cancel it instead of deleting it.",
                        name=request.display_name,
                    )
                )

    def _check_state_right(self, new_state, vals):
        if any((r.state, new_state) in PLANNER_MOVES for r in self):
            self._check_group(
                "resource_sharing.group_planner",
                self.env._(
                    "Only PMO planners can move %(names)s to %(state)s.",
                    names=", ".join(self.mapped("display_name")),
                    state=self._get_state_label(new_state),
                ),
            )
        if new_state == "submitted":
            for request in self.filtered(lambda r: not r.line_ids):
                raise UserError(
                    self.env._(
                        "Add at least one position to %(name)s before handing it over.",
                        name=request.display_name,
                    )
                )
        if new_state in ("staffed", "in_progress"):
            for request in self.filtered(
                lambda r: r.state in ("in_progress", "staffed")
            ):
                if (new_state == "staffed") != request._is_fully_staffed():
                    raise UserError(
                        self.env._(
                            "%(name)s is staffed exactly when each of its positions "
                            "is covered by confirmed allocations.",
                            name=request.display_name,
                        )
                    )

    def _is_fully_staffed(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.state != "cancelled")
        return bool(lines) and all(line.state == "staffed" for line in lines)

    def action_submit(self):
        self._check_source_state(
            ("draft",), self.env._("Cannot hand over %(name)s: it is %(state)s.")
        )
        self._write_action_values({"state": "submitted"})
        return True

    def action_start(self):
        self._check_source_state(
            ("submitted",),
            self.env._("Cannot start staffing %(name)s: it is %(state)s."),
        )
        self._write_action_values({"state": "in_progress"})
        if not self.env.su:
            self.filtered(lambda r: not r.planner_id).planner_id = self.env.user
        self._sync_staffed_state()
        return True

    def action_done(self):
        self._check_source_state(
            ("staffed",),
            self.env._("Cannot close %(name)s: it is %(state)s, not staffed."),
        )
        self._write_action_values({"state": "done"})
        return True

    def action_cancel(self):
        self._check_source_state(
            ("draft", "submitted", "in_progress", "staffed"),
            self.env._("Cannot cancel %(name)s: it is %(state)s."),
        )
        self._write_action_values({"state": "cancelled"})
        open_allocations = self.allocation_ids.filtered(
            lambda a: a.state in ("draft", "to_approve", "confirmed")
        )
        open_allocations.action_cancel()
        self.line_ids.filtered(
            lambda line: line.state != "cancelled"
        )._write_action_values({"is_cancelled": True})
        return True

    def action_draft(self):
        self._check_source_state(
            ("submitted", "cancelled"),
            self.env._("Cannot reset %(name)s to draft: it is %(state)s."),
        )
        self.line_ids._write_action_values({"is_cancelled": False})
        self._write_action_values({"state": "draft"})
        return True

    def action_view_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_allocation_action"
        )
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_project_id": self.project_id.id}
        return action

    def _sync_staffed_state(self):
        """Move requests between in progress and staffed as their lines change."""
        for request in self:
            staffed = request._is_fully_staffed()
            if request.state == "in_progress" and staffed:
                request._write_action_values({"state": "staffed"})
            elif request.state == "staffed" and not staffed:
                request._write_action_values({"state": "in_progress"})

    def _default_escalation_deadline(self):
        days = self.env.company.staffing_escalation_days
        return fields.Date.context_today(self) + timedelta(days=days)

    def _notify_escalation(self):
        """Give every PMO planner a to-do to staff an escalated request."""
        planners = self.env.ref("resource_sharing.group_planner").sudo().users
        for request in self.filtered(
            lambda r: r.priority == "1" and r.state not in ("done", "cancelled")
        ):
            for planner in planners:
                request.activity_schedule(
                    "resource_sharing.mail_activity_type_escalation",
                    date_deadline=request.staffing_deadline,
                    user_id=planner.id,
                    note=self.env._(
                        "Escalation: staff %(name)s by %(date)s.",
                        name=request.display_name,
                        date=request.staffing_deadline,
                    ),
                )

    # ------------------------------------------------------- escalation ladder
    # An escalation not staffed by its deadline climbs the company's ladder; each
    # step fires once and the request keeps the last one reached.

    @api.model
    def _cron_escalation_ladder(self):
        """Daily: raise each late escalation to the steps now due, each once.

        :return: the requests that climbed
        """
        today = fields.Date.context_today(self)
        requests = self.search(
            [
                ("priority", "=", "1"),
                ("state", "in", UNSTAFFED_STATES),
                ("staffing_deadline", "<", today),
            ]
        )
        climbed = self.browse()
        for company, company_requests in requests.grouped("company_id").items():
            ladder = company._get_staffing_escalation_ladder()
            for request in company_requests:
                reached = escalation.reached_step(
                    request.staffing_deadline, today, ladder
                )
                if reached > request.escalation_step:
                    request._climb_escalation_ladder(reached)
                    climbed |= request
        return climbed

    def _climb_escalation_ladder(self, reached):
        self.ensure_one()
        for step in range(self.escalation_step + 1, reached + 1):
            self._raise_escalation(step)
        self._write_action_values({"escalation_step": reached})

    def _raise_escalation(self, step):
        """Give this step's people a to-do and say so in the chatter."""
        users, message = self._get_escalation_step(step)
        for user in users:
            self.activity_schedule(
                ESCALATION_ACTIVITY,
                date_deadline=fields.Date.context_today(self),
                user_id=user.id,
                note=message,
            )
        self.message_post(
            body=message,
            partner_ids=users.partner_id.ids,
            subtype_xmlid="resource_sharing.mt_request_escalated",
        )

    def _get_escalation_step(self, step):
        """(users to tell, chatter message) of a step of the ladder."""
        if step == 1:
            users = self._get_pmo_managers()
            return users, self.env._(
                "Escalation step 1: %(name)s was not staffed by %(date)s; raised "
                "to the PMO manager(s): %(users)s.",
                name=self.display_name,
                date=format_date(self.env, self.staffing_deadline),
                users=", ".join(users.mapped("name")) or self.env._("nobody found"),
            )
        users = self._get_engagement_manager_manager()
        return users, self.env._(
            "Escalation step %(step)s: %(name)s is still not staffed after "
            "%(date)s; raised to %(users)s, manager of the engagement manager "
            "%(manager)s.",
            step=step,
            name=self.display_name,
            date=format_date(self.env, self.staffing_deadline),
            users=", ".join(users.mapped("name")) or self.env._("nobody found"),
            manager=self.engagement_manager_id.name or self.env._("(none)"),
        )

    def _get_pmo_managers(self):
        # sudo: the cron reads who configures staffing in the request's company
        managers = self.env.ref("resource_sharing.group_manager").sudo().users
        return managers.filtered(lambda user: self.company_id in user.company_ids)

    def _get_engagement_manager_manager(self):
        """The user of the engagement manager's manager (hr.employee parent)."""
        # sudo: the org chart is HR data; only the manager's user leaves here
        employees = self.engagement_manager_id.sudo().employee_ids
        employee = (
            employees.filtered(lambda e: e.company_id == self.company_id)[:1]
            or employees[:1]
        )
        return employee.parent_id.user_id

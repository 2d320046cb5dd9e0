from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

REVIEW_ACTIVITY = "resource_sharing.mail_activity_type_shortlist_review"
# the endorsement facts, written by action_endorse only
ENDORSEMENT_FIELDS = (
    "endorsed",
    "endorsement_comment",
    "endorsed_by_id",
    "endorsed_date",
)


class StaffingShortlistEntry(models.Model):
    """A consultant the planner proposes for a position, with the architect's view.

    The score and its breakdown are frozen from the ranking when the entry is
    added; the endorsement is written by :meth:`action_endorse` only.
    """

    _name = "staffing.shortlist.entry"
    _description = "Shortlist Entry"
    _inherit = "staffing.guard.mixin"
    _order = "request_line_id, endorsed desc, score desc, id"
    _check_company_auto = True

    _action_fields = frozenset(
        {"score", "score_breakdown", "score_parts", *ENDORSEMENT_FIELDS}
    )

    request_line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Position",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    request_id = fields.Many2one(
        related="request_line_id.request_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="request_line_id.company_id", store=True, index=True
    )
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Consultant",
        required=True,
        ondelete="restrict",
        index=True,
    )
    origin = fields.Selection(
        selection=[
            ("home", "Home Company"),
            ("sister", "Sister Company"),
            ("partner", "Partner Company"),
        ],
        compute="_compute_origin",
        store=True,
        help="Home: a consultant of the position's company; sister: an internal "
        "consultant of another company of the group; partner: an external "
        "consultant of a partner company.",
    )
    score = fields.Float(
        readonly=True,
        copy=False,
        help="The candidate's score (0-100) when the entry was added.",
    )
    score_breakdown = fields.Text(
        readonly=True,
        copy=False,
        help="How the score was made up when the entry was added (without rates).",
    )
    score_parts = fields.Json(
        readonly=True,
        copy=False,
        help="Each part of the score when the entry was added, with its points "
        "(without rates).",
    )
    planner_note = fields.Text(help="Why the planner proposes this consultant.")
    endorsed = fields.Boolean(readonly=True, copy=False, index=True)
    endorsement_comment = fields.Text(readonly=True, copy=False)
    endorsed_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Endorsed By",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    endorsed_date = fields.Datetime(string="Endorsed On", readonly=True, copy=False)
    allocation_ids = fields.One2many(
        comodel_name="staffing.allocation",
        inverse_name="shortlist_entry_id",
        string="Allocations",
    )
    review_state = fields.Selection(related="request_line_id.review_state")

    _sql_constraints = [
        (
            "employee_line_uniq",
            "unique(request_line_id, employee_id)",
            "A consultant can be on the shortlist of a position only once.",
        ),
    ]

    # ----------------------------------------------------------------- computes

    @api.depends("employee_id.is_external", "employee_id.company_id", "company_id")
    def _compute_origin(self):
        for entry in self:
            employee = entry.employee_id
            if employee.is_external:
                entry.origin = "partner"
            elif employee.company_id and employee.company_id != entry.company_id:
                entry.origin = "sister"
            else:
                entry.origin = "home"

    @api.depends("employee_id.name", "request_line_id.display_name")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = self.env._(
                "%(employee)s, shortlist of %(position)s",
                employee=entry.employee_id.name or "?",
                position=entry.request_line_id.display_name or "?",
            )

    # --------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        candidates = self._get_candidates_for_values(vals_list)
        entries = super().create(vals_list)
        for entry, candidate in zip(entries, candidates, strict=True):
            entry._write_action_values(
                {
                    "score": candidate["score"],
                    "score_breakdown": candidate["breakdown"],
                    "score_parts": candidate["score_parts"],
                }
            )
        return entries

    def write(self, vals):
        identity = {"employee_id", "request_line_id"} & set(vals)
        for entry in self:
            if any(vals[name] != entry[name].id for name in identity):
                raise UserError(
                    self.env._(
                        "%(name)s: remove the entry and add the other "
                        "consultant or position instead.",
                        name=entry.display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for entry in self:
            if entry.endorsed or entry.allocation_ids:
                raise UserError(
                    self.env._(
                        "%(name)s was endorsed or allocated: it stays on the "
                        "shortlist as history.",
                        name=entry.display_name,
                    )
                )

    @api.model
    def _get_candidates_for_values(self, vals_list):
        """The ranking of each new entry's consultant, refusing repeats and misfits.

        :return: one candidate dict (as ``get_candidates`` gives it) per values
        """
        defaults = self.default_get(["request_line_id", "employee_id"])
        seen = set()
        candidates = []
        for vals in vals_list:
            line = self.env["staffing.request.line"].browse(
                vals.get("request_line_id", defaults.get("request_line_id"))
            )
            employee = self.env["hr.employee"].browse(
                vals.get("employee_id", defaults.get("employee_id"))
            )
            if not line or not employee:
                # the required fields refuse the values with their own message
                candidates.append(
                    {"score": 0.0, "breakdown": False, "score_parts": False}
                )
                continue
            key = (line.id, employee.id)
            if key in seen or self.search_count(
                [("request_line_id", "=", line.id), ("employee_id", "=", employee.id)]
            ):
                raise ValidationError(
                    self.env._(
                        "%(employee)s is already on the shortlist of %(position)s.",
                        employee=employee.name,
                        position=line.display_name,
                    )
                )
            seen.add(key)
            candidates.append(line._get_shortlist_candidate(employee))
        return candidates

    # ------------------------------------------------------------------ actions

    def action_open_endorse(self):
        """Ask the architect's comment before endorsing."""
        self.ensure_one()
        self._check_can_endorse()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Endorse %(name)s", name=self.employee_id.name),
            "res_model": "staffing.shortlist.entry.endorse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_entry_id": self.id},
        }

    def action_endorse(self, comment=None):
        """The request's technical architect endorses this consultant.

        Replaces an earlier endorsement of the position, closes the review
        to-do and tells the planner who asked.
        """
        self.ensure_one()
        if not isinstance(comment, str) or not comment.strip():
            raise UserError(
                self.env._("Say why you endorse %(name)s.", name=self.employee_id.name)
            )
        self._check_can_endorse()
        line = self.request_line_id
        previous = line.shortlist_entry_ids.filtered("endorsed") - self
        # sudo: the architect endorses without edit rights on the shortlist; the
        # right to endorse was checked above
        previous.sudo()._write_action_values(dict.fromkeys(ENDORSEMENT_FIELDS, False))
        self.sudo()._write_action_values(self._prepare_endorse_values(comment))
        line._write_action_values({"review_state": "endorsed"})
        line.activity_unlink([REVIEW_ACTIVITY])
        line._notify_endorsement(self, previous)
        return True

    def _prepare_endorse_values(self, comment):
        return {
            "endorsed": True,
            "endorsement_comment": comment.strip(),
            "endorsed_by_id": self.env.uid,
            "endorsed_date": fields.Datetime.now(),
        }

    def action_allocate(self):
        """Book the consultant as tentative on the position, hours prefilled."""
        self.ensure_one()
        line = self.request_line_id
        line._check_planner(
            self.env._("Only PMO planners can allocate a consultant of a shortlist.")
        )
        candidate = line._get_shortlist_candidate(self.employee_id)
        return line._action_allocate(self.employee_id, candidate["available_hours"])

    # ------------------------------------------------------------------ helpers

    def _check_can_endorse(self):
        """The one place that says who may endorse: the architect, not the asker."""
        for entry in self:
            line = entry.request_line_id
            if line.review_state not in ("asked", "endorsed"):
                raise UserError(
                    self.env._(
                        "Nobody asked a review of the shortlist of %(position)s.",
                        position=line.display_name,
                    )
                )
            if self.env.su:
                continue
            architect = line.request_id.technical_architect_id
            if self.env.user != architect:
                raise UserError(
                    self.env._(
                        "Only the technical architect of %(request)s (%(architect)s) "
                        "can endorse a consultant of its shortlists.",
                        request=line.request_id.display_name,
                        architect=architect.name or self.env._("none"),
                    )
                )
            if line.review_requested_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You asked the review of %(position)s yourself: you cannot "
                        "endorse its shortlist.",
                        position=line.display_name,
                    )
                )

    def _format_endorsed_date(self):
        return format_date(
            self.env, fields.Datetime.context_timestamp(self, self.endorsed_date)
        )

import base64

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context, format_date
from odoo.tools.mimetypes import guess_mimetype

from ..engine import ranking

PLANNER = "resource_sharing.group_planner"
CV_MIMETYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
}
# the facts of an offer, written when it is submitted and decided only
OFFER_FIELDS = frozenset(
    {
        "partner_request_id",
        "employee_id",
        "consultant_name",
        "date_start",
        "date_end",
        "hours",
        "hourly_rate",
        "cv_attachment_id",
        "submitted_by_id",
        "score",
        "score_breakdown",
    }
)


class StaffingPartnerProposal(models.Model):
    """A consultant a partner company offers for a request, with a rate.

    Created by the portal controller from checked values only
    (:meth:`_submit_from_portal`); the planner accepts one, which books the
    consultant as a tentative external allocation carrying the offer.
    """

    _name = "staffing.partner.proposal"
    _description = "Partner Proposal"
    _inherit = ["mail.thread", "staffing.guard.mixin"]
    _order = "score desc, id"
    _rec_name = "consultant_name"

    _action_fields = OFFER_FIELDS | {"state", "allocation_id", "decline_message"}

    partner_request_id = fields.Many2one(
        comodel_name="staffing.partner.request",
        string="Request for Partners",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
    )
    request_line_id = fields.Many2one(
        related="partner_request_id.request_line_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="partner_request_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_company_id = fields.Many2one(
        related="partner_request_id.partner_company_id", store=True, index=True
    )
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Consultant",
        readonly=True,
        ondelete="restrict",
        help="The partner's consultant; created when a new consultant is accepted.",
    )
    consultant_name = fields.Char(required=True, readonly=True)
    skill_line_ids = fields.One2many(
        comodel_name="staffing.partner.proposal.skill",
        inverse_name="proposal_id",
        string="Skills",
        readonly=True,
    )
    cv_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="CV", readonly=True, ondelete="restrict"
    )
    date_start = fields.Date(string="Available From", required=True, readonly=True)
    date_end = fields.Date(string="Available Until", required=True, readonly=True)
    hours = fields.Float(required=True, readonly=True, help="Hours offered.")
    hourly_rate = fields.Monetary(required=True, readonly=True)
    score = fields.Float(readonly=True, help="Score (0-100) of the offer's fit.")
    score_breakdown = fields.Text(readonly=True)
    submitted_by_id = fields.Many2one(
        comodel_name="res.users", string="Submitted By", readonly=True
    )
    state = fields.Selection(
        selection=[
            ("proposed", "Proposed"),
            ("withdrawn", "Withdrawn"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
        ],
        default="proposed",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    decline_message = fields.Text(readonly=True)
    allocation_id = fields.Many2one(
        comodel_name="staffing.allocation", readonly=True, ondelete="restrict"
    )

    # ------------------------------------------------------------------ portal

    @api.model
    def _submit_from_portal(self, partner_request, user, values, cv=None):
        """Check a portal offer and create it; nothing is written on error.

        :param partner_request: the request, as read by the portal user
        :param values: dict of the form's text values
        :param cv: (filename, bytes) of the uploaded CV, or None
        :raise UserError: with a message the page shows
        """
        _ = self.env._
        partner = user.partner_id.commercial_partner_id
        request = partner_request.sudo()
        if request.partner_company_id.commercial_partner_id != partner:
            raise UserError(_("This request was not sent to your company."))
        if request.state != "open":
            raise UserError(_("This request is closed: it takes no more proposals."))
        employee = self._portal_employee(values, partner)
        name = (values.get("consultant_name") or "").strip()
        if employee:
            name = employee.name
        if not name:
            raise UserError(_("Name the consultant you propose."))
        rate = self._portal_number(values.get("hourly_rate"), _("The hourly rate"))
        if rate <= 0:
            raise UserError(_("The hourly rate must be above zero."))
        if request.max_rate and rate > request.max_rate:
            raise UserError(
                _(
                    "The hourly rate cannot exceed the maximum of %(max).2f.",
                    max=request.max_rate,
                )
            )
        hours = self._portal_number(values.get("hours"), _("The hours"))
        if hours <= 0:
            raise UserError(_("Offer at least one hour."))
        date_start = self._portal_date(values.get("date_start"))
        date_end = self._portal_date(values.get("date_end"))
        if not (
            date_start
            and date_end
            and request.date_start <= date_start <= date_end <= request.date_end
        ):
            raise UserError(
                _(
                    "The availability must lie within the request's period, "
                    "%(start)s to %(end)s.",
                    start=format_date(self.env, request.date_start),
                    end=format_date(self.env, request.date_end),
                )
            )
        duplicate = self.sudo().search_count(
            [
                ("partner_request_id", "=", request.id),
                ("state", "in", ("proposed", "accepted")),
                "|",
                ("employee_id", "=", employee.id if employee else -1),
                ("consultant_name", "=ilike", name),
            ]
        )
        if duplicate:
            raise UserError(
                _("%(name)s is already proposed for this request.", name=name)
            )
        skill_lines = self._portal_skills(values, employee)
        attachment_values = self._portal_cv(cv, request.company_id)
        proposal_values = {
            "partner_request_id": request.id,
            "employee_id": employee.id if employee else False,
            "consultant_name": name,
            "date_start": date_start,
            "date_end": date_end,
            "hours": hours,
            "hourly_rate": rate,
            "submitted_by_id": user.id,
            "skill_line_ids": [fields.Command.create(line) for line in skill_lines],
        }
        proposal_values.update(
            self._score_offer(request, employee, skill_lines, hours, rate)
        )
        # sudo: the portal user may not create; every value was checked above
        with self.env.cr.savepoint():
            proposal = self.sudo()._create_with_action_values(
                [proposal_values], {self._name: OFFER_FIELDS}
            )
            if attachment_values:
                attachment = (
                    self.env["ir.attachment"]
                    .sudo()
                    .create(
                        {
                            **attachment_values,
                            "res_model": self._name,
                            "res_id": proposal.id,
                        }
                    )
                )
                proposal._write_action_values({"cv_attachment_id": attachment.id})
        request.message_post(
            body=_(
                "%(partner)s proposes %(name)s at %(rate).2f an hour.",
                partner=partner.name,
                name=name,
                rate=rate,
            ),
            author_id=user.partner_id.id,
        )
        return proposal

    @api.model
    def _portal_employee(self, values, partner):
        raw = values.get("employee_id")
        if not raw:
            return self.env["hr.employee"]
        try:
            employee_id = int(raw)
        except (TypeError, ValueError):
            raise UserError(self.env._("Choose one of your consultants.")) from None
        # sudo: portal users do not read employees; the domain keeps them to theirs
        employee = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("id", "=", employee_id),
                    ("staffing_partner_id.commercial_partner_id", "=", partner.id),
                ]
            )
        )
        if not employee:
            raise UserError(self.env._("Choose one of your consultants."))
        return employee

    @api.model
    def _portal_number(self, raw, label):
        try:
            value = float(str(raw).replace(",", "."))
        except (TypeError, ValueError):
            raise UserError(
                self.env._("%(field)s must be a number.", field=label)
            ) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise UserError(self.env._("%(field)s must be a number.", field=label))
        return value

    @api.model
    def _portal_date(self, raw):
        try:
            return fields.Date.to_date(raw) if raw else None
        except ValueError:
            return None

    @api.model
    def _portal_skills(self, values, employee):
        """Skill lines of a new consultant: the form's skill_<id> level choices."""
        if employee:
            return []
        lines = []
        for key, raw in values.items():
            if not key.startswith("skill_") or not raw:
                continue
            try:
                skill_id, level_id = int(key[len("skill_") :]), int(raw)
            except ValueError:
                raise UserError(self.env._("Choose a level for each skill.")) from None
            level = self.env["hr.skill.level"].sudo().browse(level_id).exists()
            skill = self.env["hr.skill"].sudo().browse(skill_id).exists()
            if not level or not skill or level.skill_type_id != skill.skill_type_id:
                raise UserError(self.env._("Choose a level for each skill."))
            lines.append({"skill_id": skill.id, "level_id": level.id})
        return lines

    @api.model
    def _portal_cv(self, cv, company):
        if not cv or not cv[1]:
            return {}
        filename, content = cv
        limit = company.staffing_portal_max_cv_mb
        if len(content) > limit * 1024 * 1024:
            raise UserError(
                self.env._("The CV is larger than %(limit)s MB.", limit=limit)
            )
        mimetype = guess_mimetype(content)
        if mimetype not in CV_MIMETYPES:
            raise UserError(self.env._("Send the CV as a PDF or Word document."))
        return {
            "name": filename or "cv",
            "datas": base64.b64encode(content),
            "mimetype": mimetype,
        }

    @api.model
    def _score_offer(self, request, employee, skill_lines, hours, rate):
        """Rank the offer as the candidates dialog ranks a consultant."""
        line = request.request_line_id
        needs = line._get_skill_needs()
        if employee:
            skills = line._get_employee_skill_progress(employee).get(employee.id, {})
        else:
            levels = self.env["hr.skill.level"].sudo()
            skills = {
                skill_line["skill_id"]: levels.browse(
                    skill_line["level_id"]
                ).level_progress
                for skill_line in skill_lines
            }
        needed = line.remaining_hours or line.planned_hours
        facts = ranking.CandidateFacts(
            employee_key=employee.id if employee else 0,
            name=employee.name if employee else "",
            skills=skills,
            is_external=True,
            available_hours=hours,
            needed_hours=needed,
            utilization=0.0,
            worked_for_customer=False,
            cost_rate=rate,
            sold_rate=line.sold_rate or line.role_id.bill_rate,
        )
        score = ranking.score_candidate(facts, needs)
        return {
            "score": score.total,
            "score_breakdown": "\n".join(
                line._format_score_part(part, show_money=False) for part in score.parts
            ),
        }

    # ----------------------------------------------------------------- actions

    def action_withdraw(self):
        """The partner takes an offer back, before it is accepted."""
        for proposal in self:
            if proposal.state != "proposed":
                raise UserError(
                    self.env._(
                        "Only a proposal still open can be withdrawn; %(name)s is "
                        "%(state)s.",
                        name=proposal.consultant_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[proposal.state],
                    )
                )
        self._write_action_values({"state": "withdrawn"})
        return True

    def _check_planner(self):
        if not self.env.su and not self.env.user.has_group(PLANNER):
            raise UserError(self.env._("Only planners accept or decline proposals."))

    def action_accept(self):
        """Book the offered consultant as a tentative external allocation.

        The offer, its rate and its CV travel with the allocation; the other
        open proposals of the position are declined and the partners told.
        """
        self.ensure_one()
        self._check_planner()
        if self.state != "proposed" or self.partner_request_id.state != "open":
            raise UserError(
                self.env._(
                    "%(name)s's proposal is no longer open.", name=self.consultant_name
                )
            )
        employee = self.employee_id or self._create_partner_consultant()
        line = self.request_line_id
        hours = min(self.hours, line.remaining_hours or line.planned_hours)
        justification = self.env._(
            "Offered by %(partner)s for %(rate).2f an hour (score %(score).1f), "
            "from %(start)s to %(end)s.",
            partner=self.partner_company_id.name,
            rate=self.hourly_rate,
            score=self.score,
            start=format_date(self.env, self.date_start),
            end=format_date(self.env, self.date_end),
        )
        # the screen's default_* keys belong to the screen, not the allocation
        Allocation = self.env["staffing.allocation"].with_env(
            self.env(context=clean_context(self.env.context))
        )
        allocation = Allocation._create_with_action_values(
            [
                {
                    "employee_id": employee.id,
                    "request_line_id": line.id,
                    "date_start": self.date_start,
                    "date_end": self.date_end,
                    "allocated_hours": hours,
                    "cost_rate": self.hourly_rate,
                    "external_justification": justification,
                    "partner_proposal_id": self.id,
                }
            ],
            {"staffing.allocation": {"partner_proposal_id"}},
        )
        self._write_action_values({"state": "accepted", "allocation_id": allocation.id})
        others = self.search(
            [
                ("request_line_id", "=", line.id),
                ("state", "=", "proposed"),
                ("id", "!=", self.id),
            ]
        )
        others._decline(
            self.env._(
                "Another consultant was chosen for %(position)s.",
                position=line.display_name,
            )
        )
        self.partner_request_id.message_post(
            body=self.env._(
                "%(name)s is accepted; the allocation now waits for approval.",
                name=self.consultant_name,
            ),
            subtype_xmlid="mail.mt_comment",
        )
        requests = self.search([("request_line_id", "=", line.id)]).partner_request_id
        requests |= self.partner_request_id
        requests.filtered(lambda r: r.state == "open")._write_action_values(
            {"state": "closed"}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "staffing.allocation",
            "res_id": allocation.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_decline(self):
        self._check_planner()
        self._decline(self.env._("The planner chose not to go on with this proposal."))
        return True

    def _decline(self, message):
        proposals = self.filtered(lambda p: p.state == "proposed")
        proposals._write_action_values(
            {"state": "declined", "decline_message": message}
        )
        for proposal in proposals:
            proposal.partner_request_id.message_post(
                body=self.env._(
                    "%(name)s is declined: %(why)s",
                    name=proposal.consultant_name,
                    why=message,
                ),
                subtype_xmlid="mail.mt_comment",
            )

    def _create_partner_consultant(self):
        """The new consultant of the partner company, with the offered skills."""
        self.ensure_one()
        # sudo: planners do not manage employees; the values are the offer's
        employee = (
            self.env["hr.employee"]
            .sudo()
            .create(
                {
                    "name": self.consultant_name,
                    "company_id": self.company_id.id,
                    "staffing_partner_id": self.partner_company_id.id,
                    "staffing_purchase_rate": self.hourly_rate,
                    "employee_skill_ids": [
                        fields.Command.create(
                            {
                                "skill_id": line.skill_id.id,
                                "skill_level_id": line.level_id.id,
                                "skill_type_id": line.skill_id.skill_type_id.id,
                            }
                        )
                        for line in self.skill_line_ids
                    ],
                }
            )
        )
        self._write_action_values({"employee_id": employee.id})
        return employee

    @api.constrains("hours", "hourly_rate")
    def _check_offer_numbers(self):
        for proposal in self:
            if proposal.hourly_rate <= 0 or proposal.hours <= 0:
                raise ValidationError(
                    self.env._("An offer has hours and a rate above zero.")
                )


class StaffingPartnerProposalSkill(models.Model):
    _name = "staffing.partner.proposal.skill"
    _description = "Skill of a Proposed Consultant"

    proposal_id = fields.Many2one(
        comodel_name="staffing.partner.proposal",
        required=True,
        ondelete="cascade",
        index=True,
    )
    skill_id = fields.Many2one(comodel_name="hr.skill", required=True)
    level_id = fields.Many2one(comodel_name="hr.skill.level", required=True)

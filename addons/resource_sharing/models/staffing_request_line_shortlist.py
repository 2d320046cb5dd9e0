from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from ..engine import ranking
from .staffing_request_line import StaffingRequestLine
from .staffing_shortlist_entry import REVIEW_ACTIVITY


class StaffingRequestLineShortlist(models.Model):
    """A position's shortlist and its technical review by the request's architect.

    The position gets a chatter and activities: the review is asked and answered
    there.
    """

    _name = "staffing.request.line"
    _inherit = ["staffing.request.line", "mail.thread", "mail.activity.mixin"]

    _action_fields = StaffingRequestLine._action_fields | {
        "review_state",
        "review_requested_by_id",
        "review_request_date",
    }

    shortlist_entry_ids = fields.One2many(
        comodel_name="staffing.shortlist.entry",
        inverse_name="request_line_id",
        string="Shortlist",
    )
    review_state = fields.Selection(
        selection=[
            ("none", "Not Asked"),
            ("asked", "Review Asked"),
            ("endorsed", "Endorsed"),
        ],
        string="Technical Review",
        default="none",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    review_requested_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Review Asked By",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    review_request_date = fields.Datetime(
        string="Review Asked On", readonly=True, copy=False
    )
    technical_architect_id = fields.Many2one(
        related="request_id.technical_architect_id"
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_shortlist(self):
        for line in self:
            if line.shortlist_entry_ids:
                raise UserError(
                    self.env._(
                        "Position %(name)s has a shortlist: remove its entries "
                        "first, or cancel the position.",
                        name=line.display_name,
                    )
                )

    # ------------------------------------------------------------------ actions

    def action_request_review(self):
        """Ask the request's technical architect to endorse one of the shortlist."""
        self._check_planner(
            self.env._("Only PMO planners can ask a review of a shortlist.")
        )
        for line in self:
            line._check_can_request_review()
        self._write_action_values(
            {
                "review_state": "asked",
                "review_requested_by_id": self.env.uid,
                "review_request_date": fields.Datetime.now(),
            }
        )
        for line in self:
            architect = line.request_id.technical_architect_id
            line.activity_schedule(
                REVIEW_ACTIVITY,
                user_id=architect.id,
                note=plaintext2html(line._get_shortlist_summary()),
            )
            line.message_post(
                body=self.env._(
                    "Review of the shortlist asked to %(architect)s.",
                    architect=architect.name,
                ),
                subtype_xmlid="resource_sharing.mt_line_review_asked",
            )
        return True

    def _action_allocate(self, employee, available_hours):
        """Book ``employee`` as tentative on the position, hours prefilled.

        :param available_hours: the consultant's free hours in the period
        :return: the action opening the new allocation
        """
        self.ensure_one()
        needed = self.remaining_hours or self.planned_hours
        hours = max(0.0, min(needed, available_hours))
        if hours <= 0:
            raise UserError(
                self.env._(
                    "%(employee)s has no free hours on %(position)s.",
                    employee=employee.name,
                    position=self.display_name,
                )
            )
        allocation = self.env["staffing.allocation"].create(
            {
                "employee_id": employee.id,
                "request_line_id": self.id,
                "allocated_hours": hours,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "staffing.allocation",
            "res_id": allocation.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ helpers

    def _check_can_request_review(self):
        self.ensure_one()
        architect = self.request_id.technical_architect_id
        if self.state not in ("open", "partial"):
            error = self.env._(
                "Position %(name)s is %(state)s: only open positions are reviewed."
            )
        elif self.review_state == "asked":
            error = self.env._(
                "The shortlist of %(name)s already waits for its review."
            )
        elif not architect:
            error = self.env._(
                "%(request)s has no technical architect to review the shortlist "
                "of %(name)s: set one on the request."
            )
        elif not self.shortlist_entry_ids:
            error = self.env._(
                "The shortlist of %(name)s is empty: add candidates first."
            )
        elif architect == self.env.user:
            error = self.env._(
                "You are the technical architect of %(request)s: another "
                "architect must review the shortlist of %(name)s."
            )
        elif not architect.has_group("resource_sharing.group_user"):
            error = self.env._(
                "%(architect)s cannot open staffing positions: give them the "
                "Staffing User group to review the shortlist of %(name)s."
            )
        else:
            return
        raise UserError(
            error
            % {
                "name": self.display_name,
                "state": dict(self._fields["state"]._description_selection(self.env))[
                    self.state
                ],
                "request": self.request_id.display_name,
                "architect": architect.name,
            }
        )

    def _get_shortlist_summary(self):
        """The shortlist as the architect's to-do shows it, one consultant a line."""
        origins = dict(
            self.env["staffing.shortlist.entry"]
            ._fields["origin"]
            ._description_selection(self.env)
        )
        return "\n".join(
            self.env._(
                "%(employee)s (%(origin)s): score %(score).1f",
                employee=entry.employee_id.name,
                origin=origins.get(entry.origin, ""),
                score=entry.score,
            )
            for entry in self.shortlist_entry_ids
        )

    def _notify_endorsement(self, entry, previous):
        """Tell the planner who asked which consultant the architect endorsed."""
        self.ensure_one()
        values = {
            "architect": self.env.user.name,
            "employee": entry.employee_id.name,
            "comment": entry.endorsement_comment,
        }
        if previous:
            body = self.env._(
                "%(architect)s endorsed %(employee)s instead of %(previous)s: "
                "%(comment)s",
                previous=", ".join(previous.employee_id.mapped("name")),
                **values,
            )
        else:
            body = self.env._(
                "%(architect)s endorsed %(employee)s: %(comment)s", **values
            )
        self.message_post(
            body=body,
            partner_ids=self.review_requested_by_id.partner_id.ids,
            subtype_xmlid="resource_sharing.mt_line_review_endorsed",
        )

    def _get_endorsement_note(self, employee):
        """What the review of this position says of ``employee``, as evidence."""
        self.ensure_one()
        endorsed = self.shortlist_entry_ids.filtered("endorsed")[:1]
        if not endorsed:
            return self.env._("Not reviewed")
        values = {
            "architect": endorsed.endorsed_by_id.name,
            "date": endorsed._format_endorsed_date(),
        }
        if endorsed.employee_id == employee:
            return self.env._(
                "Endorsed by %(architect)s on %(date)s: %(comment)s",
                comment=endorsed.endorsement_comment,
                **values,
            )
        return self.env._(
            "Not endorsed: %(architect)s endorsed %(employee)s on %(date)s.",
            employee=endorsed.employee_id.name,
            **values,
        )

    def _get_shortlist_candidate(self, employee):
        """``employee`` as ``get_candidates`` ranks them now, without rates.

        A shortlist is read by every staffing user of the request, so its frozen
        breakdown leaves the rates out whoever adds the entry.

        :return: the candidate dict of ``get_candidates``
        :raise ValidationError: when the consultant is no candidate at all
        """
        self.ensure_one()
        needs = self._get_skill_needs()
        eligible = self._get_eligible_employees(needs) & employee
        if not eligible:
            raise ValidationError(
                self.env._(
                    "%(employee)s is no candidate for %(position)s: a mandatory "
                    "skill is missing or their company cannot staff it.",
                    employee=employee.name,
                    position=self.display_name,
                )
            )
        facts = self._get_candidate_facts(eligible)[0]
        score = ranking.score_candidate(facts, needs)
        return self._prepare_candidate_values(score, eligible, facts, show_money=False)

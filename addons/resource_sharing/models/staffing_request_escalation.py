from odoo import api, fields, models
from odoo.tools import format_date

from ..engine import escalation
from .staffing_request import StaffingRequest

ESCALATION_ACTIVITY = "resource_sharing.mail_activity_type_escalation"
# an escalation still waiting for people in these states climbs the ladder
UNSTAFFED_STATES = ("draft", "submitted", "in_progress")


class StaffingRequestEscalation(models.Model):
    """An escalation not staffed by its deadline climbs the company's ladder.

    Each step of the ladder (days after the *Staff By* date) fires once: the
    first gives the PMO managers a to-do, the second the engagement manager's
    manager; the chatter keeps each step and the request the last one reached.
    """

    _inherit = "staffing.request"

    _action_fields = StaffingRequest._action_fields | {"escalation_step"}

    escalation_step = fields.Integer(
        readonly=True,
        copy=False,
        help="Last step of the escalation ladder reached: 1 the PMO manager, "
        "2 the engagement manager's manager. A new deadline starts again at 0.",
    )

    def write(self, vals):
        result = super().write(vals)
        if {"staffing_deadline", "priority"} & set(vals):
            self.filtered("escalation_step")._write_action_values(
                {"escalation_step": 0}
            )
        return result

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

from odoo import api, fields, models
from odoo.exceptions import UserError

PLANNER = "resource_sharing.group_planner"


class StaffingPartnerRequest(models.Model):
    """A position sent to one partner company, answered on the portal.

    The partner's portal users see the requests sent to their own company
    (record rules) or follow the e-mailed link (access token); they propose
    consultants through the portal controller, which checks every value.
    """

    _name = "staffing.partner.request"
    _description = "Request for Partners"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "staffing.guard.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    _action_fields = frozenset({"state"})
    # the terms the partner was sent: answers are given against them
    _fixed_fields = frozenset(
        {"request_line_id", "partner_company_id", "hours", "max_rate", "note"}
    )
    _non_negative_fields = frozenset({"hours", "max_rate"})

    name = fields.Char(compute="_compute_name", store=True)
    request_line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Position",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    request_id = fields.Many2one(related="request_line_id.request_id", store=True)
    company_id = fields.Many2one(
        related="request_line_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_company_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Company",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("is_staffing_partner", "=", True)],
    )
    role_id = fields.Many2one(related="request_line_id.role_id")
    date_start = fields.Date(related="request_line_id.date_start")
    date_end = fields.Date(related="request_line_id.date_end")
    hours = fields.Float(required=True, help="Hours the position still needs.")
    max_rate = fields.Monetary(
        string="Maximum Rate",
        help="Highest hourly rate the partner may offer; empty: no maximum.",
    )
    note = fields.Text(string="Message to the Partner")
    skills_text = fields.Text(string="Skills", compute="_compute_skills_text")
    state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    proposal_ids = fields.One2many(
        comodel_name="staffing.partner.proposal",
        inverse_name="partner_request_id",
        string="Proposals",
    )
    proposal_count = fields.Integer(compute="_compute_proposal_count")

    @api.depends("request_line_id", "partner_company_id")
    def _compute_name(self):
        for request in self:
            request.name = self.env._(
                "%(position)s for %(partner)s",
                position=request.request_line_id.display_name or "",
                partner=request.partner_company_id.name or "",
            )

    @api.depends("request_line_id.skill_requirement_ids")
    def _compute_skills_text(self):
        for request in self:
            request.skills_text = "\n".join(
                self.env._(
                    "%(skill)s: %(level)s or better (%(kind)s)",
                    skill=requirement.skill_id.name,
                    level=requirement.level_id.name,
                    kind=self.env._("mandatory")
                    if requirement.mandatory
                    else self.env._("preferred"),
                )
                for requirement in request.request_line_id.sudo().skill_requirement_ids
            )

    def _compute_proposal_count(self):
        counts = dict(
            self.env["staffing.partner.proposal"]._read_group(
                [("partner_request_id", "in", self.ids)],
                ["partner_request_id"],
                ["__count"],
            )
        )
        for request in self:
            request.proposal_count = counts.get(request, 0)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/staffing/{request.id}"
        return result

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request in requests:
            if not request.partner_company_id.is_staffing_partner:
                raise UserError(
                    self.env._(
                        "%(partner)s is not a staffing partner.",
                        partner=request.partner_company_id.name,
                    )
                )
            if request.max_rate and request.max_rate <= 0:
                raise UserError(self.env._("A maximum rate must be above zero."))
        return requests

    # ----------------------------------------------------------------- actions

    def _check_planner(self):
        if not self.env.su and not self.env.user.has_group(PLANNER):
            raise UserError(
                self.env._("Only planners send and close requests for partners.")
            )

    def _get_portal_contacts(self):
        """Contacts of the partner company who have a portal user."""
        self.ensure_one()
        # sudo: users are not readable by every planner; only their partners
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", True),
                    (
                        "partner_id.commercial_partner_id",
                        "=",
                        self.partner_company_id.commercial_partner_id.id,
                    ),
                ]
            )
        )
        return users.partner_id

    def action_send(self):
        """E-mail the partner's portal contacts a link to the request."""
        self._check_planner()
        template = self.env.ref("resource_sharing.mail_template_partner_request")
        for request in self:
            contacts = request._get_portal_contacts()
            if not contacts:
                raise UserError(
                    self.env._(
                        "%(partner)s has no contact with portal access: grant one "
                        "first (Contact > Action > Grant portal access).",
                        partner=request.partner_company_id.name,
                    )
                )
            request.message_subscribe(partner_ids=contacts.ids)
            request.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=contacts.ids,
            )
        return True

    def action_close(self):
        self._check_planner()
        self.filtered(lambda r: r.state == "open")._write_action_values(
            {"state": "closed"}
        )
        return True

    def action_cancel(self):
        self._check_planner()
        open_requests = self.filtered(lambda r: r.state == "open")
        open_requests._write_action_values({"state": "cancelled"})
        open_requests.proposal_ids.filtered(lambda p: p.state == "proposed")._decline(
            self.env._("The request was cancelled.")
        )
        return True

    def action_view_proposals(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_partner_proposal_action"
        )
        action["domain"] = [("partner_request_id", "=", self.id)]
        action["context"] = {}
        return action

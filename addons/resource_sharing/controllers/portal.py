from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

REQUEST = "staffing.partner.request"
PROPOSAL = "staffing.partner.proposal"


class StaffingPortal(CustomerPortal):
    """Partner companies answer requests for consultants on the portal.

    Reading follows Odoo's portal: the record rules of the portal user's
    company, or the access token of the e-mailed link. Writing (a proposal, a
    withdrawal) needs a logged-in user of the partner company itself.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "staffing_request_count" in counters:
            Request = request.env[REQUEST]
            values["staffing_request_count"] = (
                Request.search_count([("state", "=", "open")])
                if Request.has_access("read")
                else 0
            )
        return values

    def _staffing_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    @http.route(["/my/staffing"], type="http", auth="user", website=True)
    def portal_my_staffing_requests(self, **kwargs):
        Request = request.env[REQUEST]
        requests = (
            Request.search([], order="state, id desc")
            if Request.has_access("read")
            else Request
        )
        values = self._prepare_portal_layout_values()
        values.update({"requests": requests.sudo(), "page_name": "staffing_requests"})
        return request.render("resource_sharing.portal_my_staffing_requests", values)

    @http.route(
        ["/my/staffing/<int:request_id>"], type="http", auth="public", website=True
    )
    def portal_staffing_request(self, request_id, access_token=None, **kwargs):
        try:
            partner_request = self._document_check_access(
                REQUEST, request_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render(
            "resource_sharing.portal_staffing_request",
            self._staffing_request_values(partner_request, access_token, **kwargs),
        )

    def _staffing_request_values(self, partner_request, access_token, **kwargs):
        partner = self._staffing_partner()
        own = (
            not request.env.user._is_public()
            and partner_request.partner_company_id.commercial_partner_id == partner
        )
        consultants = request.env["hr.employee"]
        if own:
            consultants = (
                request.env["hr.employee"]
                .sudo()
                .search(
                    [("staffing_partner_id.commercial_partner_id", "=", partner.id)]
                )
            )
        skill_requirements = partner_request.request_line_id.skill_requirement_ids
        values = self._get_page_view_values(
            partner_request,
            access_token,
            {
                "partner_request": partner_request,
                "can_propose": own and partner_request.state == "open",
                "own": own,
                "consultants": consultants,
                "skill_requirements": skill_requirements,
                "proposals": partner_request.proposal_ids if own else [],
                "page_name": "staffing_request",
                "form_values": kwargs.get("form_values") or {},
            },
            "my_staffing_history",
            False,
            **kwargs,
        )
        return values

    @http.route(
        ["/my/staffing/<int:request_id>/propose"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_staffing_propose(self, request_id, **post):
        partner_request = request.env[REQUEST].browse(request_id)
        try:
            partner_request.check_access("read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        upload = post.pop("cv", None)
        cv = None
        if upload is not None and getattr(upload, "filename", None):
            cv = (upload.filename, upload.read())
        try:
            request.env[PROPOSAL]._submit_from_portal(
                partner_request, request.env.user, post, cv=cv
            )
        except UserError as error:
            values = self._staffing_request_values(
                partner_request.sudo(), None, error=error.args[0], form_values=post
            )
            return request.render("resource_sharing.portal_staffing_request", values)
        return request.redirect(f"/my/staffing/{request_id}?success=proposed")

    @http.route(
        ["/my/staffing/proposal/<int:proposal_id>/withdraw"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_staffing_withdraw(self, proposal_id, **post):
        proposal = request.env[PROPOSAL].browse(proposal_id)
        try:
            proposal.check_access("read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        proposal = proposal.sudo()
        if (
            proposal.partner_company_id.commercial_partner_id
            != self._staffing_partner()
        ):
            return request.redirect("/my")
        target = f"/my/staffing/{proposal.partner_request_id.id}"
        try:
            proposal.action_withdraw()
        except UserError as error:
            values = self._staffing_request_values(
                proposal.partner_request_id, None, error=error.args[0]
            )
            return request.render("resource_sharing.portal_staffing_request", values)
        return request.redirect(f"{target}?success=withdrawn")

    @http.route(["/my/staffing/allocations"], type="http", auth="user", website=True)
    def portal_staffing_allocations(self, **kwargs):
        """Confirmed bookings of the partner's consultants: when and how long.

        Read with sudo and reduced to plain values: the partner never reads an
        allocation record, so no cost, rate or internal consultant leaks.
        """
        partner = self._staffing_partner()
        allocations = (
            request.env["staffing.allocation"]
            .sudo()
            .search(
                [
                    ("state", "=", "confirmed"),
                    (
                        "employee_id.staffing_partner_id.commercial_partner_id",
                        "=",
                        partner.id,
                    ),
                ],
                order="date_start, id",
            )
            if not request.env.user._is_public()
            else request.env["staffing.allocation"]
        )
        rows = [
            {
                "consultant": allocation.employee_id.name,
                "project": allocation.project_id.name
                if allocation.company_id.staffing_portal_show_project
                else _("(confidential)"),
                "date_start": allocation.date_start,
                "date_end": allocation.date_end,
                "hours": allocation.allocated_hours,
            }
            for allocation in allocations
        ]
        values = self._prepare_portal_layout_values()
        values.update({"rows": rows, "page_name": "staffing_allocations"})
        return request.render("resource_sharing.portal_my_staffing_allocations", values)

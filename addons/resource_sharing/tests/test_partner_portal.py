from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .attack_table import Attack, AttackRunner
from .common import FRIDAY_NEXT, MONDAY, StaffingCase

REQUEST = "staffing.partner.request"
PROPOSAL = "staffing.partner.proposal"
ALLOC = "staffing.allocation"
ACTIONS_ONLY = "set by its actions only"
FIXED = "cannot change once it is created"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class PartnerPortalCase(StaffingCase):
    """Two partner companies, each with a portal user; the fixture's position
    is sent to both with a maximum rate of 100."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_a = cls.partner_company
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Partner Consultancy Pune",
                "is_company": True,
                "is_staffing_partner": True,
            }
        )
        cls.portal_a = cls._portal_user("rs_portal_a", cls.partner_a)
        cls.portal_b = cls._portal_user("rs_portal_b", cls.partner_b)

    @classmethod
    def _portal_user(cls, login, company):
        user = new_test_user(cls.env, login, groups="base.group_portal")
        user.partner_id.parent_id = company
        return user

    def send(self, max_rate=100.0, partners=None):
        if self.request.state == "draft":
            self.start_request()
        partners = partners or (self.partner_a | self.partner_b)
        wizard = (
            self.env["staffing.partner.request.send"]
            .with_user(self.planner)
            .create(
                {
                    "request_line_id": self.line.id,
                    "partner_ids": [Command.set(partners.ids)],
                    "max_rate": max_rate,
                    "note": "SAP architect for a Brabant rollout",
                }
            )
        )
        wizard.action_send()
        requests = self.line.partner_request_ids
        return (
            requests.filtered(lambda r: r.partner_company_id == self.partner_a),
            requests.filtered(lambda r: r.partner_company_id == self.partner_b),
        )

    def offer(self, user, partner_request, cv=("cv.pdf", PDF), **values):
        form = {
            "consultant_name": "Piotr Nowak",
            f"skill_{self.skill_sap.id}": str(self.level_expert.id),
            "date_start": str(MONDAY),
            "date_end": str(FRIDAY_NEXT),
            "hours": "40",
            "hourly_rate": "90",
            **values,
        }
        return (
            self.env[PROPOSAL]
            .with_user(user)
            ._submit_from_portal(partner_request.with_user(user), user, form, cv=cv)
        )


@tagged("post_install", "-at_install")
class TestPartnerRequests(PartnerPortalCase):
    def test_sent_to_each_partner_with_a_rendered_mail(self):
        request_a, request_b = self.send()
        self.assertEqual((len(request_a), len(request_b)), (1, 1))
        self.assertEqual(request_a.hours, 40.0)
        self.assertIn(self.portal_a.partner_id, request_a.message_partner_ids)
        self.assertNotIn(self.portal_b.partner_id, request_a.message_partner_ids)
        template = self.env.ref("resource_sharing.mail_template_partner_request")
        body = template._render_field("body_html", request_a.ids)[request_a.id]
        self.assertIn(request_a.get_portal_url(), body)
        self.assertIn("Test Solution Architect", body)
        self.assertIn("Propose consultants", body)
        subject = template._render_field("subject", request_a.ids)[request_a.id]
        self.assertIn("looks for a Test Solution Architect", subject)
        message = request_a.message_ids.filtered(
            lambda m: self.portal_a.partner_id in m.partner_ids
        )
        self.assertTrue(message)

    def test_no_portal_contact_no_request(self):
        lonely = self.env["res.partner"].create(
            {
                "name": "Partner Without Portal",
                "is_company": True,
                "is_staffing_partner": True,
            }
        )
        with self.assertRaisesRegex(UserError, "no contact with portal access"):
            self.send(partners=lonely)
        self.assertFalse(self.line.partner_request_ids)

    def test_only_planners_send(self):
        self.start_request()
        with self.assertRaises(AccessError):
            self.env["staffing.partner.request.send"].with_user(self.user).create(
                {"request_line_id": self.line.id}
            )
        with self.assertRaises(UserError):
            self.line.with_user(self.user).action_ask_partners()


@tagged("post_install", "-at_install")
class TestPartnerIsolation(PartnerPortalCase):
    def test_each_partner_reads_only_its_own(self):
        request_a, request_b = self.send()
        proposal_b = self.offer(self.portal_b, request_b, consultant_name="Ravi")
        Request = self.env[REQUEST].with_user(self.portal_a)
        self.assertEqual(Request.search([]), request_a)
        with self.assertRaises(AccessError):
            request_b.with_user(self.portal_a).read(["name"])
        Proposal = self.env[PROPOSAL].with_user(self.portal_a)
        self.assertFalse(Proposal.search([]))
        with self.assertRaises(AccessError):
            proposal_b.with_user(self.portal_a).read(["hourly_rate"])
        with self.assertRaises(AccessError):
            proposal_b.skill_line_ids.with_user(self.portal_a).read(["skill_id"])
        # partners see no internal consultant, allocation or cost
        for model in ("hr.employee", "staffing.allocation", "staffing.ledger"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_a).search([])

    def test_partner_cannot_post_to_another_partners_request(self):
        request_a, request_b = self.send()
        count = self.env[PROPOSAL].search_count([])
        with self.assertRaisesRegex(UserError, "not sent to your company"):
            self.offer(self.portal_a, request_b)
        self.assertEqual(self.env[PROPOSAL].search_count([]), count)

    def test_partner_cannot_write_or_create_directly(self):
        request_a, _request_b = self.send()
        proposal = self.offer(self.portal_a, request_a)
        # refused by the guard before the access rights are even asked
        with self.assertRaises(UserError):
            proposal.with_user(self.portal_a).write({"hourly_rate": 1.0})
        with self.assertRaises(UserError):
            self.env[PROPOSAL].with_user(self.portal_a).create(
                {
                    "partner_request_id": request_a.id,
                    "consultant_name": "X",
                    "date_start": MONDAY,
                    "date_end": FRIDAY_NEXT,
                    "hours": 1,
                    "hourly_rate": 1,
                }
            )
        with self.assertRaises(UserError):
            proposal.with_user(self.planner).write({"state": "accepted"})
        self.assertEqual(proposal.state, "proposed")

    def test_existing_consultant_of_another_partner_refused(self):
        request_a, _request_b = self.send()
        pune = self._employee(
            "Pune Consultant", {}, staffing_partner_id=self.partner_b.id
        )
        with self.assertRaisesRegex(UserError, "Choose one of your consultants"):
            self.offer(self.portal_a, request_a, employee_id=str(pune.id))
        with self.assertRaisesRegex(UserError, "Choose one of your consultants"):
            self.offer(self.portal_a, request_a, employee_id=str(self.alice.id))


@tagged("post_install", "-at_install")
class TestPartnerBadInput(PartnerPortalCase):
    def test_bad_offers_write_nothing(self):
        request_a, _request_b = self.send()
        self.env.company.staffing_portal_max_cv_mb = 1
        attachments = self.env["ir.attachment"].search_count([])
        cases = [
            ({"hourly_rate": "0"}, None, "above zero"),
            ({"hourly_rate": "-5"}, None, "above zero"),
            ({"hourly_rate": "150"}, None, "cannot exceed the maximum"),
            ({"hourly_rate": "abc"}, None, "must be a number"),
            ({"hourly_rate": "nan"}, None, "must be a number"),
            ({"hours": "0"}, None, "at least one hour"),
            ({"date_start": "2030-03-01"}, None, "within the request's period"),
            ({"date_end": "2030-04-01"}, None, "within the request's period"),
            (
                {"date_start": "2030-03-14", "date_end": "2030-03-05"},
                None,
                "within the request's period",
            ),
            ({"consultant_name": " "}, None, "Name the consultant"),
            ({}, ("cv.txt", b"plain text, not a CV"), "PDF or Word"),
            ({}, ("cv.pdf", PDF + b"0" * (1024 * 1024)), "larger than 1 MB"),
            (
                {f"skill_{self.skill_sap.id}": str(self.skill_type.id + 10**6)},
                None,
                "Choose a level",
            ),
        ]
        for values, cv, message in cases:
            with self.subTest(values=values, message=message):
                with self.assertRaisesRegex(UserError, message):
                    self.offer(
                        self.portal_a, request_a, cv=cv or ("cv.pdf", PDF), **values
                    )
        self.assertFalse(self.env[PROPOSAL].search([]))
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)

    def test_double_submission_and_closed_request(self):
        request_a, _request_b = self.send()
        self.offer(self.portal_a, request_a)
        with self.assertRaisesRegex(UserError, "already proposed"):
            self.offer(self.portal_a, request_a, consultant_name="piotr nowak")
        request_a.with_user(self.planner).action_close()
        with self.assertRaisesRegex(UserError, "request is closed"):
            self.offer(self.portal_a, request_a, consultant_name="Anna")
        self.assertEqual(len(request_a.proposal_ids), 1)


@tagged("post_install", "-at_install")
class TestPartnerProposalFlow(PartnerPortalCase):
    def test_accepted_offer_becomes_a_tentative_external_allocation(self):
        request_a, request_b = self.send()
        good = self.offer(
            self.portal_a,
            request_a,
            **{f"skill_{self.skill_python.id}": str(self.level_expert.id)},
        )
        weak = self.offer(
            self.portal_b,
            request_b,
            consultant_name="Ravi Kumar",
            **{f"skill_{self.skill_sap.id}": str(self.level_mid.id)},
        )
        self.assertTrue(good.cv_attachment_id)
        self.assertEqual(good.cv_attachment_id.mimetype, "application/pdf")
        # ranked by the candidates' score: the SAP expert first
        ranked = self.line.with_user(self.planner).partner_proposal_ids
        self.assertEqual(ranked.ids, [good.id, weak.id])
        self.assertGreater(good.score, weak.score)
        action = good.with_user(self.planner).action_accept()
        allocation = self.env["staffing.allocation"].browse(action["res_id"])
        self.assertEqual(allocation.state, "draft")
        self.assertTrue(allocation.is_external)
        self.assertEqual(allocation.employee_id.staffing_partner_id, self.partner_a)
        self.assertEqual(allocation.employee_id.name, "Piotr Nowak")
        self.assertEqual(allocation.cost_rate, 90.0)
        self.assertEqual(allocation.allocated_hours, 40.0)
        self.assertEqual(allocation.partner_proposal_id, good)
        self.assertIn("Partner Consultancy Kraków", allocation.external_justification)
        self.assertEqual(good.state, "accepted")
        self.assertEqual(weak.state, "declined")
        self.assertIn("Another consultant was chosen", weak.decline_message)
        self.assertEqual(set((request_a | request_b).mapped("state")), {"closed"})
        self.assertIn("Ravi Kumar is declined", request_b.message_ids[0].body)
        # the normal approval follows
        allocation.with_user(self.planner).action_request_approval()
        allocation.with_user(self.approver2).action_approve()
        self.assertEqual(allocation.state, "confirmed")

    def test_accept_twice_and_withdraw_rules(self):
        request_a, _request_b = self.send()
        first = self.offer(self.portal_a, request_a)
        second = self.offer(self.portal_a, request_a, consultant_name="Anna Kowalska")
        second.with_user(self.portal_a).sudo().action_withdraw()
        self.assertEqual(second.state, "withdrawn")
        first.with_user(self.planner).action_accept()
        with self.assertRaisesRegex(UserError, "no longer open"):
            first.with_user(self.planner).action_accept()
        with self.assertRaisesRegex(UserError, "Only a proposal still open"):
            first.action_withdraw()
        with self.assertRaisesRegex(UserError, "Only planners"):
            second.with_user(self.approver2).action_accept()


@tagged("post_install", "-at_install")
class TestPartnerPortalHttp(HttpCase, PartnerPortalCase):
    def test_pages_isolate_partners(self):
        request_a, request_b = self.send()
        self.authenticate("rs_portal_a", "rs_portal_a")
        page = self.url_open("/my/staffing")
        self.assertEqual(page.status_code, 200)
        self.assertIn(request_a.get_portal_url(), page.text)
        self.assertNotIn(request_b.get_portal_url(), page.text)
        own = self.url_open(f"/my/staffing/{request_a.id}")
        self.assertIn("o_staffing_propose_form", own.text)
        # guessing the other partner's id leads home
        other = self.url_open(f"/my/staffing/{request_b.id}")
        self.assertTrue(other.url.endswith("/my"))
        self.assertNotIn("Partner Consultancy Pune", other.text)
        # posting to it, even with its token, writes nothing
        response = self.url_open(
            f"/my/staffing/{request_b.id}/propose?access_token={request_b._portal_ensure_token()}",
            data={
                "consultant_name": "Intruder",
                "hourly_rate": "50",
                "hours": "8",
                "date_start": str(MONDAY),
                "date_end": str(FRIDAY_NEXT),
                "csrf_token": self._csrf(),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(request_b.proposal_ids)

    def test_bad_offer_shows_the_error_on_the_page(self):
        request_a, _request_b = self.send()
        self.authenticate("rs_portal_a", "rs_portal_a")
        response = self.url_open(
            f"/my/staffing/{request_a.id}/propose",
            data={
                "consultant_name": "Piotr",
                "hourly_rate": "500",
                "hours": "8",
                "date_start": str(MONDAY),
                "date_end": str(FRIDAY_NEXT),
                "csrf_token": self._csrf(),
            },
        )
        self.assertIn("o_staffing_error", response.text)
        self.assertIn("cannot exceed the maximum", response.text)
        self.assertFalse(request_a.proposal_ids)

    def test_partner_sees_its_consultants_bookings_only(self):
        self.send()
        allocation = self.allocate(
            self.xavier, 16, external_justification="No internal SAP expert free"
        ).with_user(self.planner)
        allocation.action_request_approval()
        allocation.with_user(self.approver2).action_approve()
        self.authenticate("rs_portal_a", "rs_portal_a")
        page = self.url_open("/my/staffing/allocations").text
        self.assertIn("Xavier External", page)
        self.assertNotIn("Brabant ERP", page)
        self.assertNotIn("Alice Expert", page)
        self.env.company.staffing_portal_show_project = True
        page = self.url_open("/my/staffing/allocations").text
        self.assertIn("Brabant ERP", page)
        self.authenticate("rs_portal_b", "rs_portal_b")
        self.assertNotIn(
            "Xavier External", self.url_open("/my/staffing/allocations").text
        )

    def _csrf(self):
        """The CSRF token of the logged-in session, from the user's own request."""
        own = self.env[REQUEST].search(
            [("partner_company_id", "=", self.partner_a.id)], limit=1
        )
        page = self.url_open(f"/my/staffing/{own.id}").text
        marker = 'name="csrf_token" value="'
        self.assertIn(marker, page)
        return page.split(marker, 1)[1].split('"', 1)[0]


@tagged("post_install", "-at_install")
class TestPartnerPortalTours(HttpCase, PartnerPortalCase):
    def test_partner_answers_planner_accepts_approver_approves(self):
        request_a, _request_b = self.send()
        self.start_tour(
            "/my/staffing", "resource_sharing_partner_portal_tour", login="rs_portal_a"
        )
        proposal = request_a.proposal_ids
        self.assertEqual(proposal.consultant_name, "Marta Zielinska")
        self.assertEqual(proposal.hourly_rate, 95.0)
        self.assertEqual(proposal.cv_attachment_id.name, "marta-cv.pdf")
        self.assertEqual(proposal.skill_line_ids.level_id, self.level_expert)
        self.start_tour(
            f"/odoo/action-resource_sharing.staffing_request_line_action/{self.line.id}",
            "resource_sharing_partner_accept_tour",
            login="rs_planner",
        )
        allocation = proposal.allocation_id
        self.assertEqual(allocation.state, "to_approve")
        self.start_tour(
            "/odoo/action-resource_sharing.staffing_allocation_action_to_approve",
            "resource_sharing_partner_approve_tour",
            login="rs_approver2",
        )
        self.assertEqual(allocation.state, "confirmed")
        self.assertEqual(allocation.approver_id, self.approver2)


PORTAL_ATTACKS = (
    Attack(
        "offer state written by a planner",
        "portal",
        "planner",
        PROPOSAL,
        "write",
        "t_offer_a",
        {"state": "accepted"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "offered rate rewritten by a planner",
        "portal",
        "planner",
        PROPOSAL,
        "write",
        "t_offer_a",
        {"hourly_rate": 1.0},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "offer made up in the back office",
        "portal",
        "planner",
        PROPOSAL,
        "create",
        None,
        lambda t: {
            "partner_request_id": t.t_request_a().id,
            "consultant_name": "Ghost",
            "date_start": MONDAY,
            "date_end": FRIDAY_NEXT,
            "hours": 8,
            "hourly_rate": 1,
        },
        message=ACTIONS_ONLY,
    ),
    Attack(
        "offer of a partner read by another partner",
        "portal",
        "portal_b",
        PROPOSAL,
        "read",
        "t_offer_a",
        ["hourly_rate", "consultant_name"],
        error=AccessError,
    ),
    Attack(
        "request of a partner read by another partner",
        "portal",
        "portal_b",
        REQUEST,
        "read",
        "t_request_a",
        ["name", "max_rate"],
        error=AccessError,
    ),
    Attack(
        "offer withdrawn by another partner",
        "portal",
        "portal_b",
        PROPOSAL,
        "call",
        "t_offer_a",
        ("action_withdraw",),
        error=AccessError,
    ),
    Attack(
        "offer accepted by the partner itself",
        "portal",
        "portal_a",
        PROPOSAL,
        "call",
        "t_offer_a",
        ("action_accept",),
        message="Only planners",
    ),
    Attack(
        "offer accepted by an approver",
        "portal",
        "approver2",
        PROPOSAL,
        "call",
        "t_offer_a",
        ("action_accept",),
        message="Only planners",
    ),
    Attack(
        "request closed by a write",
        "portal",
        "planner",
        REQUEST,
        "write",
        "t_request_a",
        {"state": "closed"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "maximum rate of a sent request raised by a planner",
        "portal",
        "planner",
        REQUEST,
        "write",
        "t_request_a",
        {"max_rate": 999.0},
        message=FIXED,
    ),
    Attack(
        "sent request re-routed to another partner",
        "portal",
        "planner",
        REQUEST,
        "write",
        "t_request_a",
        lambda t: {"partner_company_id": t.partner_b.id, "hours": 1.0},
        message=FIXED,
    ),
    Attack(
        "partner offer pinned on an allocation",
        "portal",
        "planner",
        ALLOC,
        "write",
        "t_draft_allocation",
        lambda t: {"partner_proposal_id": t.t_offer_a().id},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "the partner's consultants' bookings searched by the partner",
        "portal",
        "portal_a",
        ALLOC,
        "search",
        None,
        [],
        error=AccessError,
    ),
)


@tagged("post_install", "-at_install")
class TestPartnerPortalAttacks(AttackRunner, PartnerPortalCase):
    def t_request_a(self):
        existing = self.line.partner_request_ids.filtered(
            lambda r: r.partner_company_id == self.partner_a
        )
        return existing or self.send()[0]

    def t_offer_a(self):
        request_a = self.t_request_a()
        return request_a.proposal_ids[:1] or self.offer(self.portal_a, request_a)

    def t_draft_allocation(self):
        if self.request.state == "draft":
            self.start_request()
        return self.allocate(self.bob, 8)

    def test_portal_attacks(self):
        """Every attack on the partner portal is refused, nothing written."""
        self.run_attacks(PORTAL_ATTACKS)

from odoo.tests import HttpCase, tagged

from .common import StaffingCase
from .test_sharing import SharingCase

SMOKE_URLS = [
    "/odoo/action-resource_sharing.staffing_request_action",
    "/odoo/action-resource_sharing.staffing_request_action?view_type=list",
    "/odoo/action-resource_sharing.staffing_request_line_action",
    "/odoo/action-resource_sharing.staffing_request_line_action_review",
    "/odoo/action-resource_sharing.staffing_shortlist_entry_action",
    "/odoo/action-resource_sharing.staffing_allocation_action?view_type=calendar",
    "/odoo/action-resource_sharing.staffing_allocation_action?view_type=pivot",
    "/odoo/action-resource_sharing.staffing_allocation_action?view_type=graph",
    "/odoo/action-resource_sharing.staffing_allocation_action_my",
    "/odoo/action-resource_sharing.hr_employee_action_staffing",
    "/odoo/action-resource_sharing.res_partner_action_staffing",
    "/odoo/action-resource_sharing.staffing_role_action",
]


@tagged("post_install", "-at_install")
class TestStaffingTours(HttpCase, StaffingCase):
    def test_planner_staffs_internal_consultant(self):
        """The PMO opens a request, finds candidates, allocates and confirms."""
        self.request.action_submit()
        self.start_tour(
            f"/odoo/action-resource_sharing.staffing_request_action/{self.request.id}",
            "resource_sharing_planner_tour",
            login="rs_planner",
        )
        allocation = self.line.allocation_ids
        self.assertEqual(allocation.employee_id, self.alice)
        self.assertEqual(allocation.state, "confirmed")
        self.assertEqual(self.request.state, "staffed")

    def test_approver_approves_external(self):
        """The approver approves an external allocation from 'To approve by me'."""
        self.request.action_submit()
        self.request.with_user(self.planner).action_start()
        allocation = self.allocate(
            self.xavier, 16, external_justification="No internal SAP expert free"
        ).with_user(self.planner)
        allocation.action_request_approval()
        self.start_tour(
            "/odoo/action-resource_sharing.staffing_allocation_action_to_approve",
            "resource_sharing_approver_tour",
            login="rs_approver2",
        )
        self.assertEqual(allocation.state, "confirmed")
        self.assertEqual(allocation.approver_id, self.approver2)

    def test_timeline_shows_allocations(self):
        """Planners see allocations on the timeline per consultant."""
        self.request.action_submit()
        self.request.with_user(self.planner).action_start()
        self.allocate(self.alice, 40).with_user(self.planner).action_confirm()
        self.start_tour(
            "/odoo/action-resource_sharing.staffing_allocation_action?view_type=timeline",
            "resource_sharing_timeline_tour",
            login="rs_planner",
        )

    def test_views_render(self):
        """Every planner screen renders with data, without a client error."""
        self.start_request()
        self.allocate(self.alice, 40).with_user(self.planner).action_confirm()
        urls = [
            *SMOKE_URLS,
            f"/odoo/action-resource_sharing.staffing_request_action/{self.request.id}",
            "/odoo/action-resource_sharing.staffing_allocation_action/"
            f"{self.line.allocation_ids.id}",
        ]
        for url in urls:
            with self.subTest(url=url):
                self.start_tour(url, "resource_sharing_view_smoke", login="admin")


@tagged("post_install", "-at_install")
class TestSharingTours(HttpCase, SharingCase):
    def test_sister_consultant_staffed_with_consent(self):
        """A Dutch planner staffs a Belgian expert; the Belgian planner consents."""
        self.make_agreement()
        self.start_request()
        self.start_tour(
            f"/odoo/action-resource_sharing.staffing_request_action/{self.request.id}",
            "resource_sharing_sister_staffing_tour",
            login="rs_planner",
        )
        allocation = self.line.allocation_ids
        self.assertEqual(allocation.employee_id, self.bea)
        self.assertEqual(allocation.company_id, self.company_nl)
        self.assertEqual(allocation.lending_company_id, self.company_be)
        self.assertEqual(allocation.state, "to_approve")
        self.start_tour(
            "/odoo/action-resource_sharing.staffing_loan_action",
            "resource_sharing_sister_consent_tour",
            login="rs_planner_be",
        )
        self.assertEqual(allocation.state, "confirmed")
        self.assertEqual(allocation.approver_id, self.planner_be)


@tagged("post_install", "-at_install")
class TestAutostaffTour(HttpCase, StaffingCase):
    def test_planner_autostaffs_a_request(self):
        """The planner computes a proposal, reads its badges, applies and views it."""
        self.start_request()
        self.start_tour(
            f"/odoo/action-resource_sharing.staffing_request_action/{self.request.id}",
            "resource_sharing_autostaff_tour",
            login="rs_planner",
        )
        self.env.invalidate_all()
        proposal = self.env["staffing.proposal"].search(
            [("request_id", "=", self.request.id)]
        )
        self.assertEqual(proposal.state, "applied")
        lines = proposal.line_ids
        self.assertEqual(
            [(line.employee_id, line.state) for line in lines],
            [(self.alice, "applied")],
            lines.mapped("refusal_message"),
        )
        allocation = lines.allocation_id
        self.assertEqual(allocation.request_line_id, self.line)
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(allocation.allocated_hours, 40.0)
        self.assertTrue(allocation.is_proposed)

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FRIDAY_NEXT, MONDAY, StaffingCase


@tagged("post_install", "-at_install")
class TestSecurity(StaffingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alloc_alice = cls.allocate(cls, cls.alice, 8)
        cls.alloc_bob = cls.allocate(cls, cls.bob, 8)
        cls.other_request = cls.env["staffing.request"].create(
            {
                "partner_id": cls.customer.id,
                "engagement_manager_id": cls.planner.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
            }
        )

    def test_employee_reads_own_plan_only(self):
        """Every employee reads their own allocations and nobody else's."""
        found = self.env["staffing.allocation"].with_user(self.employee_user).search([])
        self.assertEqual(found, self.alloc_alice)

    def test_employee_cannot_write(self):
        """An employee cannot change their plan."""
        with self.assertRaises(AccessError):
            self.alloc_alice.with_user(self.employee_user).write({"allocated_hours": 4})

    def test_user_sees_own_requests(self):
        """Sales users see the requests they hand over, not the others."""
        found = self.env["staffing.request"].with_user(self.user).search([])
        self.assertIn(self.request, found)
        self.assertNotIn(self.other_request, found)

    def test_project_manager_sees_project_allocations(self):
        """The project manager sees who is staffed on the project."""
        found = (
            self.env["staffing.allocation"]
            .with_user(self.project_manager)
            .search([("project_id", "=", self.project.id)])
        )
        self.assertEqual(found, self.alloc_alice | self.alloc_bob)

    def test_planner_sees_everything(self):
        """Planners see all requests."""
        found = self.env["staffing.request"].with_user(self.planner).search([])
        self.assertIn(self.other_request, found)
        self.assertIn(self.request, found)

    def test_money_hidden_from_users(self):
        """Cost rates are for planners and approvers only."""
        with self.assertRaises(AccessError):
            self.alloc_alice.with_user(self.user).read(["cost_amount"])
        self.assertEqual(
            self.alloc_alice.with_user(self.planner).read(["cost_amount"])[0][
                "cost_amount"
            ],
            480,
        )

    def test_only_managers_configure_roles(self):
        """Planners read roles; managers create them."""
        with self.assertRaises(AccessError):
            self.env["staffing.role"].with_user(self.planner).create({"name": "X"})
        manager = self.env["res.users"].create(
            {
                "name": "Manager Max",
                "login": "rs_manager",
                "groups_id": [
                    (6, 0, [self.env.ref("resource_sharing.group_manager").id])
                ],
            }
        )
        role = self.env["staffing.role"].with_user(manager).create({"name": "New role"})
        self.assertTrue(role.exists())

    def test_planner_reads_consultant_list(self):
        """A planner without HR rights reads the consultant list and its load."""
        view = self.env.ref("resource_sharing.hr_employee_view_list_staffing")
        fields = [
            node.get("name") for node in etree.fromstring(view.arch).iter("field")
        ]
        rows = (
            self.env["hr.employee"]
            .with_user(self.planner)
            .search_read([("id", "=", self.xavier.id)], fields)
        )
        self.assertEqual(rows[0]["is_external"], True)
        self.assertEqual(rows[0]["staffing_load_percent"], 0.0)

    def test_group_hierarchy(self):
        """Manager implies planner and approver; both imply user."""
        manager = self.env.ref("resource_sharing.group_manager")
        implied = manager.trans_implied_ids
        self.assertIn(self.env.ref("resource_sharing.group_planner"), implied)
        self.assertIn(self.env.ref("resource_sharing.group_approver"), implied)
        self.assertIn(self.env.ref("resource_sharing.group_user"), implied)

    def test_other_company_invisible(self):
        """A request of another company is invisible to this company's planner."""
        company_b = self.env["res.company"].create({"name": "Staffing B.V."})
        customer_b = self.env["res.partner"].create({"name": "Customer B"})
        request_b = self.env["staffing.request"].create(
            {
                "partner_id": customer_b.id,
                "company_id": company_b.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
            }
        )
        found = self.env["staffing.request"].with_user(self.planner).search([])
        self.assertNotIn(request_b, found)
        with self.assertRaises(AccessError):
            request_b.with_user(self.planner).read(["name"])

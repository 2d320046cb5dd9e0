from datetime import date, timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.resource_sharing.tests.common import StaffingCase


@tagged("post_install", "-at_install")
class TestForecastTour(HttpCase, StaffingCase):
    def test_finance_opens_forecast_pivot(self):
        """Finance opens the forecast pivot, a column per month."""
        project = self.env["project.project"].create({"name": "Forecast Tour Project"})
        start = date.today() + timedelta(days=7)
        self.env["staffing.allocation"].create(
            {
                "employee_id": self.alice.id,
                "project_id": project.id,
                "date_start": start,
                "date_end": start + timedelta(days=20),
                "allocated_hours": 40,
            }
        ).action_confirm()
        self.env["res.users"].create(
            {
                "name": "Finance Tour",
                "login": "rs_finance_tour",
                "password": "rs_finance_tour",
                "groups_id": [
                    (6, 0, [self.env.ref("resource_forecast.group_finance").id])
                ],
            }
        )
        self.start_tour(
            "/odoo/action-resource_forecast.staffing_forecast_line_action",
            "resource_forecast_finance_tour",
            login="rs_finance_tour",
        )

    def test_planner_opens_bench(self):
        """The bench lists a free consultant and leads to the positions that fit."""
        self._employee("Bench Tour Consultant", {self.skill_sap: self.level_expert})
        project = self.env["project.project"].create({"name": "Bench Tour Project"})
        start = date.today() + timedelta(days=7)
        request = self.env["staffing.request"].create(
            {
                "partner_id": self.customer.id,
                "project_id": project.id,
                "engagement_manager_id": self.user.id,
                "date_start": start,
                "date_end": start + timedelta(days=20),
                "line_ids": [
                    Command.create(
                        {"role_id": self.role_architect.id, "planned_hours": 40.0}
                    )
                ],
            }
        )
        self.start_request(request)
        self.start_tour(
            "/odoo/action-resource_forecast.staffing_bench_action",
            "resource_forecast_bench_tour",
            login="rs_planner",
        )

    def test_forecast_views_render(self):
        """Every forecast screen renders without a client error."""
        self.env["staffing.forecast.snapshot"].create({"name": "Smoke"})
        for url in (
            "/odoo/action-resource_forecast.staffing_forecast_line_action?view_type=graph",
            "/odoo/action-resource_forecast.staffing_forecast_line_action?view_type=list",
            "/odoo/action-resource_forecast.staffing_forecast_utilization_action",
            "/odoo/action-resource_forecast.staffing_forecast_utilization_action"
            "?view_type=pivot",
            "/odoo/action-resource_forecast.staffing_forecast_snapshot_action",
            "/odoo/action-resource_forecast.staffing_forecast_comparison_action",
            "/odoo/action-resource_forecast.staffing_forecast_rate_action",
            "/odoo/action-resource_forecast.staffing_bench_action",
        ):
            with self.subTest(url=url):
                self.start_tour(url, "resource_sharing_view_smoke", login="admin")


@tagged("post_install", "-at_install")
class TestRadarOutlookTours(HttpCase, StaffingCase):
    """The radar and the outlook in the browser, dated from the real today."""

    def setUp(self):
        super().setUp()
        today = date.today()
        project = self.env["project.project"].create({"name": "Radar Tour Project"})
        current = self.env["staffing.allocation"].create(
            {
                "employee_id": self.alice.id,
                "project_id": project.id,
                "date_start": today,
                "date_end": today + timedelta(days=13),
                "allocated_hours": 40,
            }
        )
        current.action_confirm()
        start = today + timedelta(days=14)
        period = {"date_start": start, "date_end": start + timedelta(27)}
        self.request.write(
            {**period, "line_ids": [Command.update(self.line.id, period)]}
        )
        self.start_request()
        # a quotation far bigger than the architects' free hours: a shortage
        hour = self.env.ref("uom.product_uom_hour")
        product = self.env["product.product"].create(
            {
                "name": "Architect hours",
                "type": "service",
                "uom_id": hour.id,
                "uom_po_id": hour.id,
                "staffing_role_id": self.role_architect.id,
            }
        )
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "staffing_date_start": start,
                "staffing_date_end": start + timedelta(27),
                "staffing_probability": 100.0,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 5000,
                            "price_unit": 150.0,
                        }
                    )
                ],
            }
        )
        self.env["res.users"].create(
            {
                "name": "Finance Outlook",
                "login": "rs_finance_outlook",
                "password": "rs_finance_outlook",
                "groups_id": [
                    Command.set([self.env.ref("resource_forecast.group_finance").id])
                ],
            }
        )

    def test_planner_opens_radar_and_allocates(self):
        self.start_tour(
            "/odoo/action-resource_sharing.staffing_rolloff_action",
            "resource_forecast_radar_tour",
            login="rs_planner",
        )
        allocation = self.line.allocation_ids
        self.assertEqual(allocation.employee_id, self.alice)
        self.assertEqual(allocation.state, "draft")

    def test_planner_and_finance_open_outlook(self):
        self.start_tour(
            "/odoo/action-resource_forecast.staffing_demand_outlook_action",
            "resource_forecast_outlook_planner_tour",
            login="rs_planner",
        )
        self.start_tour(
            "/odoo/action-resource_forecast.staffing_demand_outlook_action",
            "resource_forecast_outlook_finance_tour",
            login="rs_finance_outlook",
        )

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

from unittest.mock import patch

from odoo.tests import tagged

from ..models.staffing_forecast_utilization import MONTH_FACTOR
from .common import ForecastCase, d

START, END = d("2030-03-04"), d("2030-03-15")


@tagged("post_install", "-at_install")
class TestReports(ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booking(cls, cls.alice, 40, START, END, state="confirmed")
        cls.booking(cls, cls.bob, 60, START, END, state="confirmed")
        cls.snapshot = (
            cls.env["staffing.forecast.snapshot"]
            .with_user(cls.finance)
            .create({"name": "February close"})
        )
        cls.booking(cls, cls.alice, 8, START, END)

    def _keyed(self, model, keys, order):
        records = self.env[model].search([], order=order)
        return {record.id: tuple(record[key] for key in keys) for record in records}

    def test_utilization_ids_are_stable(self):
        """Two reads in another order give every row the same id."""
        keys = ("employee_id", "date", "capacity_hours")
        first = self._keyed("staffing.forecast.utilization", keys, "date, id")
        second = self._keyed(
            "staffing.forecast.utilization", keys, "employee_id desc, id desc"
        )
        self.assertEqual(first, second)
        march = self.alice.id * MONTH_FACTOR + 2030 * 12 + 2
        self.assertEqual(first[march][:2], (self.alice, d("2030-03-01")))
        utilization = self.env["staffing.forecast.utilization"].browse(march)
        # 40 confirmed hours over the 21 working days of March 2030
        self.assertAlmostEqual(utilization.utilization, 100 * 40 / 168)

    def test_comparison_ids_are_stable(self):
        """Snapshot rows keep their line's id, current rows an id of their keys."""
        keys = ("snapshot_id", "employee_id", "date", "snapshot_hours", "current_hours")
        comparison = "staffing.forecast.comparison"
        first = self._keyed(comparison, keys, "date, id")
        second = self._keyed(comparison, keys, "current_hours desc, id desc")
        self.assertEqual(first, second)
        found = self.env[comparison].search([("id", "in", list(first))])
        self.assertEqual(len(found), len(first))
        frozen = self.snapshot.line_ids.filtered(
            lambda line: line.line_type == "planned"
        )
        self.assertLessEqual(set(frozen.ids), set(first))

    def test_bench_lists_free_consultants(self):
        """The bench shows free hours of the next four weeks, set-based."""
        self.booking(
            self.carol, 160, d("2030-02-15"), d("2030-03-14"), state="confirmed"
        )
        bench = self.env["staffing.bench"].with_user(self.planner).search([])
        by_employee = {line.employee_id: line for line in bench}
        self.assertNotIn(self.carol, by_employee)
        # 2030-02-15 to 2030-03-14: 20 working days; 9 of the bookings' 10
        alice = by_employee[self.alice]
        self.assertEqual(
            (alice.capacity_hours, alice.planned_hours, alice.free_hours),
            (160, 36, 124),
        )
        self.assertAlmostEqual(alice.tentative_hours, 7.2)
        self.assertIn("SAP", alice.skills)
        self.assertEqual(alice.id, self.alice.id)

    def test_bench_opens_fitting_positions(self):
        """A consultant's button opens the open positions whose skills they meet."""
        self.start_request()
        bench = self.env["staffing.bench"].with_user(self.planner)
        action = bench.browse(self.alice.id).action_open_positions()
        self.assertIn(self.line.id, action["domain"][0][2])
        carol = bench.search([("employee_id", "=", self.carol.id)])
        self.assertNotIn(self.line.id, carol.action_open_positions()["domain"][0][2])
        by_skill = bench.search([("skill_ids", "=", self.skill_python.id)])
        self.assertEqual(by_skill.employee_id, self.alice | self.xavier)

    def test_screens_open_on_the_coming_months(self):
        """Forecast and utilization open on a default filter of coming months."""
        for xmlid, key in (
            ("staffing_forecast_line_action", "search_default_next_12_months"),
            ("staffing_forecast_utilization_action", "search_default_next_4_months"),
        ):
            action = self.env.ref(f"resource_forecast.{xmlid}")
            self.assertIn(key, action.context)

    def test_pivot_groups_by_project_name_without_join(self):
        """Finance's pivot sums on project ids, then lists projects by name."""
        zeta = self.env["project.project"].create(
            {"name": "Zeta Rollout", "partner_id": self.customer.id}
        )
        alpha = self.env["project.project"].create(
            {"name": "Alpha Audit", "partner_id": self.customer.id}
        )
        self.booking(self.carol, 16, START, END, project=zeta, state="confirmed")
        self.booking(self.carol, 8, START, END, project=alpha, state="confirmed")
        self.env.flush_all()
        forecast = self.forecast.with_user(self.finance)
        forecast.flush_model()
        queries = []
        execute = type(self.env.cr).execute

        def catching(cr, query, params=None, log_exceptions=True):
            queries.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", catching):
            groups = forecast.read_group(
                [("line_type", "=", "planned")],
                ["planned_hours:sum"],
                ["date:month", "project_id"],
                lazy=False,
            )
        march = [
            group
            for group in groups
            if group["__range"]["date:month"]["from"] == "2030-03-01"
        ]
        self.assertEqual(
            [g["project_id"][1] for g in march],
            ["Alpha Audit", "Brabant ERP", "Zeta Rollout"],
        )
        self.assertEqual([round(g["planned_hours"], 2) for g in march], [8, 108, 16])
        grouped = [q for q in queries if "GROUP BY" in q]
        self.assertTrue(grouped)
        self.assertNotIn("project_project", grouped[0])

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ForecastCase, d

START, END = d("2030-03-04"), d("2030-03-15")


@tagged("post_install", "-at_install")
class TestForecastSecurity(ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booking(cls, cls.alice, 40, START, END, state="confirmed")

    def _read(self, user, fields):
        lines = (
            self.env["staffing.forecast.line"]
            .with_user(user)
            .search(
                [("employee_id", "=", self.alice.id), ("line_type", "=", "planned")]
            )
        )
        return lines.read(fields)

    def test_finance_reads_money(self):
        """Finance reads hours, cost and revenue."""
        rows = self._read(self.finance, ["planned_hours", "cost", "revenue"])
        self.assertEqual(sum(r["cost"] for r in rows), 2400)

    def test_planner_reads_hours_not_money(self):
        """Planners read hours but not money."""
        rows = self._read(self.planner, ["planned_hours"])
        self.assertEqual(sum(r["planned_hours"] for r in rows), 40)
        with self.assertRaises(AccessError):
            self._read(self.planner, ["cost"])

    def test_consultant_sees_nothing(self):
        """A consultant has no access to the forecast."""
        with self.assertRaises(AccessError):
            self.env["staffing.forecast.line"].with_user(self.employee_user).search([])

    def test_nobody_writes_lines(self):
        """Forecast lines are derived: not even finance edits them."""
        line = self.env["staffing.forecast.line"].search([], limit=1)
        with self.assertRaises(AccessError):
            line.with_user(self.finance).write({"planned_hours": 1})

    def test_planner_cannot_take_snapshots(self):
        """Snapshots are taken by finance."""
        with self.assertRaises(AccessError):
            self.env["staffing.forecast.snapshot"].with_user(self.planner).create({})

    def test_rates_for_finance_only(self):
        """Cost rates are finance data."""
        with self.assertRaises(AccessError):
            self.env["staffing.forecast.rate"].with_user(self.planner).search([])

    def test_other_company_invisible(self):
        """Finance does not see another company's forecast."""
        company_b = self.env["res.company"].create({"name": "Forecast B.V."})
        employee_b = self.env["hr.employee"].create(
            {"name": "Other company consultant", "company_id": company_b.id}
        )
        self.assertTrue(
            self.env["staffing.forecast.line"].search(
                [("employee_id", "=", employee_b.id)]
            )
        )
        self.assertFalse(
            self.env["staffing.forecast.line"]
            .with_user(self.finance)
            .search([("employee_id", "=", employee_b.id)])
        )

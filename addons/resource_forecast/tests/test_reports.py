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

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ForecastCase, d

START, END = d("2030-03-04"), d("2030-03-15")


@tagged("post_install", "-at_install")
class TestSnapshot(ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booking(cls, cls.alice, 40, START, END, state="confirmed")
        cls.snapshot = (
            cls.env["staffing.forecast.snapshot"]
            .with_user(cls.finance)
            .create({"name": "February close"})
        )

    def _snapshot_planned(self):
        lines = self.snapshot.line_ids.filtered(
            lambda line: line.employee_id == self.alice and line.line_type == "planned"
        )
        return sum(lines.mapped("planned_hours"))

    def test_snapshot_copies_per_month(self):
        """The snapshot holds the plan summed per month."""
        self.assertEqual(self._snapshot_planned(), 40)
        months = set(
            self.snapshot.line_ids.filtered(
                lambda line: (
                    line.employee_id == self.alice and line.line_type == "planned"
                )
            ).mapped("date")
        )
        self.assertEqual(months, {d("2030-03-01")})

    def test_snapshot_is_frozen(self):
        """Later changes of the plan leave the snapshot as it was."""
        self.booking(self.alice, 8, START, END)
        self.assertEqual(self._snapshot_planned(), 40)

    def test_finance_cannot_delete(self):
        """Finance has no right to delete a snapshot at all."""
        with self.assertRaises(AccessError):
            self.snapshot.unlink()
        self.assertTrue(self.snapshot.exists())

    def test_snapshot_cannot_change_or_go(self):
        """Neither the snapshot nor its lines can be edited or deleted, by anyone."""
        snapshot = self.snapshot.sudo()
        line = snapshot.line_ids[:1]
        for action in (
            lambda: snapshot.write({"name": "Other"}),
            snapshot.unlink,
            lambda: line.write({"planned_hours": 1}),
            line.unlink,
        ):
            with self.assertRaisesRegex(UserError, "never"):
                action()
        self.assertEqual(self.snapshot.name, "February close")
        self.assertTrue(line.exists())

    def test_drift_and_accuracy(self):
        """The comparison shows what changed since the snapshot."""
        self.booking(self.alice, 8, START, END)
        comparison = self.env["staffing.forecast.comparison"]
        groups = comparison._read_group(
            [
                ("snapshot_id", "=", self.snapshot.id),
                ("employee_id", "=", self.alice.id),
            ],
            [],
            ["snapshot_hours:sum", "current_hours:sum", "drift_hours:sum"],
        )
        self.assertEqual(groups[0], (40, 48, 8))

    def test_monthly_cron(self):
        """The monthly job freezes the forecast of every company."""
        count = self.env["staffing.forecast.snapshot"].search_count([])
        self.env["staffing.forecast.snapshot"]._cron_take_snapshot()
        self.assertGreater(
            self.env["staffing.forecast.snapshot"].search_count([]), count
        )

from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ForecastCase

OUTLOOK = "staffing.demand.outlook"
MISSING = "staffing.missing.actual"
MARCH = date(2030, 3, 1)
APRIL = date(2030, 4, 1)


@tagged("post_install", "-at_install")
class TestDemandOutlook(ForecastCase):
    """Today is 2030-02-15; the fixture's architect position needs 40 h in the
    first half of March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        hour = cls.env.ref("uom.product_uom_hour")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Architect days",
                "type": "service",
                "uom_id": hour.id,
                "uom_po_id": hour.id,
                "list_price": 150.0,
                "staffing_role_id": cls.role_architect.id,
            }
        )

    def outlook(self, user, month, role=None):
        # a report row keeps its id: forget what an earlier read cached
        self.env[OUTLOOK].invalidate_model()
        return (
            self.env[OUTLOOK]
            .with_user(user)
            .search(
                [
                    ("date", "=", month),
                    ("role_id", "=", (role or self.role_architect).id),
                ]
            )
        )

    def quotation(self, hours, probability, start, end):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "staffing_date_start": start,
                "staffing_date_end": end,
                "staffing_probability": probability,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": hours,
                            "price_unit": 150.0,
                        },
                    )
                ],
            }
        )

    def free_capacity(self, employees, month, until):
        groups = self.env["staffing.ledger"]._read_group(
            [
                ("employee_id", "in", employees.ids),
                ("date", ">=", month),
                ("date", "<=", until),
            ],
            [],
            ["capacity_hours:sum", "confirmed_hours:sum", "tentative_hours:sum"],
        )
        capacity, confirmed, tentative = groups[0]
        return capacity - confirmed - tentative

    def test_demand_next_to_supply(self):
        self.start_request()
        self.allocate(self.bob, 16.0)
        row = self.outlook(self.planner, MARCH)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.open_hours, 24.0)
        self.assertEqual(row.tentative_hours, 16.0)
        self.assertEqual(row.confirmed_hours, 0.0)
        self.assertEqual(row.demand_hours, 40.0)
        # architects hold SAP at least medior: Alice and Bob inside, Xavier a partner
        internal = self.free_capacity(self.alice | self.bob, MARCH, date(2030, 3, 31))
        partner = self.free_capacity(self.xavier, MARCH, date(2030, 3, 31))
        self.assertEqual(internal, 2 * 168.0 - 16.0)
        self.assertEqual(row.supply_internal_hours, internal)
        self.assertEqual(row.supply_partner_hours, partner)
        self.assertEqual(row.supply_hours, internal + partner)
        self.assertFalse(row.is_shortage)
        self.assertEqual(row.shortage_hours, 0.0)

    def test_pipeline_weighted_per_role_and_month(self):
        """100 h over April and May at 30 %: 30 weighted hours, split by days."""
        self.quotation(100.0, 30.0, date(2030, 4, 1), date(2030, 5, 30))
        april = self.outlook(self.finance, APRIL)
        may = self.outlook(self.finance, date(2030, 5, 1))
        # 30 of the 60 days are in April, 30 in May
        self.assertAlmostEqual(april.pipeline_hours, 15.0, places=6)
        self.assertAlmostEqual(may.pipeline_hours, 15.0, places=6)
        self.assertAlmostEqual(april.pipeline_revenue, 2250.0, places=4)
        # signed, the order is no longer pipeline but a position to staff
        order = self.env["sale.order"].search([("partner_id", "=", self.customer.id)])
        order.action_confirm()
        april = self.outlook(self.finance, APRIL)
        self.assertEqual(april.pipeline_hours, 0.0)
        self.assertEqual(april.open_hours, 50.0)

    def test_shortage_month(self):
        """A big quotation outgrows the free architects: a shortage month."""
        self.quotation(2000.0, 100.0, date(2030, 4, 1), date(2030, 4, 30))
        row = self.outlook(self.planner, APRIL)
        self.assertTrue(row.is_shortage)
        self.assertAlmostEqual(row.shortage_hours, 2000.0 - row.supply_hours, places=6)
        self.assertIn(
            row,
            self.env[OUTLOOK]
            .with_user(self.planner)
            .search([("is_shortage", "=", True)]),
        )

    def test_planners_see_hours_finance_sees_money(self):
        self.quotation(100.0, 50.0, date(2030, 4, 1), date(2030, 4, 30))
        row = self.outlook(self.planner, APRIL)
        self.assertEqual(row.pipeline_hours, 50.0)
        with self.assertRaises(AccessError):
            row.read(["pipeline_revenue"])
        self.assertEqual(self.outlook(self.finance, APRIL).pipeline_revenue, 7500.0)
        with self.assertRaises(AccessError):
            self.env[OUTLOOK].with_user(self.user).search([])

    def test_bad_probability(self):
        order = self.quotation(10.0, 50.0, date(2030, 4, 1), date(2030, 4, 30))
        for value in (-1.0, 100.5):
            with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
                order.staffing_probability = value
        self.assertEqual(order.staffing_probability, 50.0)


@tagged("post_install", "-at_install")
class TestMissingActuals(ForecastCase):
    """Alice had 16 confirmed hours on the project in the week of 4 February
    (today is Friday 15 February 2030)."""

    def setUp(self):
        super().setUp()
        self.alice.user_id = self.employee_user
        self.booking(
            self.alice, 16.0, date(2030, 2, 4), date(2030, 2, 8), state="confirmed"
        )

    def missing(self, user):
        self.env[MISSING].invalidate_model()
        return (
            self.env[MISSING]
            .with_user(user)
            .search([("employee_id", "=", self.alice.id)])
        )

    def test_missing_then_logged(self):
        row = self.missing(self.finance)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.week, date(2030, 2, 4))
        self.assertEqual(row.planned_hours, 16.0)
        self.assertEqual(row.project_id, self.project)
        self.assertEqual(row.project_manager_id, self.project_manager)
        variance = self.sums(
            [("project_id", "=", self.project.id), ("date", "<", date(2030, 2, 11))],
            "logged_variance_hours",
        )
        self.assertEqual(variance["logged_variance_hours"], -16.0)
        self.env["account.analytic.line"].create(
            {
                "name": "Design",
                "project_id": self.project.id,
                "employee_id": self.alice.id,
                "date": date(2030, 2, 6),
                "unit_amount": 6.0,
            }
        )
        self.assertFalse(self.missing(self.finance))
        variance = self.sums(
            [("project_id", "=", self.project.id), ("date", "<", date(2030, 2, 11))],
            "logged_variance_hours",
        )
        self.assertEqual(variance["logged_variance_hours"], -10.0)

    def test_look_back_weeks(self):
        """Only the company's look-back counts; older weeks are closed."""
        self.booking(
            self.alice, 8.0, date(2030, 1, 14), date(2030, 1, 18), state="confirmed"
        )
        weeks = self.missing(self.finance).mapped("week")
        self.assertEqual(sorted(weeks), [date(2030, 1, 14), date(2030, 2, 4)])
        self.company.staffing_missing_weeks = 2
        self.assertEqual(self.missing(self.finance).week, date(2030, 2, 4))
        for value in (0, -1):
            with self.assertRaisesRegex(ValidationError, "at least one week"):
                self.company.staffing_missing_weeks = value
        self.assertEqual(self.company.staffing_missing_weeks, 2)

    def test_who_sees_missing_actuals(self):
        self.assertTrue(self.missing(self.planner))
        self.assertTrue(self.missing(self.project_manager))
        # the consultant is reminded by a to-do; the list is for PMs and finance
        with self.assertRaises(AccessError):
            self.missing(self.employee_user)
        outsider = new_test_user(
            self.env, "rs_pm_other", groups="resource_sharing.group_user"
        )
        self.assertFalse(self.missing(outsider))

    def test_reminder_once_per_week(self):
        action = self.missing(self.planner).action_remind()
        self.assertEqual(action["params"]["message"], "1 reminder(s) sent.")
        todos = self.project.activity_ids.filtered(
            lambda a: a.user_id == self.employee_user
        )
        self.assertEqual(len(todos), 1)
        self.assertIn("2030-02-04", todos.summary)
        self.missing(self.planner).action_remind()
        self.assertEqual(
            len(
                self.project.activity_ids.filtered(
                    lambda a: a.user_id == self.employee_user
                )
            ),
            1,
        )
        with self.assertRaisesRegex(UserError, "Only planners and finance"):
            self.missing(self.project_manager).action_remind()

    def test_weekly_cron_reminds_last_week(self):
        self.assertEqual(self.env[MISSING]._cron_remind(), 1)

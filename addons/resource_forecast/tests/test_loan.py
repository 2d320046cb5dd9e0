from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.resource_sharing.tests.common import FRIDAY_NEXT, MONDAY
from odoo.addons.resource_sharing.tests.test_sharing import SharingCase

from .common import TODAY

LINE = "staffing.forecast.line"


class LoanCase(SharingCase):
    """Bea of the Belgian company works 40 h on the Dutch fixture's project.

    The agreement's rate for architects is 95 an hour, the position is sold at
    140, Bea costs her company 55: the Dutch side plans 40 h costing 3,800 and
    earning 5,600; the Belgian side has her capacity (80 h in the fortnight),
    40 h lent out earning 3,800 and costing 2,200.
    """

    @classmethod
    def setUpClass(cls):
        cls.startClassPatcher(freeze_time(TODAY))
        super().setUpClass()
        cls.finance_nl = new_test_user(
            cls.env,
            "rs_finance_nl",
            groups="resource_forecast.group_finance",
            company_id=cls.company_nl.id,
            company_ids=[Command.set(cls.company_nl.ids)],
        )
        cls.finance_be = cls._be_user(
            "rs_finance_be", "resource_forecast.group_finance"
        )
        cls.planner_be_only = cls._be_user(
            "rs_planner_be_only", "resource_sharing.group_planner"
        )

    def setUp(self):
        super().setUp()
        self.make_agreement()
        self.request.action_submit()
        self.request.action_start()
        self.allocation = self.allocate_bea(40.0)

    def consent(self):
        self.allocation.with_user(self.planner).action_request_approval()
        self.loan_of(self.allocation, self.planner_be).action_consent()
        self.assertEqual(self.allocation.state, "confirmed")

    def sums(self, user, domain, *measures):
        Line = self.env[LINE].with_user(user)
        groups = Line._read_group(
            [("employee_id", "=", self.bea.id), *domain],
            [],
            [f"{measure}:sum" for measure in measures],
        )
        return {
            measure: round(value or 0.0, 2)
            for measure, value in zip(measures, groups[0], strict=True)
        }

    def fortnight(self):
        return [("date", ">=", MONDAY), ("date", "<=", FRIDAY_NEXT)]


@tagged("post_install", "-at_install")
class TestLoanForecast(LoanCase):
    def test_borrower_plans_at_the_intercompany_rate(self):
        figures = self.sums(
            self.finance_nl,
            self.fortnight(),
            "planned_hours",
            "cost",
            "revenue",
            "margin",
            "capacity_hours",
            "lent_hours",
        )
        self.assertEqual(
            figures,
            {
                "planned_hours": 40.0,
                "cost": 3800.0,
                "revenue": 5600.0,
                "margin": 1800.0,
                # her capacity and the lender's figures are Belgian rows
                "capacity_hours": 0.0,
                "lent_hours": 0.0,
            },
        )
        planned = (
            self.env[LINE]
            .with_user(self.finance_nl)
            .search([("employee_id", "=", self.bea.id), ("line_type", "=", "planned")])
        )
        self.assertEqual(planned.lending_company_id, self.company_be)
        self.assertEqual(planned.company_id, self.company_nl)

    def test_lender_sees_capacity_and_hours_lent_out(self):
        figures = self.sums(
            self.finance_be,
            self.fortnight(),
            "capacity_hours",
            "lent_hours",
            "revenue",
            "cost",
            "margin",
            "planned_hours",
        )
        self.assertEqual(
            figures,
            {
                "capacity_hours": 80.0,
                "lent_hours": 40.0,
                "revenue": 3800.0,
                "cost": 2200.0,
                "margin": 1600.0,
                # the plan and its sold rate are the borrower's
                "planned_hours": 0.0,
            },
        )
        lent = (
            self.env[LINE]
            .with_user(self.finance_be)
            .search([("employee_id", "=", self.bea.id), ("line_type", "=", "lent")])
        )
        self.assertEqual(lent.borrowing_company_id, self.company_nl)
        self.assertEqual(lent.company_id, self.company_be)
        self.assertFalse(lent.project_id)
        by_borrower = (
            self.env[LINE]
            .with_user(self.finance_be)
            ._read_group(
                [("line_type", "=", "lent")],
                ["borrowing_company_id"],
                ["lent_hours:sum"],
            )
        )
        self.assertEqual(by_borrower, [(self.company_nl, 40.0)])

    def test_each_company_keeps_its_money(self):
        """Neither finance user reads a row of the other company."""
        nl = (
            self.env[LINE]
            .with_user(self.finance_nl)
            .search([("employee_id", "=", self.bea.id)])
        )
        be = (
            self.env[LINE]
            .with_user(self.finance_be)
            .search([("employee_id", "=", self.bea.id)])
        )
        self.assertTrue(nl and be)
        self.assertEqual(set(nl.mapped("company_id")), {self.company_nl})
        self.assertEqual(set(be.mapped("company_id")), {self.company_be})
        self.assertEqual(set(be.mapped("line_type")), {"capacity", "lent"})
        self.assertFalse(nl & be)

    def test_moves_and_cancellation_follow_on_both_sides(self):
        self.allocation.with_user(self.planner).allocated_hours = 20.0
        self.assertEqual(
            self.sums(self.finance_be, [], "lent_hours", "revenue"),
            {"lent_hours": 20.0, "revenue": 1900.0},
        )
        self.assertEqual(
            self.sums(self.finance_nl, [], "planned_hours", "cost"),
            {"planned_hours": 20.0, "cost": 1900.0},
        )
        self.allocation.with_user(self.planner).action_cancel()
        self.assertEqual(
            self.sums(self.finance_be, [], "lent_hours", "capacity_hours")[
                "lent_hours"
            ],
            0.0,
        )
        self.assertEqual(
            self.sums(self.finance_nl, [], "planned_hours")["planned_hours"], 0.0
        )

    def test_consent_turns_lent_hours_confirmed(self):
        Line = self.env[LINE].with_user(self.finance_be)
        lent = [("employee_id", "=", self.bea.id), ("line_type", "=", "lent")]
        self.assertEqual(set(Line.search(lent).mapped("state")), {"tentative"})
        self.consent()
        self.assertEqual(set(Line.search(lent).mapped("state")), {"confirmed"})

    def test_actuals_at_the_intercompany_rate_for_the_borrower(self):
        self.consent()
        # fixture data: the consultant logs a day on the Dutch project
        timesheet = self.env["account.analytic.line"].create(
            {
                "name": "Blueprint workshop",
                "project_id": self.project.id,
                "employee_id": self.bea.id,
                "date": MONDAY,
                "unit_amount": 8.0,
            }
        )
        # Odoo books it in her company; the forecast counts it for the project's
        self.assertEqual(timesheet.company_id, self.company_be)
        self.assertEqual(
            self.sums(
                self.finance_nl,
                [("line_type", "=", "actual")],
                "actual_hours",
                "actual_cost",
                "actual_revenue",
            ),
            {"actual_hours": 8.0, "actual_cost": 760.0, "actual_revenue": 1120.0},
        )
        self.assertEqual(
            self.sums(self.finance_be, [("line_type", "=", "actual")], "actual_hours")[
                "actual_hours"
            ],
            0.0,
        )

    def test_rebuild_of_one_company_keeps_the_other(self):
        """A Dutch rebuild rewrites the Dutch rows and leaves the Belgian ones."""
        self.consent()
        before_be = self.sums(
            self.finance_be, [], "capacity_hours", "lent_hours", "revenue", "cost"
        )
        before_nl = self.sums(self.finance_nl, [], "planned_hours", "cost", "revenue")
        self.env[LINE].with_user(self.manager_nl).action_rebuild_forecast()
        self.assertEqual(
            self.sums(
                self.finance_be, [], "capacity_hours", "lent_hours", "revenue", "cost"
            ),
            before_be,
        )
        self.assertEqual(
            self.sums(self.finance_nl, [], "planned_hours", "cost", "revenue"),
            before_nl,
        )
        self.assertEqual(before_nl["planned_hours"], 40.0)


@tagged("post_install", "-at_install")
class TestLoanReports(LoanCase):
    def utilization(self, user):
        return (
            self.env["staffing.forecast.utilization"]
            .with_user(user)
            .search(
                [
                    ("employee_id", "=", self.bea.id),
                    ("date", "=", MONDAY.replace(day=1)),
                ]
            )
        )

    def test_utilization_the_same_on_both_sides(self):
        self.consent()
        nl = self.utilization(self.planner)
        be = self.utilization(self.planner_be_only)
        self.assertEqual(len(nl), 1)
        self.assertEqual(nl.id, be.id)
        self.assertEqual(nl.company_id, self.company_be)
        # March 2030 has 21 working days of 8 hours
        self.assertEqual(nl.capacity_hours, 168.0)
        self.assertEqual(nl.planned_confirmed_hours, 40.0)
        self.assertAlmostEqual(nl.utilization, 100.0 * 40 / 168, places=2)
        self.assertEqual(
            (be.capacity_hours, be.planned_confirmed_hours, be.utilization),
            (nl.capacity_hours, nl.planned_confirmed_hours, nl.utilization),
        )

    def test_bench_the_same_on_both_sides(self):
        self.consent()
        Bench = self.env["staffing.bench"].with_context(bench_weeks=52)
        nl = Bench.with_user(self.planner).search([("employee_id", "=", self.bea.id)])
        be = Bench.with_user(self.planner_be_only).search(
            [("employee_id", "=", self.bea.id)]
        )
        self.assertEqual(len(nl), 1)
        self.assertEqual(
            (nl.capacity_hours, nl.planned_hours, nl.free_hours),
            (be.capacity_hours, be.planned_hours, be.free_hours),
        )
        self.assertEqual(nl.planned_hours, 40.0)

    def test_no_agreement_no_report_rows_of_the_other_company(self):
        outsider = self.env["res.company"].create({"name": "Staffing Germany"})
        planner_de = new_test_user(
            self.env,
            "rs_planner_de_forecast",
            groups="resource_sharing.group_planner",
            company_id=outsider.id,
            company_ids=[Command.set(outsider.ids)],
        )
        self.assertFalse(self.utilization(planner_de))
        self.assertFalse(
            self.env["staffing.bench"]
            .with_user(planner_de)
            .search([("employee_id", "=", self.bea.id)])
        )
        # an archived agreement stops the borrower's view too
        self.env["staffing.sharing.agreement"].with_user(self.manager_both).search(
            [("lending_company_id", "=", self.company_be.id)]
        ).write({"active": False})
        self.assertFalse(self.utilization(self.planner))

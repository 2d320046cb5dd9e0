from datetime import datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ForecastCase, d

START, END = d("2030-03-04"), d("2030-03-15")


@tagged("post_install", "-at_install")
class TestForecastFigures(ForecastCase):
    def test_capacity_once_per_day(self):
        """Two projects on the same days do not count capacity twice."""
        other = self.env["project.project"].create({"name": "Second project"})
        self.booking(self.alice, 20, START, END, state="confirmed")
        self.booking(self.alice, 20, START, END, project=other, state="confirmed")
        figures = self.sums(
            [
                ("employee_id", "=", self.alice.id),
                ("date", ">=", START),
                ("date", "<=", END),
            ],
            "capacity_hours",
            "planned_confirmed_hours",
        )
        self.assertEqual(figures, {"capacity_hours": 80, "planned_confirmed_hours": 40})
        by_project = self.forecast._read_group(
            [("employee_id", "=", self.alice.id), ("line_type", "=", "planned")],
            ["project_id"],
            ["planned_hours:sum"],
        )
        self.assertEqual(sorted(h for _p, h in by_project), [20, 20])

    def test_part_time_capacity(self):
        """A 4-day calendar gives 32 hours a week and no Friday row."""
        self.carol.resource_calendar_id = self.calendar_part_time
        figures = self.sums(
            [
                ("employee_id", "=", self.carol.id),
                ("date", ">=", START),
                ("date", "<=", d("2030-03-08")),
            ],
            "capacity_hours",
        )
        self.assertEqual(figures["capacity_hours"], 32)
        self.assertFalse(self.rows(self.carol, "capacity", d("2030-03-08")))

    def test_public_holiday_and_spread(self):
        """A public holiday removes capacity and moves planned hours away."""
        allocation = self.booking(self.alice, 36, START, END, state="confirmed")
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 3, 5, 0, 0),
                "date_to": datetime(2030, 3, 5, 22, 0),
            }
        )
        self.assertFalse(self.rows(self.alice, "capacity", d("2030-03-05")))
        planned = self.rows(self.alice, "planned").filtered(
            lambda r: r.allocation_id == allocation
        )
        self.assertEqual(len(planned), 9)
        self.assertEqual(set(planned.mapped("planned_hours")), {4.0})

    def test_leave_lowers_capacity(self):
        """An approved leave lowers that consultant's capacity only."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Bob away",
                "resource_id": self.bob.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 3, 4, 0, 0),
                "date_to": datetime(2030, 3, 8, 22, 0),
            }
        )
        domain = [("date", ">=", START), ("date", "<=", END)]
        bob = self.sums([("employee_id", "=", self.bob.id), *domain], "capacity_hours")
        alice = self.sums(
            [("employee_id", "=", self.alice.id), *domain], "capacity_hours"
        )
        self.assertEqual((bob["capacity_hours"], alice["capacity_hours"]), (40, 80))

    def test_approved_time_off(self):
        """Approving a time-off request lowers that day's capacity and spread."""
        allocation = self.booking(self.alice, 40, START, END, state="confirmed")
        leave_type = self.env["hr.leave.type"].create(
            {
                "name": "Forecast test leave",
                "requires_allocation": "no",
                "leave_validation_type": "hr",
            }
        )
        leave = self.env["hr.leave"].create(
            {
                "employee_id": self.alice.id,
                "holiday_status_id": leave_type.id,
                "request_date_from": d("2030-03-06"),
                "request_date_to": d("2030-03-06"),
            }
        )
        self.assertTrue(self.rows(self.alice, "capacity", d("2030-03-06")))
        leave.action_approve()
        self.assertFalse(self.rows(self.alice, "capacity", d("2030-03-06")))
        planned = self.rows(self.alice, "planned").filtered(
            lambda r: r.allocation_id == allocation
        )
        self.assertEqual(len(planned), 9)
        self.assertAlmostEqual(sum(planned.mapped("planned_hours")), 40)

    def test_tentative_then_confirmed(self):
        """Tentative hours move to confirmed when the allocation is confirmed."""
        allocation = self.booking(self.alice, 16, START, END)
        domain = [("employee_id", "=", self.alice.id)]
        measures = ("planned_confirmed_hours", "planned_tentative_hours")
        self.assertEqual(tuple(self.sums(domain, *measures).values()), (0, 16))
        allocation.action_confirm()
        self.assertEqual(tuple(self.sums(domain, *measures).values()), (16, 0))
        self.assertEqual(
            set(self.rows(self.alice, "planned").mapped("state")), {"confirmed"}
        )

    def test_cost_revenue_margin(self):
        """Cost is hours times the cost rate, revenue hours times the sold rate."""
        self.request.action_submit()
        self.request.action_start()
        allocation = self.allocate(self.alice, 40)
        allocation.action_confirm()
        figures = self.sums(
            [("employee_id", "=", self.alice.id)], "cost", "revenue", "margin"
        )
        self.assertEqual(figures, {"cost": 2400, "revenue": 5600, "margin": 3200})
        self.assertEqual((allocation.cost_amount, allocation.sold_amount), (2400, 5600))

    def test_allocation_rates_are_the_money(self):
        """The allocation's own rates give the forecast's cost and revenue."""
        self.request.action_submit()
        self.request.action_start()
        allocation = self.allocate(self.alice, 40)
        allocation.write({"sold_rate": 200, "cost_rate": 75})
        figures = self.sums(
            [("allocation_id", "=", allocation.id)], "cost", "revenue", "margin"
        )
        self.assertEqual(figures, {"cost": 3000, "revenue": 8000, "margin": 5000})
        self.assertEqual((allocation.cost_amount, allocation.sold_amount), (3000, 8000))

    def test_role_rate_when_nothing_sold(self):
        """Without a sold rate the role's bill rate gives the revenue."""
        self.booking(self.bob, 10, START, END, role_id=self.role_scientist.id)
        figures = self.sums([("employee_id", "=", self.bob.id)], "revenue", "cost")
        self.assertEqual(figures, {"revenue": 1200, "cost": 500})

    def test_dated_rate_defaults_the_cost_rate(self):
        """A dated rate is the default cost rate of bookings starting from it."""
        earlier = self.booking(self.alice, 40, START, END, state="confirmed")
        self.env["staffing.forecast.rate"].create(
            {"employee_id": self.alice.id, "date_from": d("2030-03-11"), "rate": 80}
        )
        later = self.booking(self.alice, 20, d("2030-03-11"), END)
        self.assertEqual((earlier.cost_rate, later.cost_rate), (60, 80))
        costs = [
            self.sums([("allocation_id", "=", booking.id)], "cost")["cost"]
            for booking in (earlier, later)
        ]
        self.assertEqual(costs, [2400, 1600])

    def test_cost_rate_before_any_dated_rate(self):
        """Before its first dated rate a consultant costs their hourly cost."""
        self.env["staffing.forecast.rate"].create(
            {"employee_id": self.bob.id, "date_from": d("2030-04-01"), "rate": 90}
        )
        booking = self.booking(self.bob, 8, START, START)
        self.assertEqual(booking.cost_rate, 50)

    def test_bad_rates(self):
        """Rates need a start date, one per day and consultant, and no sign."""
        rates = self.env["staffing.forecast.rate"]
        rates.create({"employee_id": self.bob.id, "date_from": START, "rate": 55})
        with self.assertRaisesRegex(ValidationError, "start date"):
            rates.create({"employee_id": self.bob.id, "rate": 55})
        with self.assertRaisesRegex(ValidationError, "negative"):
            rates.create({"employee_id": self.bob.id, "date_from": END, "rate": -1})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            rates.create({"employee_id": self.bob.id, "date_from": START, "rate": 60})
        self.assertEqual(rates.search_count([("employee_id", "=", self.bob.id)]), 1)

    def test_timesheets_are_actuals(self):
        """Logged hours appear as actuals and follow edits and deletion."""
        self.booking(self.alice, 40, START, END, state="confirmed")
        timesheet = self._timesheet(self.alice, START, 6)
        actual = self.rows(self.alice, "actual")
        self.assertEqual(actual.actual_hours, 6)
        self.assertEqual(actual.actual_cost, 360)
        timesheet.unit_amount = 4
        self.assertEqual(self.rows(self.alice, "actual").actual_hours, 4)
        timesheet.unlink()
        self.assertFalse(self.rows(self.alice, "actual"))

    def test_actual_cost_is_the_timesheet_amount(self):
        """Actual cost is what the timesheet books, not a rate of this addon."""
        timesheet = self._timesheet(self.alice, START, 6)
        timesheet.amount = -300
        self.env["staffing.forecast.rate"].create(
            {"employee_id": self.alice.id, "date_from": START, "rate": 95}
        )
        self.alice.hourly_cost = 100
        actual = self.rows(self.alice, "actual")
        self.assertEqual((actual.actual_hours, actual.actual_cost), (6, 300))

    def test_actual_revenue_at_the_allocation_rate(self):
        """Logged hours earn the sold rate of the allocation covering the day."""
        self.request.action_submit()
        self.request.action_start()
        self.allocate(self.alice, 40).sold_rate = 200
        self._timesheet(self.alice, START, 5)
        self.assertEqual(self.rows(self.alice, "actual").actual_revenue, 1000)

    def _timesheet(self, employee, day, hours):
        return self.env["account.analytic.line"].create(
            {
                "name": "Workshop",
                "project_id": self.project.id,
                "employee_id": employee.id,
                "date": day,
                "unit_amount": hours,
            }
        )

    def test_moves_and_cancellation(self):
        """Moving an allocation moves its rows; cancelling removes them."""
        allocation = self.booking(self.bob, 8, START, START, state="confirmed")
        allocation.write({"date_start": END, "date_end": END})
        planned = self.rows(self.bob, "planned")
        self.assertEqual(planned.mapped("date"), [END])
        allocation.action_cancel()
        self.assertFalse(self.rows(self.bob, "planned"))

    def test_only_affected_consultant_rewritten(self):
        """A change of one consultant leaves the rows of others untouched."""
        self.booking(self.alice, 20, START, END, state="confirmed")
        alice_ids = self.rows(self.alice).ids
        bob_booking = self.booking(self.bob, 8, START, END)
        bob_ids = self.rows(self.bob).ids
        bob_booking.allocated_hours = 16
        self.assertEqual(self.rows(self.alice).ids, alice_ids)
        self.assertNotEqual(self.rows(self.bob).ids, bob_ids)

    def test_calendar_change(self):
        """Changing a working schedule changes the capacity of its consultants."""
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4").unlink()
        self.assertFalse(self.rows(self.alice, "capacity", d("2030-03-08")))
        self.calendar.attendance_ids = [
            Command.create(
                {
                    "name": "Friday",
                    "dayofweek": "4",
                    "hour_from": 8,
                    "hour_to": 12,
                    "day_period": "morning",
                }
            )
        ]
        self.assertEqual(
            self.rows(self.alice, "capacity", d("2030-03-08")).capacity_hours, 4
        )

    def _frozen_rows(self, employees):
        groups = self.forecast._read_group(
            [("employee_id", "in", employees.ids)],
            ["employee_id", "allocation_id", "project_id", "date:day", "line_type"],
            [
                "capacity_hours:sum",
                "planned_hours:sum",
                "actual_hours:sum",
                "cost:sum",
                "revenue:sum",
                "actual_revenue:sum",
            ],
        )
        return {
            tuple(getattr(k, "id", k) for k in group[:5]): tuple(
                round(v, 4) for v in group[5:]
            )
            for group in groups
        }

    def _assert_as_rebuilt(self, step):
        incremental = self._frozen_rows(self.alice)
        self.forecast._refresh(self.alice, None, None)
        self.assertEqual(self._frozen_rows(self.alice), incremental, step)

    def test_overlapping_bookings_survive_changes(self):
        """After each change near overlapping bookings, rows equal a rebuild."""
        other = self.env["project.project"].create({"name": "Overlap"})
        long = self.booking(self.alice, 120, d("2030-03-04"), d("2030-04-12"))
        self.booking(
            self.alice, 30, d("2030-03-11"), d("2030-04-05"), project=other
        ).action_confirm()
        self._assert_as_rebuilt("bookings")
        self.env["account.analytic.line"].create(
            {
                "name": "Kick-off",
                "project_id": self.project.id,
                "employee_id": self.alice.id,
                "date": d("2030-03-04"),
                "unit_amount": 3,
            }
        )
        self._assert_as_rebuilt("timesheet before the second booking")
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 4, 8, 0, 0),
                "date_to": datetime(2030, 4, 8, 22, 0),
            }
        )
        self._assert_as_rebuilt("holiday after the second booking")
        self.env["staffing.forecast.rate"].create(
            {"employee_id": self.alice.id, "date_from": d("2030-04-09"), "rate": 70}
        )
        self._assert_as_rebuilt("rate change")
        long.write({"date_end": d("2030-04-19")})
        self._assert_as_rebuilt("longer booking")
        planned = self.sums(
            [("employee_id", "=", self.alice.id), ("line_type", "=", "planned")],
            "planned_hours",
        )
        self.assertEqual(planned["planned_hours"], 150)

    def test_groupings_add_up(self):
        """Every grouping sums to the same totals."""
        self.booking(self.alice, 30, START, END, state="confirmed")
        self.booking(self.xavier, 10, START, END)
        domain = [("date", ">=", START), ("date", "<=", END)]
        total = self.sums(domain, "planned_hours", "capacity_hours")
        for groupby in (
            "date:week",
            "date:month",
            "date:quarter",
            "project_id",
            "partner_id",
            "role_id",
            "employee_id",
            "company_id",
            "is_external",
        ):
            groups = self.forecast._read_group(
                domain, [groupby], ["planned_hours:sum", "capacity_hours:sum"]
            )
            self.assertEqual(sum(g[1] for g in groups), total["planned_hours"], groupby)
            self.assertEqual(
                sum(g[2] for g in groups), total["capacity_hours"], groupby
            )

    def test_horizon_bounds_and_setting(self):
        """Rows stop at the horizon; a horizon of zero months is refused."""
        self.company.forecast_horizon_months = 1
        self.booking(self.bob, 100, START, d("2030-06-30"), state="draft")
        planned_days = self.rows(self.bob, "planned").mapped("date")
        self.assertEqual(max(planned_days), d("2030-03-15"))
        with self.assertRaisesRegex(ValidationError, "at least one month"):
            self.company.forecast_horizon_months = 0
        self.assertEqual(self.company.forecast_horizon_months, 1)

    def test_rebuild_is_exact_and_for_managers(self):
        """A rebuild gives the same figures; only administrators may run it."""
        self.booking(self.alice, 30, START, END, state="confirmed")
        domain = [
            ("employee_id", "=", self.alice.id),
            ("date", ">=", START),
            ("date", "<=", END),
        ]
        measures = ("planned_hours", "capacity_hours", "cost")
        before = self.sums(domain, *measures)
        with self.assertRaises(AccessError):
            self.forecast.with_user(self.planner).action_rebuild_forecast()
        self.forecast.action_rebuild_forecast()
        self.assertEqual(self.sums(domain, *measures), before)
        self.assertEqual(before["planned_hours"], 30)

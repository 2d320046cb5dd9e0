from datetime import timedelta

from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.staffing_forecast_line import PENDING_REFRESH, deferred_refresh
from .common import ForecastCase, d

START, END = d("2030-03-04"), d("2030-03-15")


@tagged("post_install", "-at_install")
class TestBatchedRefresh(ForecastCase):
    def _timesheet_values(self, employee, days):
        return [
            {
                "name": f"Day {day}",
                "project_id": self.project.id,
                "employee_id": employee.id,
                "date": day,
                "unit_amount": 2,
            }
            for day in days
        ]

    def _queries(self, func):
        """Queries of ``func`` and of the forecast refresh it leads to."""
        self.env.flush_all()
        self.forecast.flush_model()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        self.forecast.flush_model()
        return self.env.cr.sql_log_count - before

    def _count_refreshes(self):
        calls = []
        refresh = type(self.forecast)._refresh

        def counting(model, employees, date_from, date_to):
            calls.append(employees.ids)
            return refresh(model, employees, date_from, date_to)

        self.patch(type(self.forecast), "_refresh", counting)
        return calls

    def test_changes_queue_until_read(self):
        """A change only queues its consultant-days; the next read refreshes them."""
        self.forecast.flush_model()
        timesheet_model = self.env["account.analytic.line"]
        timesheet_model.create(self._timesheet_values(self.alice, [START]))
        pending = self.env.cr.precommit.data[PENDING_REFRESH]
        self.assertEqual(pending[self.alice.id], (START, START))
        self.assertEqual(self.rows(self.alice, "actual").actual_hours, 2)
        self.assertNotIn(PENDING_REFRESH, self.env.cr.precommit.data)

    def test_one_refresh_for_many_changes(self):
        """Ten timesheets saved one by one refresh the forecast once."""
        calls = self._count_refreshes()
        timesheet_model = self.env["account.analytic.line"]
        for values in self._timesheet_values(self.alice, self._days(10)):
            timesheet_model.create(values)
        self.assertEqual(calls, [])
        figures = self.sums(
            [("employee_id", "=", self.alice.id), ("line_type", "=", "actual")],
            "actual_hours",
        )
        self.assertEqual(figures["actual_hours"], 20)
        self.assertEqual(calls, [[self.alice.id]])

    def test_commit_hook_refreshes(self):
        """The pre-commit hook applies what no read has flushed yet."""
        self.forecast.flush_model()
        self.env["account.analytic.line"].create(
            self._timesheet_values(self.bob, [START])
        )
        self.env.cr.precommit.run()
        self.env.cr.execute(
            "SELECT SUM(actual_hours) FROM staffing_forecast_line"
            " WHERE employee_id = %s",
            [self.bob.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 2)

    def test_one_by_one_costs_about_one_batch(self):
        """Ten timesheets one by one cost the forecast about what a batch does."""
        timesheets = self.env["account.analytic.line"]

        def batch(employee, first):
            values = self._timesheet_values(employee, self._days(10, first))
            return self._queries(lambda: timesheets.create(values))

        def one_by_one(employee, first):
            values = self._timesheet_values(employee, self._days(10, first))
            return self._queries(lambda: [timesheets.create(v) for v in values])

        def without_forecast(measure, employee, first):
            with deferred_refresh():
                return measure(employee, first)

        batch(self.carol, d("2030-05-06"))  # warm the caches
        batch_cost = batch(self.bob, d("2030-03-04"))
        batch_base = without_forecast(batch, self.bob, d("2030-04-01"))
        single_cost = one_by_one(self.alice, d("2030-03-04"))
        single_base = without_forecast(one_by_one, self.alice, d("2030-04-01"))
        figures = f"one by one {single_cost} - {single_base}, "
        figures += f"batch {batch_cost} - {batch_base}"
        self.assertLessEqual(
            single_cost - single_base, 1.5 * (batch_cost - batch_base) + 5, figures
        )
        self.assertLessEqual(single_cost, 1.5 * batch_cost + 30, figures)

    def test_deferred_refresh_queues_nothing(self):
        """Server code may defer the refresh for a bulk load, then rebuild."""
        self.forecast.flush_model()
        with deferred_refresh():
            self.env["account.analytic.line"].create(
                self._timesheet_values(self.bob, [START])
            )
        self.assertNotIn(PENDING_REFRESH, self.env.cr.precommit.data)
        self.assertFalse(self.rows(self.bob, "actual"))
        self.forecast._refresh_all()
        self.assertEqual(self.rows(self.bob, "actual").actual_hours, 2)

    def _forecast_table(self):
        self.env.flush_all()
        self.forecast.flush_model()
        self.env.cr.execute(
            "SELECT employee_id, allocation_id, line_type, date, capacity_hours,"
            " planned_hours, cost, revenue FROM staffing_forecast_line"
            " WHERE employee_id = ANY(%s)"
            " ORDER BY employee_id, allocation_id, line_type, date",
            [(self.alice | self.bob | self.carol | self.xavier).ids],
        )
        return self.env.cr.fetchall()

    def test_schedule_of_many_refreshed_by_the_job(self):
        """A schedule change queued for many consultants reaches the forecast."""
        self.env["ir.config_parameter"].set_param(
            "resource_sharing.ledger_sync_limit", "2"
        )
        self.booking(self.bob, 40, START, END, state="confirmed")
        admin = new_test_user(self.env, "rs_settings", groups="base.group_system")
        with trap_jobs() as trap:
            self.env["resource.calendar.attendance"].with_user(admin).search(
                [("calendar_id", "=", self.calendar.id), ("dayofweek", "=", "0")]
            ).unlink()
            trap.assert_jobs_count(1)
            self.assertEqual(self.rows(self.bob, "capacity", START).capacity_hours, 8)
            trap.perform_enqueued_jobs()
        self.assertFalse(self.rows(self.bob, "capacity", START))
        self.assertEqual(
            self.rows(self.bob, "planned", d("2030-03-05")).planned_hours, 5
        )
        incremental = self._forecast_table()
        self.forecast._refresh_all()
        self.assertEqual(incremental, self._forecast_table())

    @staticmethod
    def _days(count, first=START):
        """``count`` working days from ``first`` on."""
        days, day = [], first
        while len(days) < count:
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        return days


@tagged("post_install", "-at_install")
class TestCompanyWindows(ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_be = cls.env["res.company"].create(
            {"name": "Staffing Belgium", "forecast_horizon_months": 1}
        )
        calendar_be = cls.env["resource.calendar"].create(
            {
                "name": "Belgium 40h",
                "tz": "Europe/Brussels",
                "company_id": cls.company_be.id,
                "attendance_ids": cls._attendances(range(5)),
            }
        )
        cls.bea = cls.env["hr.employee"].create(
            {
                "name": "Bea Brussels",
                "company_id": cls.company_be.id,
                "resource_calendar_id": calendar_be.id,
                "tz": "Europe/Brussels",
            }
        )

    def _last_day(self, employee):
        return max(self.rows(employee, "capacity").mapped("date"))

    def test_each_consultant_in_their_company_window(self):
        """A mixed batch gives each consultant their own company's horizon."""
        for employees in (self.alice | self.bea, self.bea | self.alice):
            self.forecast._refresh(employees, None, None)
            self.assertEqual(self._last_day(self.bea), d("2030-03-15"))
            self.assertEqual(self._last_day(self.alice), d("2031-08-15"))

    def test_rebuild_leaves_other_companies_alone(self):
        """A rebuild rewrites the current company's rows only."""
        alice_ids = self.rows(self.alice).ids
        bea_ids = self.rows(self.bea).ids
        self.assertTrue(alice_ids and bea_ids)
        self.forecast.with_context(
            allowed_company_ids=self.company.ids
        ).action_rebuild_forecast()
        self.assertEqual(self.rows(self.bea).ids, bea_ids)
        self.assertNotEqual(self.rows(self.alice).ids, alice_ids)
        self.assertEqual(len(self.rows(self.alice)), len(alice_ids))

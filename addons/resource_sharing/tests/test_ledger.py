from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import FRIDAY_NEXT, MONDAY, StaffingCase

TODAY = "2030-02-15"


@tagged("post_install", "-at_install")
class TestLedger(StaffingCase):
    """The ledger kept incrementally equals the ledger rebuilt from scratch."""

    @classmethod
    def setUpClass(cls):
        cls.startClassPatcher(freeze_time(TODAY))
        super().setUpClass()
        cls.ledger = cls.env["staffing.ledger"]
        cls.employees = cls.alice | cls.bob | cls.carol | cls.xavier

    def _rows(self):
        """Both tables of the fixture's consultants, as plain sorted tuples."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT employee_id, date, capacity_hours, confirmed_hours,
                   tentative_hours, company_id
              FROM staffing_ledger
             WHERE employee_id IN %s AND date BETWEEN %s AND %s
          ORDER BY employee_id, date
            """,
            (tuple(self.employees.ids), date(2030, 1, 1), date(2030, 6, 30)),
        )
        days = self.env.cr.fetchall()
        self.env.cr.execute(
            """
            SELECT allocation_id, employee_id, date, hours, is_confirmed
              FROM staffing_ledger_booking
             WHERE employee_id IN %s
          ORDER BY allocation_id, date
            """,
            (tuple(self.employees.ids),),
        )
        return days, self.env.cr.fetchall()

    def assertLedgerExact(self):
        incremental = self._rows()
        with self.env.cr.savepoint() as savepoint:
            self.ledger._rebuild(self.employees)
            rebuilt = self._rows()
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertEqual(incremental[0], rebuilt[0], "per-day totals drifted")
        self.assertEqual(incremental[1], rebuilt[1], "bookings drifted")
        self.assertTrue(incremental[0], "the ledger of the period is empty")

    def _booking(self, employee, hours, start=MONDAY, end=FRIDAY_NEXT):
        return self.env["staffing.allocation"].create(
            {
                "employee_id": employee.id,
                "project_id": self.project.id,
                "date_start": start,
                "date_end": end,
                "allocated_hours": hours,
            }
        )

    def _day(self, employee, day):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT capacity_hours, confirmed_hours, tentative_hours "
            "FROM staffing_ledger WHERE employee_id = %s AND date = %s",
            (employee.id, day),
        )
        return self.env.cr.fetchone() or (0.0, 0.0, 0.0)

    def test_allocation_changes_stay_exact(self):
        """Create, confirm, move, resize, cancel and delete keep the ledger exact."""
        first = self._booking(self.alice, 40)
        self.assertEqual(self._day(self.alice, MONDAY), (8.0, 0.0, 4.0))
        self.assertLedgerExact()
        first.with_user(self.planner).action_confirm()
        self.assertEqual(self._day(self.alice, MONDAY), (8.0, 4.0, 0.0))
        first.write({"date_end": date(2030, 3, 8), "allocated_hours": 20})
        self.assertEqual(self._day(self.alice, date(2030, 3, 11)), (8.0, 0.0, 0.0))
        self.assertLedgerExact()
        second = self._booking(self.alice, 16)
        second.employee_id = self.bob
        self.assertLedgerExact()
        first.with_user(self.planner).action_cancel()
        self.assertEqual(self._day(self.alice, MONDAY), (8.0, 0.0, 0.0))
        second.unlink()
        self.assertEqual(self._day(self.bob, MONDAY), (8.0, 0.0, 0.0))
        self.assertLedgerExact()

    def test_leave_and_holiday_respread_bookings(self):
        """Leave and a public holiday take capacity and move booked hours."""
        booking = self._booking(self.bob, 40)
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Bob off",
                "resource_id": self.bob.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 3, 4, 0, 0),
                "date_to": datetime(2030, 3, 8, 22, 0),
            }
        )
        self.assertEqual(self._day(self.bob, MONDAY), (0.0, 0.0, 0.0))
        self.assertEqual(self._day(self.bob, date(2030, 3, 11)), (8.0, 0.0, 8.0))
        self.assertLedgerExact()
        holiday = self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 3, 12, 0, 0),
                "date_to": datetime(2030, 3, 12, 22, 0),
            }
        )
        self.assertEqual(self._day(self.bob, date(2030, 3, 11)), (8.0, 0.0, 10.0))
        self.assertLedgerExact()
        (leave | holiday).unlink()
        self.assertEqual(self._day(self.bob, MONDAY), (8.0, 0.0, 4.0))
        booking.invalidate_recordset()
        self.assertEqual(booking.hours_per_day, 4.0)
        self.assertLedgerExact()

    def test_calendar_changes_stay_exact(self):
        """A new schedule, or an edited one, rewrites capacity and bookings."""
        self._booking(self.carol, 32)
        with trap_jobs() as trap:
            self.carol.resource_calendar_id = self.calendar_part_time
            trap.assert_jobs_count(0)
        self.assertEqual(self._day(self.carol, date(2030, 3, 8)), (0.0, 0.0, 0.0))
        self.assertEqual(self._day(self.carol, MONDAY), (8.0, 0.0, 4.0))
        self.assertLedgerExact()
        self.calendar_part_time.attendance_ids.filtered(
            lambda a: a.dayofweek == "0"
        ).unlink()
        self.assertEqual(self._day(self.carol, MONDAY), (0.0, 0.0, 0.0))
        capacity, confirmed, tentative = self._day(self.carol, date(2030, 3, 5))
        self.assertEqual((capacity, confirmed), (8.0, 0.0))
        self.assertAlmostEqual(tentative, 32.0 / 6, places=3)
        self.assertLedgerExact()

    def test_calendar_two_weeks_stay_exact(self):
        """Switching the schedule to two alternating weeks, and back by its
        flag alone, moves capacity like its attendances do."""
        self._booking(self.carol, 32)
        self.carol.resource_calendar_id = self.calendar_part_time
        self.calendar_part_time.switch_calendar_type()
        self.assertTrue(self.calendar_part_time.two_weeks_calendar)
        self.assertLedgerExact()
        # the second week emptied: every other Monday has no capacity
        self.calendar_part_time.attendance_ids.filtered(
            lambda a: a.week_type == "1" and a.display_type != "line_section"
        ).unlink()
        self.assertLedgerExact()
        mondays = (MONDAY, date(2030, 3, 11))
        self.assertIn(0.0, [self._day(self.carol, day)[0] for day in mondays])
        # one flag: the first week's attendances now hold every week
        self.calendar_part_time.two_weeks_calendar = False
        self.assertNotIn(0.0, [self._day(self.carol, day)[0] for day in mondays])
        self.assertLedgerExact()

    def _span_end(self, employee):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT staffing_ledger_end FROM hr_employee WHERE id = %s", (employee.id,)
        )
        return self.env.cr.fetchone()[0]

    def test_roll_forward_twice_or_interrupted(self):
        """Queued roll-forward jobs, interrupted or run twice, keep it exact."""
        self._booking(self.alice, 40)
        with freeze_time("2030-04-01"):
            with trap_jobs() as trap:
                queued = self.ledger._cron_roll_forward(batch_size=2)
                trap.assert_jobs_count((queued + 1) // 2)
                with self.env.cr.savepoint() as interrupted:
                    trap.perform_enqueued_jobs()
                    interrupted.rollback()
            self.env.invalidate_all()
            self.assertLedgerExact()
            with trap_jobs() as trap:
                self.ledger._cron_roll_forward(batch_size=2)
                trap.perform_enqueued_jobs()
            window_end = self.ledger._get_window()[1]
            self.assertGreaterEqual(self._span_end(self.alice), window_end)
            with trap_jobs() as trap:
                self.assertEqual(self.ledger._cron_roll_forward(), 0)
                trap.assert_jobs_count(0)
            self.assertLedgerExact()
        self.assertEqual(self._day(self.alice, window_end - timedelta(days=1))[0], 8.0)

    def test_rebuild_runs_in_background_for_managers(self):
        """Only managers rebuild; the rebuild is queued and ends exact."""
        self._booking(self.bob, 24)
        with self.assertRaisesRegex(AccessError, "administrators"):
            self.ledger.with_user(self.planner).action_rebuild()
        manager = self.env.ref("base.user_admin")
        with trap_jobs() as trap:
            action = self.ledger.with_user(manager).action_rebuild(batch_size=3)
            self.assertEqual(action["tag"], "display_notification")
            self.assertGreater(len(trap.enqueued_jobs), 1)
            trap.perform_enqueued_jobs()
        self.assertLedgerExact()

    def test_load_check_counts_every_allocation(self):
        """Three bookings of one consultant are checked together, per day."""
        bookings = [self._booking(self.alice, 32) for _index in range(3)]
        bookings[0].with_user(self.planner).action_confirm()
        bookings[1].with_user(self.planner).action_confirm()
        self.assertTrue(bookings[2].is_overloaded)
        overloaded = self.env["staffing.allocation"].search(
            [("is_overloaded", "=", True)]
        )
        self.assertEqual(set(overloaded.ids), {b.id for b in bookings})

    def test_candidates_queries_do_not_grow(self):
        """Ranking 3 or 12 consultants costs the same number of queries."""
        line = self.line.with_user(self.planner)
        counts = []
        for extra in (0, 9):
            for index in range(extra):
                self._employee(f"Extra {index}", {self.skill_sap: self.level_mid})
            line.get_candidates(limit=20)  # caches of groups, settings, new rows
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            candidates = line.get_candidates(limit=20)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(len(candidates), 12)
        self.assertEqual(counts[0], counts[1])

    def test_earliest_start_beyond_the_first_slice(self):
        """A fit eight weeks out is found, the same as in one pass."""
        booking = self._booking(self.bob, 320, end=date(2030, 4, 26))
        booking.with_user(self.planner).action_confirm()
        until = MONDAY + timedelta(days=365)
        found = self.ledger._get_earliest_start([self.bob.id], 40, 5, MONDAY, until)
        self.assertEqual(found, date(2030, 4, 29))
        whole = self.ledger._get_earliest_start_in(
            [self.bob.id], 40, 5, MONDAY, until, ()
        )
        self.assertEqual(found, whole)

    def test_new_consultant_has_the_window(self):
        """A consultant created today gets the rolling window at once."""
        employee = self._employee("Newcomer", {})
        window = self.ledger._get_window()
        self.assertEqual(
            (
                employee.sudo().staffing_ledger_start,
                employee.sudo().staffing_ledger_end,
            ),
            window,
        )
        self.assertEqual(self._day(employee, date(2030, 2, 18))[0], 8.0)

    # ------------------------------------------------ changes of many consultants

    def _set_sync_limit(self, limit):
        self.env["ir.config_parameter"].set_param(
            "resource_sharing.ledger_sync_limit", str(limit)
        )

    def _pending(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM hr_employee WHERE id IN %s AND staffing_ledger_pending",
            (tuple(self.employees.ids),),
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _drop_mondays(self):
        """A settings administrator takes Monday out of the shared schedule."""
        admin = new_test_user(self.env, "rs_settings", groups="base.group_system")
        mondays = (
            self.env["resource.calendar.attendance"]
            .with_user(admin)
            .search([("calendar_id", "=", self.calendar.id), ("dayofweek", "=", "0")])
        )
        mondays.unlink()

    def test_schedule_of_many_rebuilt_in_background(self):
        """Above the limit a schedule change is queued; the load check is exact."""
        self._set_sync_limit(2)
        booking = self._booking(self.alice, 76)
        with trap_jobs() as trap:
            self._drop_mondays()
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                self.ledger._settle_pending, args=(sorted(self.employees.ids),)
            )
            self.assertEqual(self._pending(), set(self.employees.ids))
            self.assertEqual(self._day(self.bob, MONDAY)[0], 8.0, "rows are stale")
            # 76 h fit in ten days of 8 h, not in the eight days left
            with self.assertRaisesRegex(ValidationError, "over capacity"):
                booking.with_user(self.planner).action_confirm()
            trap.perform_enqueued_jobs()
        self.assertFalse(self._pending())
        self.assertEqual(self._day(self.bob, MONDAY), (0.0, 0.0, 0.0))
        self.assertEqual(self._day(self.alice, date(2030, 3, 5)), (8.0, 0.0, 9.5))
        self.assertLedgerExact()

    def test_load_check_rebuilds_its_pending_consultant(self):
        """A confirmation while the job waits reads its consultant rebuilt."""
        self._set_sync_limit(2)
        booking = self._booking(self.alice, 40)
        with trap_jobs() as trap:
            self._drop_mondays()
            booking.with_user(self.planner).action_confirm()
            self.assertEqual(
                self._pending(), {self.bob.id, self.carol.id, self.xavier.id}
            )
            self.assertEqual(self._day(self.alice, date(2030, 3, 5)), (8.0, 5.0, 0.0))
            trap.perform_enqueued_jobs()
        self.assertLedgerExact()

    def test_mass_edit_of_consultants_rebuilt_in_background(self):
        """HR moving many consultants to a schedule queues their rebuild."""
        self._set_sync_limit(2)
        self._booking(self.carol, 32)
        hr_officer = new_test_user(self.env, "rs_hr", groups="hr.group_hr_user")
        with trap_jobs() as trap:
            self.employees.with_user(hr_officer).write(
                {"resource_calendar_id": self.calendar_part_time.id}
            )
            trap.assert_jobs_count(1)
            self.assertEqual(self._day(self.carol, date(2030, 3, 8))[0], 8.0)
            trap.perform_enqueued_jobs()
        self.assertEqual(self._day(self.carol, date(2030, 3, 8)), (0.0, 0.0, 0.0))
        self.assertEqual(self._day(self.carol, MONDAY), (8.0, 0.0, 4.0))
        self.assertFalse(self._pending())
        self.assertLedgerExact()

    def test_advisory_readers_settle_few_pending(self):
        """Candidates rebuild up to the limit of pending consultants, no more."""
        self._set_sync_limit(2)
        line = self.line.with_user(self.planner)
        with trap_jobs() as trap:
            self._drop_mondays()
            # alice, bob and xavier have the skill: three pending, read as is
            line.get_candidates(limit=10)
            self.assertEqual(len(self._pending()), 4)
            self._set_sync_limit(3)
            candidates = line.get_candidates(limit=10)
            self.assertEqual(self._pending(), {self.carol.id})
            trap.perform_enqueued_jobs()
        # two weeks without their Mondays: 64 h free for everyone
        self.assertEqual({c["available_hours"] for c in candidates}, {64.0})
        self.assertLedgerExact()

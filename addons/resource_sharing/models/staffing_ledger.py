from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.queue_job.delay import group

from ..engine import load

ACTIVE_STATES = ("draft", "to_approve", "confirmed")
EPSILON = 1e-6
ONE_DAY = timedelta(days=1)
# the columns reports read with SQL, for the ``_depends`` of their views
LEDGER_HOURS_FIELDS = (
    "employee_id",
    "date",
    "capacity_hours",
    "confirmed_hours",
    "tentative_hours",
)


class StaffingLedger(models.Model):
    """Capacity and booked hours per consultant and day: the one source.

    Capacity is the consultant's calendar minus leave and public holidays;
    booked hours are the active allocations spread along that capacity
    (``staffing.ledger.booking`` keeps them per allocation), confirmed and
    tentative apart. Candidates, the earliest feasible date, the load check, the
    over-capacity filter and the consultants' load read these rows with SQL.

    Rows are derived data, rewritten set-based in the transaction that changes
    their sources (allocations, calendars, leave, consultants). Each consultant
    has rows for one contiguous span of days (``staffing_ledger_start`` to
    ``staffing_ledger_end`` on the employee): the rolling window, extended on
    demand to the periods of their allocations and of the positions asked about.

    A change that moves many consultants at once (a working schedule shared by
    hundreds, a mass edit of consultants) does not recompute them in the user's
    request: above ``resource_sharing.ledger_sync_limit`` consultants (50) they
    are marked pending and rebuilt by background jobs. Until their job runs,
    the readers rebuild a pending consultant first, so no figure is read from
    rows the change made stale: the load check always (it serializes on the
    consultant anyway), the candidates, the earliest date and the load while
    no more than the limit of them is pending. Above it those advisory figures
    come from the rows as they were, for a few minutes at most, and the
    confirmation that follows checks the load again, exact.
    """

    _name = "staffing.ledger"
    _description = "Staffing Ledger"
    _order = "date, employee_id"
    _log_access = False

    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Consultant",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    date = fields.Date(required=True, index=True, readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", index=True, readonly=True)
    capacity_hours = fields.Float(readonly=True)
    confirmed_hours = fields.Float(readonly=True)
    tentative_hours = fields.Float(readonly=True)

    _sql_constraints = [
        (
            "employee_date_uniq",
            "unique(employee_id, date)",
            "The ledger holds one row per consultant and day.",
        ),
    ]

    def init(self):
        # The over-capacity filter reads only the few overloaded days, through
        # a partial index on the excess of bookings over capacity. The
        # statistics on that excess tell the planner how few they are: without
        # them it guesses a third of the table and probes the ledger once per
        # active allocation instead (linear in the consultants).
        self.env.cr.execute("DROP INDEX IF EXISTS staffing_ledger_overloaded_idx")
        self.env.cr.execute(
            "CREATE STATISTICS IF NOT EXISTS staffing_ledger_excess_stats "
            "ON (confirmed_hours + tentative_hours - capacity_hours) "
            "FROM staffing_ledger"
        )
        # candidates, the earliest date and the load sum the hours of many
        # consultants over a period: with the hours in the index, PostgreSQL
        # answers from the index alone once (auto)vacuum has seen the pages
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS staffing_ledger_employee_date_hours_idx "
            "ON staffing_ledger (employee_id, date) "
            "INCLUDE (capacity_hours, confirmed_hours, tentative_hours)"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS staffing_ledger_excess_idx "
            "ON staffing_ledger (date) "
            "WHERE confirmed_hours + tentative_hours - capacity_hours > 0"
        )

    # ------------------------------------------------------------------ window

    @api.model
    def _get_window(self):
        """Days every consultant has rows for: some history, the horizon ahead."""
        today = fields.Date.context_today(self)
        params = self.env["ir.config_parameter"].sudo()
        history = int(params.get_param("resource_sharing.ledger_history_months", 12))
        horizon = int(params.get_param("resource_sharing.ledger_horizon_months", 18))
        return (
            today.replace(day=1) - relativedelta(months=history),
            today + relativedelta(months=horizon),
        )

    @api.model
    def _ensure_coverage(self, spans):
        """Extend the consultants' spans so that they hold the given days.

        :param spans: {employee_id: (date_from, date_to)}
        """
        spans = {key: span for key, span in spans.items() if key}
        if not spans:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id, staffing_ledger_start, staffing_ledger_end "
                "FROM hr_employee WHERE id IN %s",
                tuple(spans),
            )
        )
        current = self.env.cr.fetchall()
        window = self._get_window()
        gaps = defaultdict(list)
        new_spans = {}
        for employee_id, start, end in current:
            date_from, date_to = spans[employee_id]
            if not start:
                span = (min(date_from, window[0]), max(date_to, window[1]))
                gaps[span].append(employee_id)
            else:
                span = (min(start, date_from), max(end, date_to))
                if span[0] < start:
                    gaps[span[0], start - ONE_DAY].append(employee_id)
                if span[1] > end:
                    gaps[end + ONE_DAY, span[1]].append(employee_id)
            if span != (start, end):
                new_spans[employee_id] = span
        for (date_from, date_to), employee_ids in gaps.items():
            self._write_capacity(employee_ids, date_from, date_to)
        self._store_spans(new_spans)

    def _store_spans(self, spans):
        if not spans:
            return
        ids, starts, ends = zip(
            *((key, start, end) for key, (start, end) in spans.items()), strict=True
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE hr_employee e
                   SET staffing_ledger_start = s.date_from,
                       staffing_ledger_end = s.date_to
                  FROM unnest(%s::int[], %s::date[], %s::date[])
                       AS s(id, date_from, date_to)
                 WHERE e.id = s.id
                """,
                list(ids),
                list(starts),
                list(ends),
            )
        )
        self.env["hr.employee"].invalidate_model(
            ["staffing_ledger_start", "staffing_ledger_end"]
        )

    def _get_spans(self, employee_ids):
        """{employee_id: (start, end)} of the consultants that have rows."""
        if not employee_ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT id, staffing_ledger_start, staffing_ledger_end "
                "FROM hr_employee WHERE id IN %s AND staffing_ledger_start IS NOT NULL",
                tuple(employee_ids),
            )
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------ writing

    def _write_capacity(self, employee_ids, date_from, date_to):
        """Set the capacity of those consultant-days from calendars and leave."""
        employees = self.env["hr.employee"].sudo().browse(employee_ids)
        # sudo: calendars and leave are HR data; the ledger keeps hours only
        capacity = employees._get_staffing_capacity(date_from, date_to)
        rows = [
            (employee_id, day, hours)
            for employee_id, days in capacity.items()
            for day, hours in days.items()
            if hours
        ]
        self.env.cr.execute(
            SQL(
                """
                UPDATE staffing_ledger SET capacity_hours = 0
                 WHERE employee_id IN %s AND date BETWEEN %s AND %s
                   AND capacity_hours != 0
                """,
                tuple(employee_ids),
                date_from,
                date_to,
            )
        )
        if rows:
            ids, days, hours = zip(*rows, strict=True)
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO staffing_ledger (employee_id, date, company_id,
                           capacity_hours, confirmed_hours, tentative_hours)
                    SELECT v.employee_id, v.date, e.company_id, v.hours, 0, 0
                      FROM unnest(%s::int[], %s::date[], %s::float8[])
                           AS v(employee_id, date, hours)
                      JOIN hr_employee e ON e.id = v.employee_id
                        ON CONFLICT (employee_id, date)
                        DO UPDATE SET capacity_hours = EXCLUDED.capacity_hours
                    """,
                    list(ids),
                    list(days),
                    list(hours),
                )
            )
        self._delete_empty_rows(dict.fromkeys(employee_ids, (date_from, date_to)))

    @api.model
    def _refresh_capacity(self, employees, date_from=None, date_to=None):
        """Capacity changed (calendar, leave, holiday): rewrite it, respread work.

        Only days inside each consultant's span are rewritten; None means the
        whole span.
        """
        self.env.flush_all()
        spans = self._get_spans(employees.ids)
        ranges = defaultdict(list)
        for employee_id, (start, end) in spans.items():
            first, last = max(start, date_from or start), min(end, date_to or end)
            if first <= last:
                ranges[first, last].append(employee_id)
        for (first, last), employee_ids in ranges.items():
            self._write_capacity(employee_ids, first, last)
        if spans:
            self._refresh_bookings(
                self._get_active_allocation_ids(list(spans), date_from, date_to)
            )
        self.invalidate_model()

    def _get_active_allocation_ids(self, employee_ids, date_from=None, date_to=None):
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM staffing_allocation
                 WHERE employee_id IN %s AND state IN %s
                   AND date_start <= %s AND date_end >= %s
                """,
                tuple(employee_ids),
                ACTIVE_STATES,
                date_to or fields.Date.to_date("2099-12-31"),
                date_from or fields.Date.to_date("2000-01-01"),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _refresh_bookings(self, allocation_ids):
        """Spread these allocations again (or drop them when no longer active)."""
        if not allocation_ids:
            return
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM staffing_ledger_booking WHERE allocation_id IN %s "
                "RETURNING employee_id, date",
                tuple(allocation_ids),
            )
        )
        touched = {}
        for employee_id, day in cr.fetchall():
            _widen(touched, employee_id, day, day)
        cr.execute(
            SQL(
                """
                SELECT id, employee_id, date_start, date_end, allocated_hours,
                       state = 'confirmed'
                  FROM staffing_allocation
                 WHERE id IN %s AND state IN %s AND date_start <= date_end
                """,
                tuple(allocation_ids),
                ACTIVE_STATES,
            )
        )
        allocations = cr.fetchall()
        needed = {}
        for _id, employee_id, start, end, _hours, _confirmed in allocations:
            _widen(needed, employee_id, start, end)
        self._ensure_coverage(needed)
        capacity = self._read_capacity(needed)
        rows = []
        for allocation_id, employee_id, start, end, hours, confirmed in allocations:
            spread = load.spread_hours(
                hours or 0.0, capacity.get(employee_id, {}), start, end
            )
            rows += [
                (allocation_id, employee_id, day, day_hours, confirmed)
                for day, day_hours in spread.items()
            ]
            _widen(touched, employee_id, start, end)
        if rows:
            columns = list(zip(*rows, strict=True))
            cr.execute(
                SQL(
                    """
                    INSERT INTO staffing_ledger_booking
                           (allocation_id, employee_id, date, hours, is_confirmed)
                    SELECT * FROM unnest(
                           %s::int[], %s::int[], %s::date[], %s::float8[], %s::bool[])
                    """,
                    *(list(column) for column in columns),
                )
            )
        self._sum_bookings(touched)
        self.invalidate_model()
        self.env["staffing.ledger.booking"].invalidate_model()

    def _read_capacity(self, spans):
        """{employee_id: {date: capacity}} on the given days."""
        if not spans:
            return {}
        ids, starts, ends = _span_arrays(spans)
        self.env.cr.execute(
            SQL(
                """
                SELECT l.employee_id, l.date, l.capacity_hours
                  FROM staffing_ledger l
                  JOIN unnest(%s::int[], %s::date[], %s::date[])
                       AS s(employee_id, date_from, date_to)
                    ON s.employee_id = l.employee_id
                   AND l.date BETWEEN s.date_from AND s.date_to
                 WHERE l.capacity_hours > 0
                """,
                ids,
                starts,
                ends,
            )
        )
        result = defaultdict(dict)
        for employee_id, day, hours in self.env.cr.fetchall():
            result[employee_id][day] = hours
        return result

    def _read_bookings(self, allocation_ids):
        """{allocation_id: {date: hours}} of active allocations."""
        if not allocation_ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT allocation_id, date, hours FROM staffing_ledger_booking "
                "WHERE allocation_id IN %s",
                tuple(allocation_ids),
            )
        )
        result = defaultdict(dict)
        for allocation_id, day, hours in self.env.cr.fetchall():
            result[allocation_id][day] = hours
        return result

    def _sum_bookings(self, spans):
        """Rewrite the confirmed and tentative totals of those consultant-days."""
        if not spans:
            return
        ids, starts, ends = _span_arrays(spans)
        self.env.cr.execute(
            SQL(
                """
                UPDATE staffing_ledger l
                   SET confirmed_hours = 0, tentative_hours = 0
                  FROM unnest(%(ids)s::int[], %(starts)s::date[], %(ends)s::date[])
                       AS s(employee_id, date_from, date_to)
                 WHERE s.employee_id = l.employee_id
                   AND l.date BETWEEN s.date_from AND s.date_to
                   AND (l.confirmed_hours != 0 OR l.tentative_hours != 0);

                INSERT INTO staffing_ledger (employee_id, date, company_id,
                       capacity_hours, confirmed_hours, tentative_hours)
                SELECT b.employee_id, b.date, e.company_id, 0,
                       COALESCE(SUM(b.hours) FILTER (WHERE b.is_confirmed), 0),
                       COALESCE(SUM(b.hours) FILTER (WHERE NOT b.is_confirmed), 0)
                  FROM staffing_ledger_booking b
                  JOIN unnest(%(ids)s::int[], %(starts)s::date[], %(ends)s::date[])
                       AS s(employee_id, date_from, date_to)
                    ON s.employee_id = b.employee_id
                   AND b.date BETWEEN s.date_from AND s.date_to
                  JOIN hr_employee e ON e.id = b.employee_id
              GROUP BY b.employee_id, b.date, e.company_id
                    ON CONFLICT (employee_id, date) DO UPDATE
                   SET confirmed_hours = EXCLUDED.confirmed_hours,
                       tentative_hours = EXCLUDED.tentative_hours
                """,
                ids=ids,
                starts=starts,
                ends=ends,
            )
        )
        self._delete_empty_rows(spans)

    def _delete_empty_rows(self, spans):
        ids, starts, ends = _span_arrays(spans)
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM staffing_ledger l
                 USING unnest(%s::int[], %s::date[], %s::date[])
                       AS s(employee_id, date_from, date_to)
                 WHERE s.employee_id = l.employee_id
                   AND l.date BETWEEN s.date_from AND s.date_to
                   AND l.capacity_hours = 0 AND l.confirmed_hours = 0
                   AND l.tentative_hours = 0
                """,
                ids,
                starts,
                ends,
            )
        )

    @api.model
    def _forget_bookings(self, allocations):
        """Before allocations are deleted: the consultant-days they leave."""
        spans = {}
        for allocation in allocations.sudo():
            if allocation.employee_id and allocation.date_start:
                _widen(
                    spans,
                    allocation.employee_id.id,
                    allocation.date_start,
                    allocation.date_end,
                )
        return spans

    @api.model
    def _rebuild(self, employees):
        """Rewrite every row of these consultants from scratch."""
        self.env.flush_all()
        ids = tuple(employees.ids)
        if not ids:
            return
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM staffing_ledger_booking WHERE employee_id IN %(ids)s;
                DELETE FROM staffing_ledger WHERE employee_id IN %(ids)s;
                UPDATE hr_employee
                   SET staffing_ledger_start = NULL, staffing_ledger_end = NULL,
                       staffing_ledger_pending = FALSE
                 WHERE id IN %(ids)s;
                """,
                ids=ids,
            )
        )
        employees.invalidate_recordset(
            ["staffing_ledger_start", "staffing_ledger_end", "staffing_ledger_pending"]
        )
        window = self._get_window()
        self._ensure_coverage(dict.fromkeys(ids, window))
        self._refresh_bookings(self._get_active_allocation_ids(list(ids)))

    # ------------------------------------------------------ large changes

    @api.model
    def _get_sync_limit(self):
        """Most consultants one change recomputes inside the user's transaction."""
        params = self.env["ir.config_parameter"].sudo()
        return int(params.get_param("resource_sharing.ledger_sync_limit", 50))

    @api.model
    def _refresh_consultants(self, employees, rebuild=False):
        """The calendar, time zone or company of these consultants changed.

        Up to the sync limit, their rows are rewritten now (``_rebuild`` when
        the company moved, else their capacity over their whole span); above
        it, they are marked pending and rebuilt by background jobs.

        :return: True when done now, False when left to the jobs
        """
        if len(employees) <= self._get_sync_limit():
            if rebuild:
                self._rebuild(employees)
            else:
                self._refresh_capacity(employees)
            return True
        self._queue_pending(employees.ids)
        return False

    @api.model
    def _queue_pending(self, employee_ids, batch_size=200):
        """Mark the consultants pending and queue one rebuild job per batch."""
        ids = sorted(set(employee_ids))
        self.env.cr.execute(
            SQL(
                "UPDATE hr_employee SET staffing_ledger_pending = TRUE "
                "WHERE id = ANY(%s)",
                ids,
            )
        )
        self.env["hr.employee"].invalidate_model(["staffing_ledger_pending"])
        for job in self._get_batch_jobs(
            ids,
            batch_size,
            "_settle_pending",
            lambda count: self.env._(
                "Recompute the staffing ledger of %(count)s consultants "
                "after a change of their working schedule",
                count=count,
            ),
        ):
            job.delay()

    def _get_batch_jobs(self, ids, batch_size, method, describe):
        """One delayable call of ``method`` per batch of consultant ids."""
        return [
            getattr(self.delayable(description=describe(len(batch))), method)(batch)
            for batch in (
                ids[index : index + batch_size]
                for index in range(0, len(ids), batch_size)
            )
        ]

    @api.model
    def _settle_pending(self, employee_ids, limit=None):
        """Rebuild those of the consultants whose rows wait for a job.

        A background job calls it for its batch; readers call it first for the
        consultants they read. Running twice, or after a reader, does nothing
        more: the flag is cleared, and the row locked, by the same statement.

        :param limit: leave the rows as they are when more consultants than
            this are pending (advisory readers); None rebuilds them all
        :return: whether none of them is pending any more
        """
        if not employee_ids:
            return True
        self.env.cr.execute(
            SQL(
                "SELECT id FROM hr_employee WHERE id = ANY(%s) "
                "AND staffing_ledger_pending",
                list(employee_ids),
            )
        )
        pending = [row[0] for row in self.env.cr.fetchall()]
        if not pending:
            return True
        if limit is not None and len(pending) > limit:
            return False
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE hr_employee SET staffing_ledger_pending = FALSE "
                "WHERE id = ANY(%s) AND staffing_ledger_pending RETURNING id",
                pending,
            )
        )
        settled = self.env["hr.employee"].browse(
            sorted(row[0] for row in self.env.cr.fetchall())
        )
        self.env["hr.employee"].invalidate_model(["staffing_ledger_pending"])
        if settled:
            self._rebuild(settled)
            self._on_settled(settled)
        return True

    def _on_settled(self, employees):
        """Hook: the rows of these pending consultants are exact again."""

    # ---------------------------------------------------------------- schedule

    @api.model
    def _cron_roll_forward(self, batch_size=500):
        """Daily: queue the consultants whose rows end before the window does.

        One background job per batch (OCA queue_job), so that thousands of
        consultants never run inside one request. Each job only adds the days a
        consultant's span lacks, in its own transaction: running twice, or after
        an interrupted job, leaves the ledger exact.

        :return: the number of consultants queued
        """
        window = self._get_window()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM hr_employee
                 WHERE active AND (staffing_ledger_end IS NULL
                                   OR staffing_ledger_end < %s)
                 ORDER BY id
                """,
                window[1],
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        for job in self._get_batch_jobs(
            ids,
            batch_size,
            "_roll_forward",
            lambda count: self.env._(
                "Roll the staffing ledger forward for %(count)s consultants",
                count=count,
            ),
        ):
            job.delay()
        return len(ids)

    @api.model
    def _roll_forward(self, employee_ids):
        """Extend these consultants' rows to the end of today's window."""
        end = self._get_window()[1]
        self._ensure_coverage(dict.fromkeys(employee_ids, (end, end)))

    @api.model
    def action_rebuild(self, batch_size=200):
        """Administrators: rebuild every consultant's rows in the background."""
        if not self.env.user.has_group("resource_sharing.group_manager"):
            raise AccessError(
                self.env._("Only staffing administrators can rebuild the ledger.")
            )
        # sudo: the ledger covers every consultant, readable or not
        employees = self.env["hr.employee"].sudo().with_context(active_test=False)
        ids = employees.search([], order="id").ids
        jobs = self._get_batch_jobs(
            ids,
            batch_size,
            "_rebuild_ids",
            lambda count: self.env._(
                "Rebuild the staffing ledger of %(count)s consultants", count=count
            ),
        )
        done = self.delayable()._notify_rebuilt(self.env.uid, len(ids))
        group(*jobs).on_done(done).delay()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The ledger of %(count)s consultants is being rebuilt in "
                    "%(jobs)s background jobs; you will be told when it is done.",
                    count=len(ids),
                    jobs=len(jobs),
                ),
            },
        }

    @api.model
    def _rebuild_ids(self, employee_ids):
        self._rebuild(self.env["hr.employee"].browse(employee_ids))

    @api.model
    def _notify_rebuilt(self, user_id, count):
        user = self.env["res.users"].browse(user_id)
        user._bus_send(
            "simple_notification",
            {
                "type": "success",
                "message": self.env._(
                    "The staffing ledger of %(count)s consultants is rebuilt.",
                    count=count,
                ),
            },
        )

    # ----------------------------------------------------------------- reading

    @api.model
    def _get_period_totals(self, employee_ids, date_from, date_to, exclude=()):
        """Capacity, confirmed and free hours per consultant over a period.

        Free hours count an overbooked day as 0, not less. Confirmed hours of the
        ``exclude`` allocations (a position's own bookings) are left out.

        :return: {employee_id: (capacity, confirmed, free)}
        """
        if not employee_ids:
            return {}
        self._settle_pending(employee_ids, limit=self._get_sync_limit())
        self._ensure_coverage(dict.fromkeys(employee_ids, (date_from, date_to)))
        self.env.cr.execute(
            SQL(
                """
                SELECT l.employee_id, SUM(l.capacity_hours),
                       SUM(l.confirmed_hours - COALESCE(o.hours, 0)),
                       SUM(GREATEST(l.capacity_hours - l.confirmed_hours
                                    + COALESCE(o.hours, 0), 0))
                  FROM staffing_ledger l
             LEFT JOIN (SELECT employee_id, date, SUM(hours) AS hours
                          FROM staffing_ledger_booking
                         WHERE allocation_id = ANY(%(exclude)s) AND is_confirmed
                      GROUP BY employee_id, date) o
                    ON o.employee_id = l.employee_id AND o.date = l.date
                 WHERE l.employee_id = ANY(%(ids)s)
                   AND l.date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY l.employee_id
                """,
                exclude=list(exclude),
                ids=list(employee_ids),
                date_from=date_from,
                date_to=date_to,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _get_earliest_start(
        self, employee_ids, hours, window_days, search_from, search_until, exclude=()
    ):
        """First day from which one of the consultants has ``hours`` free.

        The ``window_days`` from that day must lie before ``search_until`` plus
        the window; free hours of a day never count below 0. The horizon is
        searched in slices that double in length, so that a fit found early
        reads only the first weeks of the ledger.
        """
        self._settle_pending(employee_ids, limit=self._get_sync_limit())
        slice_days = 30
        while search_from <= search_until:
            slice_until = min(search_until, search_from + timedelta(slice_days - 1))
            found = self._get_earliest_start_in(
                employee_ids, hours, window_days, search_from, slice_until, exclude
            )
            if found:
                return found
            search_from = slice_until + timedelta(days=1)
            slice_days *= 2
        return None

    def _get_earliest_start_in(
        self, employee_ids, hours, window_days, search_from, search_until, exclude
    ):
        last_day = search_until + timedelta(days=window_days - 1)
        self._ensure_coverage(dict.fromkeys(employee_ids, (search_from, last_day)))
        # The free hours of a window only grow when its last day reaches a
        # ledger row r, so the first fit starts on ``search_from`` or on some
        # r - (window - 1): only those starts are tried.
        self.env.cr.execute(
            SQL(
                """
                WITH free AS (
                    SELECT l.employee_id, l.date,
                           GREATEST(l.capacity_hours - l.confirmed_hours
                                    + COALESCE(o.hours, 0), 0) AS hours
                      FROM staffing_ledger l
                 LEFT JOIN (SELECT employee_id, date, SUM(hours) AS hours
                              FROM staffing_ledger_booking
                             WHERE allocation_id = ANY(%(exclude)s) AND is_confirmed
                          GROUP BY employee_id, date) o
                        ON o.employee_id = l.employee_id AND o.date = l.date
                     WHERE l.employee_id = ANY(%(ids)s)
                       AND l.date BETWEEN %(search_from)s AND %(last_day)s
                ), starts AS (
                    SELECT date - %(back)s AS day,
                           SUM(hours) OVER (PARTITION BY employee_id ORDER BY date
                                            RANGE BETWEEN %(preceding)s PRECEDING
                                            AND CURRENT ROW) AS free
                      FROM free
                     UNION ALL
                    SELECT %(search_from)s, SUM(hours)
                      FROM free
                     WHERE date <= %(first_end)s
                  GROUP BY employee_id
                )
                SELECT MIN(day) FROM starts
                 WHERE free >= %(hours)s
                   AND day BETWEEN %(search_from)s AND %(search_until)s
                """,
                exclude=list(exclude),
                ids=list(employee_ids),
                search_from=search_from,
                last_day=last_day,
                back=window_days - 1,
                preceding=timedelta(days=window_days - 1),
                first_end=search_from + timedelta(days=window_days - 1),
                hours=hours - EPSILON,
                search_until=search_until,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _get_overloaded_days(self, employee_ids, date_from, date_to, states):
        """Days whose booked hours pass capacity, per consultant.

        :param states: ``("confirmed",)`` or every active state
        :return: {employee_id: [(date, booked, capacity)]}
        """
        self._settle_pending(employee_ids, limit=self._get_sync_limit())
        booked = (
            SQL("l.confirmed_hours")
            if tuple(states) == ("confirmed",)
            else SQL("l.confirmed_hours + l.tentative_hours")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT l.employee_id, l.date, %(booked)s, l.capacity_hours
                  FROM staffing_ledger l
                 WHERE l.employee_id = ANY(%(ids)s)
                   AND l.date BETWEEN %(date_from)s AND %(date_to)s
                   AND %(booked)s > l.capacity_hours + %(epsilon)s
              ORDER BY l.employee_id, l.date
                """,
                booked=booked,
                ids=list(employee_ids),
                date_from=date_from,
                date_to=date_to,
                epsilon=EPSILON,
            )
        )
        result = defaultdict(list)
        for employee_id, day, hours, capacity in self.env.cr.fetchall():
            result[employee_id].append((day, hours, capacity))
        return result

    @api.model
    def _get_confirmed_spans(self, ranges):
        """The consultant-days of ``ranges`` that hold confirmed allocations.

        :param ranges: [(employees, first day, last day)]
        :return: {employee_id: (first day, last day)}, only consultants with a
            confirmed allocation overlapping their days
        """
        spans = {}
        for employees, date_from, date_to in ranges:
            for employee_id in employees.ids:
                _widen(spans, employee_id, date_from, date_to)
        if not spans:
            return {}
        self.env.flush_all()
        ids, starts, ends = _span_arrays(spans)
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT a.employee_id
                  FROM staffing_allocation a
                  JOIN unnest(%s::int[], %s::date[], %s::date[])
                       AS s(employee_id, date_from, date_to)
                    ON s.employee_id = a.employee_id
                   AND a.date_start <= s.date_to AND a.date_end >= s.date_from
                 WHERE a.state = 'confirmed'
                """,
                ids,
                starts,
                ends,
            )
        )
        return {row[0]: spans[row[0]] for row in self.env.cr.fetchall()}

    @api.model
    def _read_confirmed_days(self, spans):
        """Capacity and confirmed bookings of those consultant-days.

        :return: {(employee_id, date): (capacity, {allocation_id: hours})}
        """
        if not spans:
            return {}
        self.env.flush_all()
        ids, starts, ends = _span_arrays(spans)
        self.env.cr.execute(
            SQL(
                """
                SELECT l.employee_id, l.date, l.capacity_hours,
                       b.allocation_id, b.hours
                  FROM staffing_ledger l
                  JOIN unnest(%s::int[], %s::date[], %s::date[])
                       AS s(employee_id, date_from, date_to)
                    ON s.employee_id = l.employee_id
                   AND l.date BETWEEN s.date_from AND s.date_to
             LEFT JOIN staffing_ledger_booking b
                    ON b.employee_id = l.employee_id AND b.date = l.date
                   AND b.is_confirmed
                """,
                ids,
                starts,
                ends,
            )
        )
        result = {}
        for employee_id, day, capacity, allocation_id, hours in self.env.cr.fetchall():
            bookings = result.setdefault((employee_id, day), (capacity, {}))[1]
            if allocation_id:
                bookings[allocation_id] = hours
        return result


def _widen(spans, key, date_from, date_to):
    """Grow ``spans[key]`` so that it holds ``date_from`` to ``date_to``."""
    old = spans.get(key)
    spans[key] = (
        (min(old[0], date_from), max(old[1], date_to)) if old else (date_from, date_to)
    )


def _span_arrays(spans):
    ids, starts, ends = [], [], []
    for key, (date_from, date_to) in spans.items():
        ids.append(key)
        starts.append(date_from)
        ends.append(date_to)
    return ids, starts, ends

import csv
import io
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..engine import rows as forecast_rows

FINANCE = "resource_forecast.group_finance"
# key of the consultant-days waiting for a refresh in ``cr.precommit.data``
PENDING_REFRESH = "resource_forecast.pending_refresh"
_REFRESH_DEFERRED = ContextVar("forecast_refresh_deferred", default=False)


@contextmanager
def deferred_refresh():
    """Skip the forecast's incremental refresh inside the block.

    For bulk loads by server code that rebuild the forecast afterwards (the
    benchmark's generator). A ContextVar and not a context key, so that no RPC
    caller can leave the forecast stale.
    """
    token = _REFRESH_DEFERRED.set(True)
    try:
        yield
    finally:
        _REFRESH_DEFERRED.reset(token)


def refresh_deferred():
    return _REFRESH_DEFERRED.get()


ACTIVE_STATES = ("draft", "to_approve", "confirmed")
# columns the per-consultant reports (bench, utilization) sum, for their _depends
CONSULTANT_HOURS_FIELDS = (
    "employee_id",
    "company_id",
    "line_type",
    "is_external",
    "date",
    "capacity_hours",
    "planned_confirmed_hours",
    "planned_tentative_hours",
)
# columns written by the refresh, in insert order
COLUMNS = (
    "employee_id",
    "project_id",
    "partner_id",
    "role_id",
    "allocation_id",
    "company_id",
    "lending_company_id",
    "borrowing_company_id",
    "is_external",
    "date",
    "line_type",
    "state",
    "capacity_hours",
    "planned_hours",
    "planned_confirmed_hours",
    "planned_tentative_hours",
    "lent_hours",
    "actual_hours",
    "logged_variance_hours",
    "cost",
    "revenue",
    "margin",
    "actual_cost",
    "actual_revenue",
)


def _csv_value(value):
    """COPY's CSV: an empty field is NULL, booleans are t/f."""
    if isinstance(value, bool):
        return "t" if value else "f"
    return "" if value is None else value


def _sort_groups(model, groups, specs):
    """Order ``read_group`` results by label: many2one groups by their name.

    Other group values keep the order SQL gave them (dates, selections); empty
    groups come last, as in SQL.
    """
    ranks = []
    for spec in specs:
        field = model._fields.get(spec.split(":")[0])
        if field is not None and field.type == "many2one":
            ranks.append(
                lambda group, spec=spec: (
                    (group[spec][1] or "").casefold() if group[spec] else "\uffff"
                )
            )
        else:
            positions = {}
            for group in groups:
                positions.setdefault(repr(group[spec]), len(positions))
            ranks.append(
                lambda group, spec=spec, positions=positions: positions[
                    repr(group[spec])
                ]
            )
    return sorted(groups, key=lambda group: tuple(rank(group) for rank in ranks))


class StaffingForecastLine(models.Model):
    """Man-hours per consultant and day: capacity rows, and per project the plan
    and the actuals.

    Rows are derived data: the refresh methods below rewrite them in bulk for
    the consultant-days a change touches, inside the same transaction.
    """

    _name = "staffing.forecast.line"
    _description = "Man-Hour Forecast Line"
    _order = "date, employee_id"
    _rec_name = "employee_id"

    date = fields.Date(required=True, index=True, readonly=True)
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        string="Consultant",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    project_id = fields.Many2one(
        comodel_name="project.project",
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    role_id = fields.Many2one(
        comodel_name="staffing.role",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    allocation_id = fields.Many2one(
        comodel_name="staffing.allocation",
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    lending_company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index="btree_not_null",
        help="On planned hours of a consultant lent by a sister company: that company.",
    )
    borrowing_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Lent To",
        readonly=True,
        index="btree_not_null",
        help="On hours lent out: the company the consultant works for.",
    )
    is_external = fields.Boolean(string="External", readonly=True)
    line_type = fields.Selection(
        selection=[
            ("capacity", "Capacity"),
            ("planned", "Planned"),
            ("lent", "Lent Out"),
            ("actual", "Actual"),
        ],
        string="Type",
        required=True,
        index=True,
        readonly=True,
    )
    state = fields.Selection(
        selection=[("confirmed", "Confirmed"), ("tentative", "Tentative")],
        string="Plan Status",
        readonly=True,
        help="For planned hours: confirmed or tentative allocations.",
    )
    capacity_hours = fields.Float(readonly=True)
    planned_hours = fields.Float(readonly=True)
    planned_confirmed_hours = fields.Float(string="Planned Confirmed", readonly=True)
    planned_tentative_hours = fields.Float(string="Planned Tentative", readonly=True)
    lent_hours = fields.Float(
        string="Lent Out",
        readonly=True,
        help="Hours of the company's consultants planned for a sister company.",
    )
    actual_hours = fields.Float(readonly=True)
    logged_variance_hours = fields.Float(
        string="Logged vs Planned",
        readonly=True,
        help="Hours logged minus confirmed hours planned: below zero, hours "
        "planned that nobody logged (yet).",
    )
    cost = fields.Monetary(
        readonly=True,
        groups=FINANCE,
        help="Cost of planned hours (at the intercompany rate for a borrowed "
        "consultant); of hours lent out, the consultant's internal cost.",
    )
    revenue = fields.Monetary(
        readonly=True,
        groups=FINANCE,
        help="Revenue of planned hours; of hours lent out, the intercompany revenue.",
    )
    margin = fields.Monetary(readonly=True, groups=FINANCE)
    actual_cost = fields.Monetary(readonly=True, groups=FINANCE)
    actual_revenue = fields.Monetary(readonly=True, groups=FINANCE)

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS staffing_forecast_line_employee_date_idx "
                "ON staffing_forecast_line (employee_id, date)"
            )
        )

    # ----------------------------------------------------------------- reading

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Groups in the order of their labels, sorted here rather than in SQL.

        Without an explicit ``orderby``, Odoo orders many2one groups by the
        comodel's ``_order`` (a project's sequence and name), which joins that
        table to every forecast row and adds its columns to the GROUP BY: twice
        the time of the aggregate itself on a year of rows. The pivot and graph
        ask for no order, so the groups are summed on the raw ids
        (``_read_group_orderby``) and the few resulting groups sorted by label.
        """
        if orderby:
            return super().read_group(
                domain, fields, groupby, offset, limit, orderby, lazy
            )
        groups = super(
            StaffingForecastLine, self.with_context(forecast_group_by_id=True)
        ).read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        specs = [groupby] if isinstance(groupby, str) else list(groupby)
        return _sort_groups(self, groups, specs if not lazy else specs[:1])

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        if self.env.context.get("forecast_group_by_id") and order == ",".join(
            groupby_terms
        ):
            order = ""  # the raw group-by values: no join for many2one groups
        return super()._read_group_orderby(order, groupby_terms, query)

    # ------------------------------------------------------------------ window

    @api.model
    def _get_window(self, company=None):
        """The days the forecast keeps for a company: history and horizon."""
        company = company or self.env.company
        today = fields.Date.context_today(self)
        start = today.replace(day=1) - relativedelta(
            months=company.forecast_history_months
        )
        end = today + relativedelta(months=company.forecast_horizon_months)
        return start, end

    # ----------------------------------------------------------------- refresh

    @api.model
    def _refresh(self, employees, date_from, date_to):
        """Rewrite the lines of ``employees`` between two dates (None: window).

        Each consultant's days are bounded by the window of their own company.
        Capacity and actual rows are rewritten on those days. A booking that
        overlaps them is spread again over its whole period, since a change of
        capacity on one day moves its hours between all of its days; bookings
        that do not overlap them cannot change and are left alone.

        :return: number of rows deleted plus rows inserted
        """
        if refresh_deferred():
            return 0
        # sudo: the forecast is derived data that every change must keep exact
        employees = employees.sudo().filtered("id").exists()
        if not employees:
            return 0
        self.env.flush_all()
        employees -= self._get_ledger_pending(employees)
        if not employees:
            return 0
        return sum(
            self._refresh_company(company_employees, date_from, date_to)
            for company_employees in employees.grouped("company_id").values()
        )

    def _get_ledger_pending(self, employees):
        """Consultants whose ledger waits for a background rebuild.

        Their forecast is refreshed when that rebuild settles them
        (``staffing.ledger._on_settled``), not from their stale capacity now.
        """
        self.env.cr.execute(
            SQL(
                "SELECT id FROM hr_employee WHERE id = ANY(%s) "
                "AND staffing_ledger_pending",
                employees.ids,
            )
        )
        return employees.browse([row[0] for row in self.env.cr.fetchall()])

    def _refresh_company(self, employees, date_from, date_to):
        """Rewrite the lines of consultants of one company, in its window."""
        window = self._get_window(employees.company_id)
        days = (
            max(date_from or window[0], window[0]),
            min(date_to or window[1], window[1]),
        )
        if days[1] < days[0]:
            return 0
        bookings = self._get_bookings(employees, *days)
        touched = self._delete_rows(employees, days, bookings)
        rows = self._compute_rows(employees, bookings, days, window)
        self._insert_rows(rows)
        return touched + len(rows)

    @api.model
    def _refresh_all(self, companies=None, batch_size=50):
        """Rebuild the whole window of every consultant (of ``companies``).

        With ``companies``, the consultants they borrow from sister companies
        are rebuilt too: their planned hours are rows of the borrowing company.
        """
        employees = self.env["hr.employee"].sudo().with_context(active_test=False)
        if companies:
            borrowed = (
                self.env["staffing.allocation"]
                .sudo()
                ._search(
                    [
                        ("company_id", "in", companies.ids),
                        ("lending_company_id", "!=", False),
                    ]
                )
            )
            employees = employees.search(
                [
                    "|",
                    ("company_id", "in", companies.ids),
                    ("staffing_allocation_ids", "any", [("id", "in", borrowed)]),
                ],
                order="company_id, id",
            )
        else:
            employees = employees.search([], order="company_id, id")
        total = 0
        for index in range(0, len(employees), batch_size):
            total += self._refresh(employees[index : index + batch_size], None, None)
        return total

    def action_rebuild_forecast(self):
        """Manager button: rebuild the lines of the current companies.

        Only the rows the companies own are dropped first; every other
        company's rows stay, and those of shared consultants are rewritten
        identically.
        """
        if not self.env.user.has_group("resource_sharing.group_manager"):
            raise AccessError(
                self.env._("Only staffing administrators can rebuild the forecast.")
            )
        companies = self.env.companies
        self.env.cr.execute(
            SQL(
                "DELETE FROM staffing_forecast_line WHERE company_id = ANY(%s)",
                companies.ids,
            )
        )
        count = self._refresh_all(companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Forecast rebuilt: %(count)s lines.", count=count
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _get_bookings(self, employees, date_from, date_to):
        return (
            self.env["staffing.allocation"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("state", "in", ACTIVE_STATES),
                    ("date_start", "<=", date_to),
                    ("date_end", ">=", date_from),
                ]
            )
        )

    def _delete_rows(self, employees, days, bookings):
        """Drop the rows of those days, and every row of the bookings."""
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM staffing_forecast_line
                 WHERE employee_id IN %s
                   AND (date BETWEEN %s AND %s OR allocation_id = ANY(%s))
                """,
                tuple(employees.ids),
                days[0],
                days[1],
                bookings.ids,
            )
        )
        return self.env.cr.rowcount

    def _compute_rows(self, employees, bookings, days, window):
        """Capacity and actual rows of ``days``; booking rows in the window.

        Capacity and the hours of each booking per day come from the staffing
        ledger, the one place they are computed; the forecast adds money and
        actuals.
        """
        ledger = self.env["staffing.ledger"]
        spans = dict.fromkeys(employees.ids, days)
        ledger._ensure_coverage(spans)
        capacity = ledger._read_capacity(spans)
        booked = ledger._read_bookings(bookings.ids)
        loans = bookings.filtered("lending_company_id")
        schedules = loans._get_cost_rate_schedules() if loans else {}
        rows = []
        for employee in employees:
            rows += forecast_rows.capacity_rows(
                employee.id, capacity.get(employee.id, {})
            )
        for allocation in bookings:
            booking = self._prepare_booking(
                allocation, booked.get(allocation.id, {}), schedules
            )
            rows += forecast_rows.planned_rows(booking, *window)
            rows += forecast_rows.lent_rows(booking, *window)
        rows += forecast_rows.actual_rows(
            self._get_timesheet_facts(employees, *days, bookings)
        )
        by_id = {employee.id: employee for employee in employees}
        for row in rows:
            employee = by_id[row["employee_id"]]
            # capacity: the consultant's company; plan: the allocation's
            if not row.get("company_id"):
                row["company_id"] = employee.company_id.id
            row["is_external"] = employee.is_external
        return rows

    def _prepare_booking(self, allocation, hours, schedules=None):
        """The booking's hours per day, at the rates stored on the allocation.

        The allocation's ``cost_rate`` and ``sold_rate`` are the one source of
        the money of planned hours: what the planner sees on the allocation is
        what finance reads in the forecast. For a consultant lent by a sister
        company the cost rate is the intercompany rate; the lender's rows cost
        the consultant's internal rate valid at the start (``schedules``).
        """
        lender = allocation.lending_company_id
        internal_cost = 0.0
        if lender and schedules and allocation.employee_id.id in schedules:
            internal_cost = schedules[allocation.employee_id.id].rate_on(
                allocation.date_start
            )
        return forecast_rows.Booking(
            employee_key=allocation.employee_id.id,
            project_key=allocation.project_id.id,
            partner_key=allocation.partner_id.id or None,
            role_key=allocation.role_id.id or None,
            confirmed=allocation.state == "confirmed",
            cost_rate=allocation.cost_rate,
            sold_rate=allocation.sold_rate,
            hours_by_day=hours,
            allocation_key=allocation.id,
            company_key=allocation.company_id.id,
            lending_company_key=lender.id or None,
            internal_cost_rate=internal_cost,
        )

    def _get_timesheet_facts(self, employees, date_from, date_to, bookings):
        """Logged hours and their cost per consultant, project and day.

        The cost is the timesheets' own ``amount`` (negative for a cost), the
        figure accounting books; role, sold rate and company come from the
        booking that covers the day (else the project's company). Hours of a
        consultant lent by a sister company cost the intercompany rate.
        """
        self.env.cr.execute(
            SQL(
                """
                SELECT aal.employee_id, aal.project_id, project.partner_id,
                       project.company_id, aal.date, SUM(aal.unit_amount),
                       -SUM(aal.amount)
                  FROM account_analytic_line aal
                  JOIN project_project project ON project.id = aal.project_id
                 WHERE aal.employee_id IN %s
                   AND aal.date BETWEEN %s AND %s
              GROUP BY aal.employee_id, aal.project_id, project.partner_id,
                       project.company_id, aal.date
                """,
                tuple(employees.ids),
                date_from,
                date_to,
            )
        )
        by_pair = defaultdict(list)
        for allocation in bookings:
            by_pair[allocation.employee_id.id, allocation.project_id.id].append(
                allocation
            )
        facts = []
        for (
            employee_id,
            project_id,
            partner_id,
            project_company_id,
            day,
            hours,
            cost,
        ) in self.env.cr.fetchall():
            # the project's company, else (a shared project) the consultant's
            role_id, sold_rate, company_id = None, 0.0, project_company_id
            for allocation in by_pair.get((employee_id, project_id), ()):
                if allocation.date_start <= day <= allocation.date_end:
                    role_id = allocation.role_id.id or None
                    sold_rate = allocation.sold_rate
                    company_id = allocation.company_id.id
                    if allocation.lending_company_id:
                        # the borrower pays the intercompany rate, not the
                        # lender's internal cost the timesheet carries
                        cost = hours * allocation.cost_rate
                    break
            facts.append(
                (
                    employee_id,
                    project_id,
                    partner_id,
                    role_id,
                    day,
                    hours,
                    cost,
                    sold_rate,
                    company_id,
                )
            )
        return facts

    def _insert_rows(self, rows):
        """Write rows with COPY: the table is derived data, written in bulk."""
        if not rows:
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([_csv_value(row.get(column)) for column in COLUMNS])
        buffer.seek(0)
        query = SQL(
            "COPY %s (%s) FROM STDIN WITH (FORMAT csv)",
            SQL.identifier(self._table),
            SQL(", ").join(SQL.identifier(column) for column in COLUMNS),
        )
        # COPY streams through the underlying psycopg2 cursor; no parameters
        self.env.cr._obj.copy_expert(query.code, buffer)
        self.invalidate_model()

    # --------------------------------------------------------- batched refresh

    @api.model
    def _queue_refresh(self, employees, date_from=None, date_to=None):
        """Refresh the consultants' days once, before the next read or commit.

        Changes only collect the consultant-days they touch, merged per
        consultant, in the transaction's pre-commit data; one refresh then
        rewrites them all, so ten timesheets saved one by one cost about what
        one batch of ten costs. Reads of the forecast flush it first
        (``flush_model``), so figures read in the same transaction are exact.
        """
        if refresh_deferred():
            return
        ids = [employee_id for employee_id in employees.ids if employee_id]
        if not ids:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(PENDING_REFRESH)
        if pending is None:
            pending = precommit.data[PENDING_REFRESH] = {}
            precommit.add(self._flush_pending_refresh)
        low, high = date_from or date.min, date_to or date.max
        for employee_id in ids:
            old = pending.get(employee_id)
            pending[employee_id] = (
                (min(old[0], low), max(old[1], high)) if old else (low, high)
            )

    @api.model
    def _queue_refresh_ranges(self, ranges):
        """Queue a list of (employees, date_from, date_to)."""
        for employees, date_from, date_to in ranges:
            self._queue_refresh(employees, date_from, date_to)

    @api.model
    def _flush_pending_refresh(self):
        """Run the queued refresh: one per distinct period.

        :return: number of rows deleted plus rows inserted
        """
        pending = self.env.cr.precommit.data.pop(PENDING_REFRESH, None)
        if not pending:
            return 0
        by_period = defaultdict(list)
        for employee_id, period in pending.items():
            by_period[period].append(employee_id)
        employees = self.env["hr.employee"]
        touched = sum(
            self._refresh(employees.browse(employee_ids), *period)
            for period, employee_ids in by_period.items()
        )
        # after the main flush of a commit: flush what the refresh computed
        self.env.flush_all()
        return touched

    def flush_model(self, fnames=None):
        """Apply the queued refresh before any query reads the forecast."""
        self._flush_pending_refresh()
        return super().flush_model(fnames)

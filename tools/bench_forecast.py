#!/usr/bin/env python3
"""Scale benchmark of the man-hour forecast of ``resource_forecast``.

A measurement, not a test: it installs ``resource_forecast`` once into a template
database, copies it for every scale, fills each copy with generated consultants,
projects, allocations, timesheets, leaves and cost rates, then times

* the full build (``_refresh_all`` on an empty forecast) against its SQL
  reference: one ``INSERT ... SELECT`` of the same rows into the forecast table
  itself, with its indexes and foreign keys (the target), and, for information,
  into a bare temporary table (the floor of writing that many rows at all);
* the same rows created one at a time through the ORM (smallest scale only);
* three incremental changes with the refresh hooks on: an allocation's hours,
  a timesheet, a leave, and how their cost moves from one scale to the next;
* the finance pivot through ``read_group`` against a hand-written ``GROUP BY``.

Every database it made is dropped at the end (unless ``--keep-db``), on errors
too. The exit status is 0 whatever the figures; the last line counts the
targets met. See ``benchmarks/README.md``.

The database connection follows ``PGHOST``, ``PGPORT``, ``PGUSER`` and
``PGPASSWORD`` (default 127.0.0.1:5432, user ``odoo``), like ``run_suite.py``.
"""

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from run_suite import _odoo_env, _pg_args, drop_database, pg_connect  # noqa: E402

if os.environ.get("ODOO_PATH"):
    sys.path.insert(0, os.environ["ODOO_PATH"])

SEED = 42
BUILD_TARGET = 2.0  # full build / INSERT SELECT into the forecast table
PIVOT_TARGET = 2.0  # read_group / hand-written SQL
FLAT_TARGET = 1.5  # incremental time, largest scale / smallest scale
# matching on the staffing ledger (seconds, at every scale)
CANDIDATES_TARGET = 0.3
EARLIEST_TARGET = 0.5
OVERLOAD_TARGET = 0.5
MATCHING_RUNS = 5
# the confirm-time load check as the allocations grow (smallest scale only)
LOAD_SMALL = 1_000
LOAD_LARGE = 100_000
LOAD_TARGET = 1.5  # t(LOAD_LARGE) / t(LOAD_SMALL)
LOAD_RUNS = 50
TIMELINE_SIZE = 60_000
TIMELINE_RUNS = 3
# the fields the allocation timeline view reads (its arch, the dates, the group)
TIMELINE_FIELDS = [
    "display_name",
    "allocated_hours",
    "state",
    "is_overloaded",
    "date_start",
    "date_end",
    "employee_id",
]
PIVOT_RUNS = 5
INCREMENTAL_RUNS = 5
FLOOR_RUNS = 3
CHUNK = 1000  # records per create call of the generator
EMPLOYEE_BATCH = 50  # consultants per confirmation batch of the generator
# the ORM reference and the consistency probe rebuild everything: smallest scale
# only, and only up to this many consultants
REFERENCE_MAX_SCALE = 300
ROLLOFF_SHARE = 0.2
# OCA project_forecast_line, side by side (benchmark only; never a dependency of
# our addons): the pinned release of requirements-test.txt
PFL_REQUIREMENT = "odoo-addon-project_forecast_line==18.0.1.0.0.5"
PFL_TARGET = 20.0  # ours at least this many times faster per row
SCREEN_TARGET = 2.0  # seconds for a PMO screen (radar, outlook) to open
SCREEN_RUNS = 3
SCREEN_PAGE = 80  # rows a list view reads
SCREEN_COUNT_LIMIT = 10_001  # the web client's list counts up to this
LEDGER_BATCH = 200  # consultants per rebuild, as the background rebuild does
APPROVAL_FACTS = ("state", "approver_id", "approval_date")

GEN_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
}
PIVOT_FIELDS = [
    "capacity_hours:sum",
    "planned_hours:sum",
    "actual_hours:sum",
    "cost:sum",
    "revenue:sum",
]
PIVOT_SQL = """
    SELECT date_trunc('month', date)::date, project_id,
           SUM(capacity_hours), SUM(planned_hours), SUM(actual_hours),
           SUM(cost), SUM(revenue), COUNT(*)
      FROM staffing_forecast_line
  GROUP BY 1, 2
  ORDER BY 1, 2
"""


# ----------------------------------------------------------------- utilities


class Progress:
    """A one-line progress bar on stderr; one summary line when not a terminal."""

    WIDTH = 28

    def __init__(self, label, total):
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.started = time.perf_counter()
        self.drawn = 0.0
        self.tty = sys.stderr.isatty()
        self._draw(force=True)

    def advance(self, count=1):
        self.done = min(self.total, self.done + count)
        self._draw()

    def _draw(self, force=False, end=""):
        now = time.perf_counter()
        if not self.tty or (not force and now - self.drawn < 0.1):
            return
        self.drawn = now
        filled = int(self.WIDTH * self.done / self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(
            f"\r  {self.label:<12} [{bar}] {self.done:>7}/{self.total:<7} "
            f"{now - self.started:6.1f}s{end}"
        )
        sys.stderr.flush()

    def close(self):
        self.done = self.total
        if self.tty:
            self._draw(force=True, end="\n")
        else:
            sys.stderr.write(
                f"  {self.label:<12} {self.total:>7} in "
                f"{time.perf_counter() - self.started:.1f}s\n"
            )
            sys.stderr.flush()


def free_port():
    """A TCP port nobody listens on, for the install's HTTP server."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pick(rng, items):
    """A random item drawing exactly one number, whatever the length.

    ``random.choice`` draws a varying count of bits depending on the length, so
    the stream of a consultant would change with the number of projects; this
    keeps the data of consultant i the same at every scale.
    """
    return items[int(rng.random() * len(items))]


def chunks(items, size=CHUNK):
    for index in range(0, len(items), size):
        yield items[index : index + size]


def monday(day):
    return day - timedelta(days=day.weekday())


def weekdays(date_from, date_to):
    days = (date_to - date_from).days + 1
    return sum(
        1 for offset in range(days) if (date_from + timedelta(offset)).weekday() < 5
    )


def best_of(runs, func):
    """Best wall time of ``runs`` calls, and the result of the last one."""
    best, result = None, None
    for _index in range(runs):
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def fmt_time(seconds):
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_int(value):
    return "-" if value is None else f"{value:,}"


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}x"


# --------------------------------------------------------------- databases


class Databases:
    """The databases this run made, dropped at the end."""

    def __init__(self, data_dir, extra_addons=()):
        self.data_dir = data_dir
        self.names = []
        self.extra_addons = list(extra_addons)

    def odoo_args(self, dbname):
        return [
            "-d",
            dbname,
            *_pg_args(),
            "--addons-path="
            + ",".join([str(ROOT / "addons"), *map(str, self.extra_addons)]),
            f"--data-dir={self.data_dir}",
        ]

    def install_template(self, name, module="resource_forecast", upgrade=False):
        """Install ``module`` into a new database, or upgrade it (and what it
        depends on of ours) in a kept one with ``upgrade``."""
        if not upgrade:
            self.names.append(name)
        log_path = Path(self.data_dir) / f"install_{module}.log"
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            *self.odoo_args(name),
            *(("-u", f"resource_sharing,{module}") if upgrade else ("-i", module)),
            "--without-demo=all",
            "--stop-after-init",
            "--http-port",
            str(free_port()),
            "--gevent-port=0",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
        with open(log_path, "w") as log:
            proc = subprocess.run(
                cmd, cwd=ROOT, env=_odoo_env(), stdout=log, stderr=log, check=False
            )
        if proc.returncode:
            tail = log_path.read_text().splitlines()[-30:]
            raise RuntimeError(
                f"installing {module} failed ({proc.returncode}):\n" + "\n".join(tail)
            )

    def copy(self, template, name):
        conn = pg_connect("postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        finally:
            conn.close()
        self.names.append(name)

    def release(self, name):
        """Close the in-process registry and connections of a database."""
        if "odoo" not in sys.modules:
            return
        import odoo
        from odoo.modules.registry import Registry

        Registry.delete(name)
        odoo.sql_db.close_db(name)

    def drop_all(self):
        for name in reversed(self.names):
            self.release(name)
            drop_database(name)
            print(f"dropped database {name}", file=sys.stderr)
        self.names = []


def open_registry(databases, dbname):
    """The registry of ``dbname``; Odoo's configuration is parsed once only
    (a second ``parse_config`` fails), the registry takes the name anyway."""
    import odoo  # noqa: F401  (the package first, then its tools)
    from odoo.modules.registry import Registry
    from odoo.tools import config

    if not _CONFIGURED:
        config.parse_config(
            [*databases.odoo_args(dbname), "--log-level=warn"], setup_logging=True
        )
        _CONFIGURED.append(dbname)
    return Registry(dbname)


_CONFIGURED = []


def environment(cr, context=None):
    import odoo

    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, context or {})


# --------------------------------------------------------------- generator


class Generator:
    """Deterministic data of ``scale`` consultants (random.Random(42)).

    Consultant i draws from its own stream seeded by the i-th number of the
    master stream, so the first consultants are the same at every scale and the
    incremental changes touch the same data at 30 and at 300.
    """

    def __init__(self, env, scale, today, rolloff_share=0.0):
        self.env = env(context=dict(env.context, **GEN_CONTEXT))
        self.scale = scale
        self.today = today
        # share of consultants whose plan stops within six weeks (roll-offs for
        # the radar); 0 leaves every stream as it always was
        self.rolloff_share = rolloff_share
        master = random.Random(SEED)
        self.master = random.Random(master.getrandbits(64))
        self.seeds = [master.getrandbits(64) for _index in range(scale)]
        # allocations from the first of the month a year back, to a year ahead
        self.start = date(today.year - 1, today.month, 1)
        self.end = today + timedelta(days=365)
        self.counts = {}

    def run(self):
        from odoo.addons.resource_forecast.models.staffing_forecast_line import (
            deferred_refresh,
        )

        started = time.perf_counter()
        # the forecast is built once afterwards, by the measured full build
        with deferred_refresh():
            self._companies_and_projects()
            self._consultants()
            self._allocations()
            self._timesheets()
            self._leaves()
            self._rates()
            self.env.flush_all()
        self.counts["generation"] = time.perf_counter() - started
        return self.counts

    # -- reference data

    def _companies_and_projects(self):
        env, rng = self.env, self.master
        self.calendar = env.ref("resource.resource_calendar_std")
        self.company = env.company
        self.roles = env["staffing.role"].create(
            [
                {"name": f"Bench {name}", "bill_rate": rate}
                for name, rate in (
                    ("Developer", 95.0),
                    ("Architect", 130.0),
                    ("Analyst", 85.0),
                    ("Project Lead", 120.0),
                )
            ]
        )
        customers = env["res.partner"].create(
            [
                {"name": f"Bench Customer {index:04d}", "is_company": True}
                for index in range(max(2, self.scale // 10))
            ]
        )
        self.suppliers = env["res.partner"].create(
            [
                {
                    "name": f"Bench Partner Company {index:03d}",
                    "is_company": True,
                    "is_staffing_partner": True,
                    "staffing_purchase_rate": round(rng.uniform(70, 110), 2),
                }
                for index in range(max(1, self.scale // 60))
            ]
        )
        count = max(2, self.scale // 5)
        progress = Progress("projects", count)
        values = [
            {
                "name": f"Bench Project {index:04d}",
                "partner_id": customers[index % len(customers)].id,
                "allow_timesheets": True,
                "company_id": self.company.id,
            }
            for index in range(count)
        ]
        projects = env["project.project"]
        for chunk in chunks(values, 200):
            projects |= env["project.project"].create(chunk)
            progress.advance(len(chunk))
        progress.close()
        self.projects = projects
        self.counts["projects"] = len(projects)
        self.counts["customers"] = len(customers)

    def _consultants(self):
        env = self.env
        tz = self.calendar.tz or "UTC"
        values, self.rngs = [], []
        for index, seed in enumerate(self.seeds):
            rng = random.Random(seed)
            self.rngs.append(rng)
            external = rng.random() < 0.10
            values.append(
                {
                    "name": f"Bench Consultant {index:05d}",
                    "resource_calendar_id": self.calendar.id,
                    "company_id": self.company.id,
                    "tz": tz,
                    "hourly_cost": round(rng.uniform(45, 95), 2),
                    "staffing_partner_id": (
                        pick(rng, self.suppliers).id if external else False
                    ),
                }
            )
        progress = Progress("consultants", len(values))
        employees = env["hr.employee"]
        for chunk in chunks(values, 200):
            employees |= env["hr.employee"].create(chunk)
            progress.advance(len(chunk))
        progress.close()
        self.employees = employees
        self.counts["consultants"] = len(employees)
        self.counts["external"] = sum(employees.mapped("is_external"))

    # -- allocations

    def _plan_consultant(self, index, employee):
        """Back-to-back blocks of 2-8 weeks at 30-60 % of 8 h/day.

        A third of the blocks are split over two projects, the second one on a
        part of the block only (as when a consultant joins a project late), so
        allocations overlap without ever adding up to more than the block's
        share: never more than 60 % of capacity on a day.
        """
        rng = self.rngs[index]
        blocks = []
        day = monday(self.start)
        last = self.end
        if self.rolloff_share:
            # its own stream: the consultant's other draws stay the same
            rolloff = random.Random(self.seeds[index] ^ 0x5EED)
            if rolloff.random() < self.rolloff_share:
                last = self.today + timedelta(weeks=rolloff.randint(1, 6))
        while day <= last:
            length = rng.randint(2, 8)
            date_start = day
            date_end = day + timedelta(weeks=length, days=-3)  # a Friday
            share = rng.uniform(0.30, 0.60)
            periods = [(date_start, date_end, share)]
            if rng.random() < 0.3:
                part = share * rng.uniform(0.3, 0.7)
                sub_start, sub_end = date_start, date_end
                if length >= 3:
                    sub_start += timedelta(weeks=rng.randint(0, 1))
                    sub_end -= timedelta(weeks=rng.randint(0, 1))
                periods = [(date_start, date_end, share - part)]
                periods.append((sub_start, sub_end, part))
            for period_start, period_end, part in periods:
                confirmed = rng.random() < 0.85
                hours = part * 8.0 * weekdays(period_start, period_end)
                vals = {
                    "employee_id": employee.id,
                    "project_id": pick(rng, self.projects).id,
                    "role_id": pick(rng, self.roles).id,
                    "date_start": period_start,
                    "date_end": period_end,
                    "allocated_hours": round(hours, 1),
                    "company_id": self.company.id,
                }
                if employee.is_external:
                    vals["external_justification"] = "Benchmark data."
                blocks.append((vals, confirmed))
            day = date_end + timedelta(days=3, weeks=pick(rng, (0, 0, 0, 1, 2)))
        return blocks

    def _allocations(self):
        from odoo.addons.resource_sharing.models.staffing_guard_mixin import (
            grant_fields,
        )

        env = self.env
        plans = [
            self._plan_consultant(index, employee)
            for index, employee in enumerate(self.employees)
        ]
        total = sum(len(plan) for plan in plans)
        progress = Progress("allocations", total)
        Allocation = env["staffing.allocation"]
        self.allocations = Allocation
        confirmed_count = 0
        for first in range(0, len(plans), EMPLOYEE_BATCH):
            batch = [
                block
                for plan in plans[first : first + EMPLOYEE_BATCH]
                for block in plan
            ]
            created = Allocation.browse()
            for chunk in chunks(batch):
                created |= Allocation.create([vals for vals, _confirmed in chunk])
            confirm = Allocation.browse(
                [
                    allocation.id
                    for allocation, (_vals, confirmed) in zip(
                        created, batch, strict=True
                    )
                    if confirmed
                ]
            )
            internal = confirm.filtered(lambda a: not a.is_external)
            external = confirm - internal
            # one write per batch: one load check for the whole batch; the
            # approval facts are the generator's, not an approver's
            with grant_fields({"staffing.allocation": APPROVAL_FACTS}):
                if internal:
                    internal.write({"state": "confirmed"})
                if external:
                    external.write({"state": "to_approve"})
                    external.write(
                        {
                            "state": "confirmed",
                            "approver_id": env.uid,
                            "approval_date": datetime.now(UTC).replace(tzinfo=None),
                        }
                    )
            confirmed_count += len(confirm)
            self.allocations |= created
            progress.advance(len(batch))
            env.flush_all()
            env.invalidate_all()
        progress.close()
        self.plans = plans
        self.counts["allocations"] = total
        self.counts["confirmed"] = confirmed_count

    # -- timesheets

    def _timesheets(self):
        """Weekly timesheets over the past year, on the Friday of each week (or
        the last day worked), per allocation running that week."""
        env = self.env
        first_week = monday(self.today - timedelta(weeks=52))
        last_day = self.today - timedelta(days=1)
        values = []
        for index, employee in enumerate(self.employees):
            rng = self.rngs[index]
            for vals, confirmed in self.plans[index]:
                if not confirmed:
                    continue
                share = vals["allocated_hours"] / max(
                    1, weekdays(vals["date_start"], vals["date_end"])
                )
                week = max(monday(vals["date_start"]), first_week)
                while week <= min(vals["date_end"], last_day):
                    friday = min(week + timedelta(days=4), vals["date_end"], last_day)
                    days = weekdays(max(week, vals["date_start"]), friday)
                    if days:
                        values.append(
                            {
                                "name": "Benchmark work",
                                "project_id": vals["project_id"],
                                "employee_id": employee.id,
                                "date": friday,
                                "unit_amount": round(
                                    share * days * rng.uniform(0.8, 1.1), 2
                                ),
                            }
                        )
                    week += timedelta(weeks=1)
        progress = Progress("timesheets", len(values))
        Line = env["account.analytic.line"]
        for chunk in chunks(values):
            Line.create(chunk)
            progress.advance(len(chunk))
            env.flush_all()
            env.invalidate_all()
        progress.close()
        self.counts["timesheets"] = len(values)

    # -- leaves and rates

    def _leaves(self):
        """One to four leaves of 1-5 working days, in distinct quarters."""
        import pytz

        env = self.env
        values = []
        quarters = (self.end - self.start).days // 91
        for index, employee in enumerate(self.employees):
            rng = self.rngs[index]
            tz = pytz.timezone(employee.tz or "UTC")
            for quarter in rng.sample(range(quarters), rng.randint(1, 4)):
                first = monday(
                    self.start + timedelta(days=91 * quarter + int(rng.random() * 80))
                )
                last = first + timedelta(days=rng.randint(0, 4))
                values.append(
                    {
                        "name": "Benchmark leave",
                        "resource_id": employee.resource_id.id,
                        "calendar_id": self.calendar.id,
                        "company_id": self.company.id,
                        "date_from": _utc(tz, first, dtime.min),
                        "date_to": _utc(tz, last, dtime(23, 59, 59)),
                    }
                )
        progress = Progress("leaves", len(values))
        for chunk in chunks(values):
            env["resource.calendar.leaves"].create(chunk)
            progress.advance(len(chunk))
        progress.close()
        self.counts["leaves"] = len(values)

    def _rates(self):
        """Rate changes for about 10 % of the consultants."""
        env = self.env
        values = []
        span = (self.end - self.start).days
        for index, employee in enumerate(self.employees):
            rng = self.rngs[index]
            if rng.random() >= 0.10:
                continue
            days = sorted(rng.sample(range(span), rng.randint(1, 2)))
            for offset in days:
                values.append(
                    {
                        "employee_id": employee.id,
                        "date_from": self.start + timedelta(days=offset),
                        "rate": round(
                            employee.hourly_cost * rng.uniform(1.02, 1.12), 2
                        ),
                    }
                )
        progress = Progress("rates", len(values))
        for chunk in chunks(values):
            env["staffing.forecast.rate"].create(chunk)
            progress.advance(len(chunk))
        progress.close()
        self.counts["rates"] = len(values)


def _utc(tz, day, moment):
    local = tz.localize(datetime.combine(day, moment))
    return local.astimezone(UTC).replace(tzinfo=None)


# ------------------------------------------------------------ measurements


def analyze(cr):
    """VACUUM ANALYZE, as autovacuum leaves a table after a bulk load: the
    planner's statistics and the visibility map that index-only scans read.
    VACUUM runs outside a transaction, so on a connection of its own."""
    conn = pg_connect(cr.dbname)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    finally:
        conn.close()


def measure_full_build(env, result):
    """Full build on an empty forecast, then its SQL floor."""
    cr = env.cr
    Forecast = env["staffing.forecast.line"]
    cr.execute("DELETE FROM staffing_forecast_line")
    env.invalidate_all()
    timers = [MethodTimer(env, name) for name in ("_compute_rows", "_insert_rows")]
    try:
        started = time.perf_counter()
        returned = Forecast._refresh_all()
        result["build_time"] = time.perf_counter() - started
    finally:
        for timer in timers:
            timer.restore()
    result["build_compute"] = timers[0].seconds
    result["build_insert"] = timers[1].seconds
    cr.execute("SELECT COUNT(*) FROM staffing_forecast_line")
    result["rows"] = cr.fetchone()[0]
    result["build_returned"] = returned

    cr.execute(
        "CREATE TEMP TABLE bench_floor "
        "(LIKE staffing_forecast_line INCLUDING DEFAULTS INCLUDING INDEXES)"
    )

    def insert():
        cr.execute("TRUNCATE bench_floor")
        started = time.perf_counter()
        cr.execute("INSERT INTO bench_floor SELECT * FROM staffing_forecast_line")
        return time.perf_counter() - started

    # TRUNCATE is left out of the timing: best of FLOOR_RUNS inserts
    result["floor_time"] = min(insert() for _run in range(FLOOR_RUNS))
    result["build_ratio"] = result["build_time"] / result["floor_time"]

    # for information: the same rows written back into the forecast table
    # itself, with its foreign keys, sequence, WAL and indexes (rolled back)
    def insert_real():
        cr.execute("SAVEPOINT bench_floor_real")
        cr.execute("DELETE FROM staffing_forecast_line")
        started = time.perf_counter()
        cr.execute(
            f"INSERT INTO staffing_forecast_line ({columns}) "
            f"SELECT {columns} FROM bench_floor"
        )
        elapsed = time.perf_counter() - started
        cr.execute("ROLLBACK TO SAVEPOINT bench_floor_real")
        return elapsed

    from odoo.addons.resource_forecast.models.staffing_forecast_line import COLUMNS

    columns = ", ".join(COLUMNS)
    result["floor_real_time"] = min(insert_real() for _run in range(FLOOR_RUNS))
    result["build_real_ratio"] = result["build_time"] / result["floor_real_time"]
    cr.execute("DROP TABLE bench_floor")


def measure_ledger_build(env, result):
    """Every consultant's ledger rewritten from scratch (rolled back after)."""
    employees = env["hr.employee"].with_context(active_test=False).search([])
    ledger = env["staffing.ledger"]
    started = time.perf_counter()
    for index in range(0, len(employees), LEDGER_BATCH):
        ledger._rebuild(employees[index : index + LEDGER_BATCH])
    env.flush_all()
    result["ledger_time"] = time.perf_counter() - started
    env.cr.execute(
        "SELECT (SELECT COUNT(*) FROM staffing_ledger), "
        "(SELECT COUNT(*) FROM staffing_ledger_booking)"
    )
    result["ledger_rows"], result["ledger_bookings"] = env.cr.fetchone()


def measure_orm_reference(env, result):
    """The same rows created one ``create`` at a time (rolled back after)."""
    from odoo.addons.resource_forecast.models.staffing_forecast_line import COLUMNS

    cr = env.cr
    cr.execute(f"SELECT {', '.join(COLUMNS)} FROM staffing_forecast_line ORDER BY id")
    rows = [
        {
            column: value
            for column, value in zip(COLUMNS, row, strict=True)
            if value is not None
        }
        for row in cr.fetchall()
    ]
    cr.execute("DELETE FROM staffing_forecast_line")
    env.invalidate_all()
    Forecast = env["staffing.forecast.line"]
    progress = Progress("ORM creates", len(rows))
    started = time.perf_counter()
    for index, vals in enumerate(rows, 1):
        Forecast.create(vals)
        if not index % 500:
            progress.advance(500)
    env.flush_all()
    result["orm_time"] = time.perf_counter() - started
    progress.close()
    cr.execute("SELECT COUNT(*) FROM staffing_forecast_line")
    result["orm_rows"] = cr.fetchone()[0]
    result["orm_ratio"] = result["orm_time"] / result["build_time"]


class MethodTimer:
    """Wraps one method of the forecast model (on this registry's class) to sum
    its wall time, its calls and, for ``_refresh``, the rows it returns."""

    def __init__(self, env, name):
        self.cls = type(env["staffing.forecast.line"])
        self.name = name
        self.original = getattr(self.cls, name)
        self.reset()
        timer = self

        def timed(model, *args, **kwargs):
            started = time.perf_counter()
            value = timer.original(model, *args, **kwargs)
            timer.seconds += time.perf_counter() - started
            timer.calls += 1
            if isinstance(value, int):
                timer.rows += value
            return value

        setattr(self.cls, name, timed)

    def reset(self):
        self.rows, self.calls, self.seconds = 0, 0, 0.0

    def restore(self):
        setattr(self.cls, self.name, self.original)


def _subject(env, today):
    """The first internal consultant with a confirmed allocation running today:
    the same consultant and allocation at every scale."""
    employees = env["hr.employee"].search(
        [("name", "=like", "Bench Consultant %")], order="name"
    )
    for employee in employees:
        if employee.is_external:
            continue
        allocation = env["staffing.allocation"].search(
            [
                ("employee_id", "=", employee.id),
                ("state", "=", "confirmed"),
                ("date_start", "<=", today),
                ("date_end", ">=", today + timedelta(days=7)),
            ],
            limit=1,
        )
        if allocation:
            return employee, allocation
    raise RuntimeError("no internal consultant has a confirmed allocation today")


def _forecast_of(cr, employee_id):
    from odoo.addons.resource_forecast.models.staffing_forecast_line import COLUMNS

    cr.execute(
        f"SELECT {', '.join(COLUMNS)} FROM staffing_forecast_line "
        "WHERE employee_id = %s",
        (employee_id,),
    )
    return Counter(
        tuple(round(value, 4) if isinstance(value, float) else value for value in row)
        for row in cr.fetchall()
    )


def _drift(env, employee):
    """Rows of the consultant that a rebuild of their whole window changes:
    rows missing plus rows extra, 0 when the incremental refresh was exact."""
    before = _forecast_of(env.cr, employee.id)
    env["staffing.forecast.line"]._refresh(employee, None, None)
    after = _forecast_of(env.cr, employee.id)
    return sum(((before - after) + (after - before)).values())


def measure_incremental(env, result, today):
    """Three changes with the hooks on, best of INCREMENTAL_RUNS each."""
    env = env(context=dict(env.context, tracking_disable=True))
    employee, allocation = _subject(env, today)
    counter = MethodTimer(env, "_refresh")
    try:
        hours = allocation.allocated_hours
        factors = iter([0.9, 0.8] * INCREMENTAL_RUNS)

        def write_hours():
            allocation.write({"allocated_hours": round(hours * next(factors), 1)})
            env.cr.flush()  # as at commit: runs the forecast's batched refresh

        def create_timesheet():
            env["account.analytic.line"].create(
                {
                    "name": "Benchmark incremental",
                    "project_id": allocation.project_id.id,
                    "employee_id": employee.id,
                    "date": today,
                    "unit_amount": 2.0,
                }
            )
            env.cr.flush()  # as at commit: runs the forecast's batched refresh

        leave_days = iter(
            day
            for day in (today + timedelta(days=offset) for offset in range(1, 60))
            if day.weekday() < 5
        )

        def create_leave():
            import pytz

            tz = pytz.timezone(employee.tz or "UTC")
            day = next(leave_days)
            env["resource.calendar.leaves"].create(
                {
                    "name": "Benchmark incremental leave",
                    "resource_id": employee.resource_id.id,
                    "calendar_id": employee.resource_calendar_id.id,
                    "date_from": _utc(tz, day, dtime.min),
                    "date_to": _utc(tz, day, dtime(23, 59, 59)),
                }
            )
            env.cr.flush()  # as at commit: runs the forecast's batched refresh

        for key, func in (
            ("alloc", write_hours),
            ("timesheet", create_timesheet),
            ("leave", create_leave),
        ):
            best, rows, refresh = None, None, None
            for _run in range(INCREMENTAL_RUNS):
                counter.reset()
                started = time.perf_counter()
                func()
                elapsed = time.perf_counter() - started
                if best is None or elapsed < best:
                    best, rows, refresh = elapsed, counter.rows, counter.seconds
            result[f"inc_{key}_time"] = best
            result[f"inc_{key}_rows"] = rows
            result[f"inc_{key}_refresh"] = refresh
            # not timed: the rows left must be those of a rebuild
            result[f"inc_{key}_drift"] = _drift(env, employee)
    finally:
        counter.restore()
    result["inc_subject"] = f"{employee.name}, allocation {allocation.date_start}"
    result["inc_subject"] += f"..{allocation.date_end}"


def _whole_forecast(cr):
    from odoo.addons.resource_forecast.models.staffing_forecast_line import COLUMNS

    cr.execute(f"SELECT {', '.join(COLUMNS)} FROM staffing_forecast_line")
    return Counter(
        tuple(round(value, 4) if isinstance(value, float) else value for value in row)
        for row in cr.fetchall()
    )


def measure_consistency(env, result, today):
    """Not a timing: a public holiday (every consultant of the calendar) goes
    through the hooks, then the whole forecast is compared to a full rebuild."""
    import pytz

    env = env(context=dict(env.context, tracking_disable=True))
    calendar = env.ref("resource.resource_calendar_std")
    tz = pytz.timezone(calendar.tz or "UTC")
    day = monday(today + timedelta(days=21)) + timedelta(days=2)  # a Wednesday
    env["resource.calendar.leaves"].create(
        {
            "name": "Benchmark public holiday",
            "calendar_id": calendar.id,
            "date_from": _utc(tz, day, dtime.min),
            "date_to": _utc(tz, day, dtime(23, 59, 59)),
        }
    )
    env.cr.flush()  # as at commit: runs the forecast's batched refresh
    incremental = _whole_forecast(env.cr)
    env.cr.execute("DELETE FROM staffing_forecast_line")
    env["staffing.forecast.line"]._refresh_all()
    rebuilt = _whole_forecast(env.cr)
    result["holiday_day"] = day
    result["holiday_drift"] = sum(
        ((incremental - rebuilt) + (rebuilt - incremental)).values()
    )


def measure_pivot(env, result):
    Forecast = env["staffing.forecast.line"]
    cr = env.cr

    def orm():
        return Forecast.read_group(
            [], PIVOT_FIELDS, ["date:month", "project_id"], lazy=False
        )

    def sql():
        cr.execute(PIVOT_SQL)
        return cr.fetchall()

    # warm-up, not counted; catch the query read_group sends
    queries = []
    execute = cr.execute

    def catching(query, params=None, log_exceptions=True):
        queries.append((query, params))
        return execute(query, params, log_exceptions)

    cr.execute = catching
    try:
        orm()
    finally:
        del cr.execute
    query = next(q for q in queries if "GROUP BY" in str(q[0]))
    sql()

    def orm_sql():
        cr.execute(*query)
        return cr.fetchall()

    result["pivot_orm"], groups = best_of(PIVOT_RUNS, orm)
    result["pivot_sql"], rows = best_of(PIVOT_RUNS, sql)
    result["pivot_orm_sql"], _rows = best_of(PIVOT_RUNS, orm_sql)
    result["pivot_ratio"] = result["pivot_orm"] / result["pivot_sql"]
    result["pivot_groups"] = len(groups)
    # the two must agree, or the comparison means nothing
    orm_total = round(sum(group["planned_hours"] for group in groups), 2)
    sql_total = round(sum(row[3] or 0.0 for row in rows), 2)
    result["pivot_agree"] = len(groups) == len(rows) and orm_total == sql_total


class Cloner:
    """Copies of the generated consultants, written with SQL in one transaction.

    Each copy gets the resource, employee row, leaves, allocations (same
    states and hours), bookings and ledger rows of its source consultant, so
    the ledger stays exactly what a rebuild would write (checked on one copy).
    It is how the load check meets 100,000 allocations and the timeline 60,000
    without generating them through the ORM for an hour. The caller rolls
    everything back.
    """

    TABLES = ("resource_resource", "hr_employee", "staffing_allocation")

    def __init__(self, env):
        self.env = env
        cr = env.cr
        cr.execute(
            """
            SELECT e.id, COUNT(a.id) FROM hr_employee e
              JOIN staffing_allocation a ON a.employee_id = e.id
             WHERE e.name LIKE 'Bench Consultant %%'
          GROUP BY e.id ORDER BY e.id
            """
        )
        self.sources = cr.fetchall()
        self.columns = {}
        for table in (*self.TABLES, "resource_calendar_leaves"):
            cr.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s AND column_name != 'id' "
                "ORDER BY ordinal_position",
                (table,),
            )
            self.columns[table] = [row[0] for row in cr.fetchall()]
        for table in self.TABLES:
            cr.execute(f"ALTER TABLE {table} ADD COLUMN bench_key int")
        cr.execute("CREATE TEMP TABLE bench_map (key int, src int)")
        self.next_key = 1
        self.position = 0
        self.copies = 0

    def count(self):
        self.env.cr.execute("SELECT COUNT(*) FROM staffing_allocation")
        return self.env.cr.fetchone()[0]

    def grow_to(self, target):
        """Copy consultants, round robin, until there are ``target`` allocations."""
        count = self.count()
        plan = []
        while count < target:
            source, allocations = self.sources[self.position % len(self.sources)]
            plan.append((self.next_key, source))
            self.next_key += 1
            self.position += 1
            count += allocations
        if plan:
            self._copy(plan)
        return self.count()

    def _select(self, table, alias, overrides):
        return ", ".join(
            overrides.get(column, f"{alias}.{column}") for column in self.columns[table]
        )

    def _copy(self, plan):
        cr = self.env.cr
        cr.execute("TRUNCATE bench_map")
        keys, sources = zip(*plan, strict=True)
        cr.execute(
            "INSERT INTO bench_map SELECT * FROM unnest(%s::int[], %s::int[])",
            (list(keys), list(sources)),
        )
        name = "'Bench Copy ' || lpad(m.key::text, 6, '0')"
        resource = self.columns["resource_resource"]
        cr.execute(
            f"""
            INSERT INTO resource_resource ({", ".join(resource)}, bench_key)
            SELECT {self._select("resource_resource", "r", {"name": name})}, m.key
              FROM bench_map m
              JOIN hr_employee e ON e.id = m.src
              JOIN resource_resource r ON r.id = e.resource_id
            """
        )
        employee = self.columns["hr_employee"]
        overrides = {"resource_id": "nr.id", "barcode": "NULL", "user_id": "NULL"}
        if "name" in employee:
            overrides["name"] = name
        cr.execute(
            f"""
            INSERT INTO hr_employee ({", ".join(employee)}, bench_key)
            SELECT {self._select("hr_employee", "e", overrides)}, m.key
              FROM bench_map m
              JOIN hr_employee e ON e.id = m.src
              JOIN resource_resource nr ON nr.bench_key = m.key
            """
        )
        leaves = self.columns["resource_calendar_leaves"]
        cr.execute(
            f"""
            INSERT INTO resource_calendar_leaves ({", ".join(leaves)})
            SELECT {self._select("resource_calendar_leaves", "l", {"resource_id": "nr.id"})}
              FROM bench_map m
              JOIN hr_employee e ON e.id = m.src
              JOIN resource_calendar_leaves l ON l.resource_id = e.resource_id
              JOIN resource_resource nr ON nr.bench_key = m.key
            """  # noqa: E501
        )
        allocation = self.columns["staffing_allocation"]
        cr.execute(
            f"""
            INSERT INTO staffing_allocation ({", ".join(allocation)}, bench_key)
            SELECT {self._select("staffing_allocation", "a", {"employee_id": "ne.id"})},
                   a.id
              FROM bench_map m
              JOIN hr_employee ne ON ne.bench_key = m.key
              JOIN staffing_allocation a ON a.employee_id = m.src
            """
        )
        cr.execute(
            """
            INSERT INTO staffing_ledger_booking
                   (allocation_id, employee_id, date, is_confirmed, hours)
            SELECT na.id, na.employee_id, b.date, b.is_confirmed, b.hours
              FROM bench_map m
              JOIN hr_employee ne ON ne.bench_key = m.key
              JOIN staffing_allocation na ON na.employee_id = ne.id
              JOIN staffing_ledger_booking b ON b.allocation_id = na.bench_key;

            INSERT INTO staffing_ledger (employee_id, company_id, date,
                   capacity_hours, confirmed_hours, tentative_hours)
            SELECT ne.id, l.company_id, l.date, l.capacity_hours,
                   l.confirmed_hours, l.tentative_hours
              FROM bench_map m
              JOIN hr_employee ne ON ne.bench_key = m.key
              JOIN staffing_ledger l ON l.employee_id = m.src
            """
        )
        self.copies += len(plan)
        for table in (
            *self.TABLES,
            "resource_calendar_leaves",
            "staffing_ledger",
            "staffing_ledger_booking",
        ):
            cr.execute(f"ANALYZE {table}")
        self.env.invalidate_all()

    def copies_exact(self):
        """Whether the last copy's ledger equals a rebuild of it."""
        cr = self.env.cr
        cr.execute("SELECT MAX(id) FROM hr_employee WHERE bench_key IS NOT NULL")
        employee_id = cr.fetchone()[0]
        query = (
            "SELECT date, capacity_hours, confirmed_hours, tentative_hours "
            "FROM staffing_ledger WHERE employee_id = %s ORDER BY date"
        )
        cr.execute(query, (employee_id,))
        copied = cr.fetchall()
        cr.execute("SAVEPOINT bench_copy_check")
        self.env["staffing.ledger"]._rebuild(
            self.env["hr.employee"].browse(employee_id)
        )
        cr.execute(query, (employee_id,))
        rebuilt = cr.fetchall()
        cr.execute("ROLLBACK TO SAVEPOINT bench_copy_check")
        self.env.invalidate_all()
        # a rebuild may hold fewer days (no extension asked): compare those
        days = {row[0] for row in rebuilt}
        return [row for row in copied if row[0] in days] == rebuilt


LOAD_SQL = """
    SELECT l.date, l.confirmed_hours, l.capacity_hours
      FROM staffing_ledger l
      JOIN hr_employee e ON e.id = l.employee_id
      JOIN res_company c ON c.id = e.company_id
     WHERE l.employee_id = %(employee)s
       AND l.date BETWEEN %(date_from)s AND %(date_to)s
       AND l.confirmed_hours > l.capacity_hours
           * (1 + COALESCE(c.staffing_overload_tolerance, 0) / 100) + 1e-6
     ORDER BY l.date
"""

TIMELINE_SQL = """
    SELECT a.id, e.name || ' on ' || COALESCE(p.name->>'en_US', '?'),
           a.allocated_hours, a.state, EXISTS (
               SELECT 1 FROM staffing_ledger l
                WHERE l.employee_id = a.employee_id
                  AND l.date BETWEEN a.date_start AND a.date_end
                  AND l.confirmed_hours + l.tentative_hours > l.capacity_hours
                      * (1 + COALESCE(c.staffing_overload_tolerance, 0) / 100)
                      + 1e-6
           ),
           a.date_start, a.date_end, a.employee_id, e.name
      FROM staffing_allocation a
      JOIN hr_employee e ON e.id = a.employee_id
      JOIN res_company c ON c.id = a.company_id
 LEFT JOIN project_project p ON p.id = a.project_id
     WHERE a.state IN ('draft', 'to_approve', 'confirmed')
  ORDER BY e.name, a.id
"""


def measure_volume(env, result, today):
    """The load check at 1k and 100k allocations, the timeline at 60k.

    Smallest scale only; the allocations grow by SQL copies of consultants
    (``Cloner``), and everything is rolled back by the caller.
    """
    env = env(context=dict(env.context, tracking_disable=True))
    cr = env.cr
    allocation = env["staffing.allocation"].search(
        [
            ("state", "=", "confirmed"),
            ("date_start", ">=", today),
            ("employee_id.name", "=like", "Bench Consultant %"),
        ],
        order="date_start, id",
        limit=1,
    )
    params = {
        "employee": allocation.employee_id.id,
        "date_from": allocation.date_start,
        "date_to": allocation.date_end,
    }

    def load_check():
        allocation._check_load()

    def load_sql():
        cr.execute(LOAD_SQL, params)
        return cr.fetchall()

    cloner = Cloner(env)
    allocations = env["staffing.allocation"]
    for size, key in (
        (LOAD_SMALL, "small"),
        (TIMELINE_SIZE, None),
        (LOAD_LARGE, "large"),
    ):
        count = cloner.grow_to(size)
        if key:
            load_check()  # warm-up
            result[f"load_{key}_count"] = count
            result[f"load_{key}_time"], _none = best_of(LOAD_RUNS, load_check)
            result[f"load_{key}_sql"], _rows = best_of(LOAD_RUNS, load_sql)
            continue

        def timeline():
            env.invalidate_all()
            return allocations.search_read(
                [("state", "in", ("draft", "to_approve", "confirmed"))],
                TIMELINE_FIELDS,
                order="employee_id",
            )

        def timeline_sql():
            cr.execute(TIMELINE_SQL)
            return cr.fetchall()

        result["timeline_count"] = count
        result["timeline_time"], records = best_of(TIMELINE_RUNS, timeline)
        result["timeline_sql"], rows = best_of(TIMELINE_RUNS, timeline_sql)
        result["timeline_rows"] = len(records)
        result["timeline_agree"] = len(records) == len(rows) and sum(
            record["is_overloaded"] for record in records
        ) == sum(row[4] for row in rows)
    result["load_ratio"] = result["load_large_time"] / result["load_small_time"]
    result["volume_copies"] = cloner.copies
    result["volume_exact"] = cloner.copies_exact()


# --------------------------------------------- OCA project_forecast_line


def find_pfl(data_dir, path=None):
    """The addons directory holding ``project_forecast_line``, or why not.

    An explicit ``--pfl-path``, else the release pip installed from
    requirements-test.txt, else that release downloaded (``pip download
    --no-deps``) into the run's data directory.

    :return: (directory or None, reason)
    """
    if path:
        found = (Path(path) / "project_forecast_line" / "__manifest__.py").exists()
        return (Path(path), "--pfl-path") if found else (None, f"not in {path}")
    for entry in sys.path:
        candidate = Path(entry or ".") / "odoo" / "addons"
        if (candidate / "project_forecast_line" / "__manifest__.py").exists():
            return candidate, "installed"
    target = Path(data_dir) / "pfl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            PFL_REQUIREMENT,
            "--no-deps",
            "--quiet",
            "-d",
            str(target),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wheels = list(target.glob("*.whl"))
    if proc.returncode or not wheels:
        lines = (proc.stderr or proc.stdout or "no wheel").strip().splitlines()
        return None, f"pip download {PFL_REQUIREMENT} failed: {lines[-1]}"
    import zipfile

    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(target / "unpacked")
    return target / "unpacked" / "odoo" / "addons", f"downloaded {wheels[0].name}"


def extract_plan(env):
    """The generated consultants, leave and planned work, as plain data."""
    cr = env.cr
    employees = env["hr.employee"].search(
        [("name", "=like", "Bench Consultant %")], order="id"
    )
    projects = env["project.project"].search(
        [("name", "=like", "Bench Project %")], order="id"
    )
    cr.execute(
        """
        SELECT employee_id, project_id, role_id, date_start, date_end,
               allocated_hours, state
          FROM staffing_allocation
         WHERE employee_id = ANY(%s) AND state IN ('draft', 'to_approve', 'confirmed')
      ORDER BY id
        """,
        (employees.ids,),
    )
    allocations = cr.fetchall()
    roles = env["staffing.role"].browse(sorted({row[2] for row in allocations}))
    cr.execute(
        """
        SELECT e.id, l.date_from, l.date_to
          FROM resource_calendar_leaves l
          JOIN hr_employee e ON e.resource_id = l.resource_id
         WHERE e.id = ANY(%s)
      ORDER BY l.id
        """,
        (employees.ids,),
    )
    return {
        "employees": [(e.id, e.name, e.hourly_cost, e.tz) for e in employees],
        "projects": [(p.id, p.name) for p in projects],
        "roles": [(r.id, r.name) for r in roles],
        "allocations": allocations,
        "leaves": cr.fetchall(),
    }


def generate_pfl(env, plan, start):
    """The same data for project_forecast_line: its forecast roles, one task
    per allocation (planned hours and dates, assigned to the consultant's
    user), the consultants with one role each from ``start``, the same leave.
    Projects sit in the stage whose forecast type is *confirmed*."""
    from odoo import Command

    env = env(context=dict(env.context, no_reset_password=True, **GEN_CONTEXT))
    calendar = env.ref("resource.resource_calendar_std")
    stage = env.ref("project.project_project_stage_1")
    roles = env["forecast.role"].create([{"name": name} for _id, name in plan["roles"]])
    role_of = {
        key: role for (key, _name), role in zip(plan["roles"], roles, strict=True)
    }
    projects = env["project.project"].browse()
    for chunk in chunks(plan["projects"], 200):
        projects |= env["project.project"].create(
            [
                {
                    "name": name,
                    "stage_id": stage.id,
                    "allow_timesheets": True,
                    # its recompute only reads tasks of a company
                    "company_id": env.company.id,
                }
                for _id, name in chunk
            ]
        )
    project_of = {
        key: project
        for (key, _name), project in zip(plan["projects"], projects, strict=True)
    }
    internal = env.ref("base.group_user")
    progress = Progress("pfl people", len(plan["employees"]))
    employee_of = {}
    for chunk in chunks(plan["employees"], 100):
        users = env["res.users"].create(
            [
                {
                    "name": name,
                    "login": f"bench.pfl.{key}",
                    "groups_id": [Command.set(internal.ids)],
                }
                for key, name, _cost, _tz in chunk
            ]
        )
        employees = env["hr.employee"].create(
            [
                {
                    "name": name,
                    "user_id": user.id,
                    "resource_calendar_id": calendar.id,
                    "tz": tz,
                    "hourly_cost": cost,
                    "company_id": env.company.id,
                }
                for (_key, name, cost, tz), user in zip(chunk, users, strict=True)
            ]
        )
        employee_of.update(
            {row[0]: employee for row, employee in zip(chunk, employees, strict=True)}
        )
        progress.advance(len(chunk))
    progress.close()
    first_role = {}
    for employee_id, _project, role_id, *_rest in plan["allocations"]:
        first_role.setdefault(employee_id, role_id)
    default_role = plan["roles"][0][0]
    env["hr.employee.forecast.role"].create(
        [
            {
                "employee_id": employee.id,
                "role_id": role_of[first_role.get(key, default_role)].id,
                "date_start": start,
            }
            for key, employee in employee_of.items()
        ]
    )
    env["resource.calendar.leaves"].create(
        [
            {
                "name": "Benchmark leave",
                "resource_id": employee_of[key].resource_id.id,
                "calendar_id": calendar.id,
                "date_from": date_from,
                "date_to": date_to,
            }
            for key, date_from, date_to in plan["leaves"]
        ]
    )
    progress = Progress("pfl tasks", len(plan["allocations"]))
    for chunk in chunks(plan["allocations"], 500):
        env["project.task"].create(
            [
                {
                    "name": f"Bench task {number}",
                    "project_id": project_of[project_id].id,
                    "forecast_role_id": role_of[role_id].id,
                    "forecast_date_planned_start": date_start,
                    "forecast_date_planned_end": date_end,
                    "allocated_hours": hours,
                    "user_ids": [Command.set(employee_of[employee_id].user_id.ids)],
                }
                for number, (
                    employee_id,
                    project_id,
                    role_id,
                    date_start,
                    date_end,
                    hours,
                    _state,
                ) in enumerate(chunk)
            ]
        )
        progress.advance(len(chunk))
        env.flush_all()
    progress.close()


def run_pfl(databases, template, prefix, plan, scale, horizon_months):
    """project_forecast_line's full recompute on the same data, timed once."""
    import odoo  # noqa: F401
    from odoo import fields

    dbname = f"{prefix}_pfl_n{scale}"
    databases.copy(template, dbname)
    print(f"--- project_forecast_line, scale {scale}: {dbname}", file=sys.stderr)
    registry = open_registry(databases, dbname)
    result = {}
    with registry.cursor() as cr:
        env = environment(cr)
        today = fields.Date.context_today(env["res.users"])
        # no lines while loading (a horizon of 0 months), per day as ours
        cr.execute(
            "UPDATE res_company SET forecast_line_granularity = 'day', "
            "forecast_line_horizon = 0"
        )
        env.invalidate_all()
        started = time.perf_counter()
        generate_pfl(env, plan, date(today.year - 1, today.month, 1))
        result["pfl_generation"] = time.perf_counter() - started
    with registry.cursor() as cr:
        analyze(cr)
    print("  project_forecast_line full recompute", file=sys.stderr)
    with registry.cursor() as cr:
        env = environment(cr)
        cr.execute(
            "UPDATE res_company SET forecast_line_horizon = %s", (horizon_months,)
        )
        env.invalidate_all()
        started = time.perf_counter()
        env["forecast.line"]._cron_recompute_all(force_delete=True)
        env.flush_all()
        result["pfl_time"] = time.perf_counter() - started
        cr.execute(
            "SELECT res_model, COUNT(*) FROM forecast_line GROUP BY 1 ORDER BY 1"
        )
        result["pfl_by_model"] = cr.fetchall()
        result["pfl_rows"] = sum(count for _model, count in result["pfl_by_model"])
        result["pfl_horizon"] = horizon_months
        cr.rollback()
    print(
        f"  {result['pfl_rows']:,} rows in {fmt_time(result['pfl_time'])}: "
        f"{result['pfl_by_model']}",
        file=sys.stderr,
    )
    databases.release(dbname)
    return result


# -------------------------------------------------------------------- runs


def _matching_position(env, today):
    """A three-month position whose mandatory skill half the consultants have."""
    from odoo import Command

    skill_type = env["hr.skill.type"].create(
        {
            "name": "Bench skills",
            "skill_level_ids": [
                Command.create({"name": "Medior", "level_progress": 50}),
                Command.create({"name": "Expert", "level_progress": 100}),
            ],
            "skill_ids": [Command.create({"name": "Bench ERP"})],
        }
    )
    skill = skill_type.skill_ids
    medior, expert = skill_type.skill_level_ids.sorted("level_progress")
    employees = env["hr.employee"].search([], order="id")
    env["hr.employee.skill"].create(
        [
            {
                "employee_id": employee.id,
                "skill_id": skill.id,
                "skill_level_id": (expert if index % 4 == 0 else medior).id,
                "skill_type_id": skill_type.id,
            }
            for index, employee in enumerate(employees)
            if index % 2 == 0
        ]
    )
    role = env["staffing.role"].create(
        {
            "name": "Bench Matching Architect",
            "bill_rate": 150.0,
            "skill_requirement_ids": [
                Command.create(
                    {"skill_id": skill.id, "level_id": medior.id, "mandatory": True}
                )
            ],
        }
    )
    start = monday(today + timedelta(days=14))
    request = env["staffing.request"].create(
        {
            "partner_id": env["res.partner"].search([], limit=1).id,
            "date_start": start,
            "date_end": start + timedelta(days=90),
            "line_ids": [Command.create({"role_id": role.id, "planned_hours": 400})],
        }
    )
    env.flush_all()
    return request.line_ids


def measure_matching(env, result, today):
    """Candidates, earliest date, over-capacity filter and load check."""
    cr = env.cr
    line = _matching_position(env, today)

    def queries(func):
        env.invalidate_all()
        before = cr.sql_log_count
        func()
        return cr.sql_log_count - before

    candidates = lambda: line.get_candidates(limit=10)  # noqa: E731
    candidates()  # warm caches
    result["cand_time"], found = best_of(MATCHING_RUNS, candidates)
    result["cand_queries"] = queries(candidates)
    result["cand_eligible"] = len(line._get_eligible_employees(line._get_skill_needs()))
    result["cand_found"] = len(found)

    def reference():
        cr.execute(
            """
            SELECT l.employee_id, SUM(GREATEST(l.capacity_hours - l.confirmed_hours, 0))
              FROM staffing_ledger l
              JOIN hr_employee_skill s ON s.employee_id = l.employee_id
             WHERE s.skill_id = %s AND l.date BETWEEN %s AND %s
          GROUP BY l.employee_id ORDER BY 2 DESC LIMIT 10
            """,
            (
                line.skill_requirement_ids.skill_id.id,
                line.date_start,
                line.date_end,
            ),
        )
        return cr.fetchall()

    result["cand_sql"], _rows = best_of(MATCHING_RUNS, reference)
    result["earliest_time"], result["earliest"] = best_of(
        MATCHING_RUNS, line.get_earliest_feasible_date
    )
    allocations = env["staffing.allocation"]
    result["overload_time"], overloaded = best_of(
        MATCHING_RUNS, lambda: allocations.search([("is_overloaded", "=", True)])
    )
    result["overloaded"] = len(overloaded)
    confirmed = allocations.search(
        [("state", "=", "confirmed"), ("date_start", ">=", today)], limit=1
    )

    def load_check():
        confirmed._check_load()

    result["load_check_time"], _none = best_of(MATCHING_RUNS, load_check)
    result["load_check_allocations"] = allocations.search_count([])


def measure_screens(env, result, today):
    """The PMO and finance screens as a browser opens them: one list page with
    its computed columns (roll-off radar, missing actuals, demand outlook) and
    the outlook's pivot, each next to a hand-written query over the same rows."""
    screens = {
        "rolloff": (
            "staffing.rolloff",
            [
                "employee_id",
                "rolloff_date",
                "free_from",
                "free_hours",
                "best_position_id",
                "best_score",
                "match_count",
            ],
        ),
        "missing": (
            "staffing.missing.actual",
            ["week", "employee_id", "project_id", "planned_hours"],
        ),
        "outlook": (
            "staffing.demand.outlook",
            ["date", "role_id", "demand_hours", "supply_hours", "shortage_hours"],
        ),
    }
    # give the screens rows to show (rolled back afterwards): a horizon that
    # catches the generated roll-offs, an open position starting in two weeks
    # for the radar to match, and a third of the consultants who did not log
    # their hours
    env.company.staffing_rolloff_weeks = 26
    _matching_position(env, today).request_id.action_submit()
    env.flush_all()
    env.cr.execute(
        "DELETE FROM staffing_forecast_line WHERE line_type = 'actual' "
        "AND employee_id % 3 = 0"
    )
    for key, (model, fnames) in screens.items():
        # what the list view asks the server: one web_search_read of a page,
        # display names of its many2ones, and the count up to the list's limit
        spec = {
            name: (
                {"fields": {"display_name": {}}}
                if env[model]._fields[name].type == "many2one"
                else {}
            )
            for name in fnames
        }

        def open_list(model=model, spec=spec):
            env.invalidate_all()
            return env[model].web_search_read(
                [], spec, limit=SCREEN_PAGE, count_limit=SCREEN_COUNT_LIMIT
            )["length"]

        result[f"{key}_time"], _length = best_of(SCREEN_RUNS, open_list)
        result[f"{key}_rows"] = env[model].search_count([])

        def reference(model=model):
            env.cr.execute(
                f"SELECT COUNT(*) FROM ({env[model]._table_query.code}) AS q",
                env[model]._table_query.params,
            )
            return env.cr.fetchone()[0]

        result[f"{key}_sql"], _count = best_of(SCREEN_RUNS, reference)

    def outlook_pivot():
        env.invalidate_all()
        return env["staffing.demand.outlook"].read_group(
            [],
            ["demand_hours:sum", "supply_hours:sum", "shortage_hours:sum"],
            ["role_id", "date:month"],
            lazy=False,
        )

    result["outlook_pivot_time"], groups = best_of(SCREEN_RUNS, outlook_pivot)
    result["outlook_groups"] = len(groups)


def measure_screens_and_matching(registry, result, today):
    """The PMO screens and the matching on the ledger, each rolled back."""
    print("  matching on the ledger", file=sys.stderr)
    with registry.cursor() as cr:
        measure_matching(environment(cr), result, today)
        cr.rollback()
    print("  PMO and finance screens", file=sys.stderr)
    with registry.cursor() as cr:
        measure_screens(environment(cr), result, today)
        cr.rollback()


def rerun_scale(databases, dbname):
    """Time the screens and the matching again on a database an earlier run
    kept (``--keep-db``): its data as generated, the code as it is now."""
    from odoo import fields

    print(f"--- reusing {dbname}: upgrading the addons first", file=sys.stderr)
    databases.install_template(dbname, upgrade=True)
    registry = open_registry(databases, dbname)
    with registry.cursor() as cr:
        env = environment(cr)
        today = fields.Date.context_today(env["staffing.forecast.line"])
        cr.execute("SHOW server_version")
        result = {
            "today": today,
            "postgres": cr.fetchone()[0],
            "scale": env["hr.employee"].search_count([]),
            "allocations": env["staffing.allocation"].search_count([]),
        }
        analyze(cr)
    measure_screens_and_matching(registry, result, today)
    databases.release(dbname)
    return result


def run_scale(
    databases, template, prefix, scale, smallest, pfl=False, screens_only=False
):
    import odoo  # noqa: F401
    from odoo import fields

    dbname = f"{prefix}_n{scale}"
    databases.copy(template, dbname)
    print(f"--- scale {scale}: database {dbname}", file=sys.stderr)
    registry = open_registry(databases, dbname)
    result = {"scale": scale}

    with registry.cursor() as cr:
        env = environment(cr)
        today = fields.Date.context_today(env["staffing.forecast.line"])
        result["today"] = today
        cr.execute("SHOW server_version")
        result["postgres"] = cr.fetchone()[0]
        # a fifth of the consultants roll off within the radar's horizon, so
        # the roll-off radar is timed with rows and matches in every mode
        result.update(Generator(env, scale, today, ROLLOFF_SHARE).run())
    with registry.cursor() as cr:
        analyze(cr)

    if screens_only:
        print("  ledger and forecast build, then the screens", file=sys.stderr)
        with registry.cursor() as cr:
            env = environment(cr)
            env["staffing.ledger"].action_rebuild()
            env["staffing.forecast.line"]._refresh_all()
        with registry.cursor() as cr:
            analyze(cr)
        measure_screens_and_matching(registry, result, today)
        databases.release(dbname)
        return result

    print("  full ledger build", file=sys.stderr)
    with registry.cursor() as cr:
        measure_ledger_build(environment(cr), result)
        cr.rollback()
    with registry.cursor() as cr:
        analyze(cr)

    print("  full build and floor", file=sys.stderr)
    with registry.cursor() as cr:
        measure_full_build(environment(cr), result)
    with registry.cursor() as cr:
        analyze(cr)

    if smallest and scale <= REFERENCE_MAX_SCALE:
        with registry.cursor() as cr:
            measure_orm_reference(environment(cr), result)
            cr.rollback()
        with registry.cursor() as cr:
            measure_consistency(environment(cr), result, today)
            cr.rollback()

    print("  incremental changes", file=sys.stderr)
    with registry.cursor() as cr:
        measure_incremental(environment(cr), result, today)
        cr.rollback()

    print("  matching on the ledger", file=sys.stderr)
    with registry.cursor() as cr:
        measure_matching(environment(cr), result, today)
        cr.rollback()

    print("  finance pivot", file=sys.stderr)
    with registry.cursor() as cr:
        measure_pivot(environment(cr), result)
        cr.rollback()

    print("  PMO and finance screens", file=sys.stderr)
    with registry.cursor() as cr:
        measure_screens(environment(cr), result, today)
        cr.rollback()

    if smallest:
        print("  load check and timeline at volume (SQL copies)", file=sys.stderr)
        with registry.cursor() as cr:
            measure_volume(environment(cr), result, today)
            cr.rollback()

    if pfl:
        with registry.cursor() as cr:
            env = environment(cr)
            result["plan"] = extract_plan(env)
            result["forecast_horizon"] = env.company.forecast_horizon_months

    databases.release(dbname)
    return result


# ------------------------------------------------------------------ report


class Report:
    def __init__(self, results, pfl_note=""):
        self.results = results
        self.pfl_note = pfl_note
        self.passed = 0
        self.failed = 0

    def verdict(self, ratio, target):
        ok = ratio <= target
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return f"{ratio:.2f}x {'PASS' if ok else 'FAIL'} (<= {target:g}x)"

    def verdict_min(self, ratio, target):
        ok = ratio >= target
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return f"{ratio:.2f}x {'PASS' if ok else 'FAIL'} (>= {target:g}x)"

    def render_pfl(self, r, pfl_note):
        if "pfl_time" not in r:
            return ["", f"OCA project_forecast_line: not measured ({pfl_note})"]
        ours_time = r["ledger_time"] + r["build_time"]
        ours = ours_time / r["rows"]
        theirs = r["pfl_time"] / r["pfl_rows"]
        rows = [
            [
                "  project_forecast_line: _cron_recompute_all(force_delete)",
                fmt_time(r["pfl_time"]),
                fmt_int(r["pfl_rows"]),
                fmt_time(theirs * 1000),
            ],
            *(
                [f"    rows of {model or '-'}", "", fmt_int(count), ""]
                for model, count in r["pfl_by_model"]
            ),
            [
                "  ours: ledger build + forecast _refresh_all",
                fmt_time(ours_time),
                fmt_int(r["rows"]),
                fmt_time(ours * 1000),
            ],
        ]
        return [
            "",
            f"OCA project_forecast_line side by side ({r['scale']} consultants, the "
            f"same consultants, calendar, leave and planned work; {pfl_note}):",
            f"  its lines per day over {r['pfl_horizon']} months ahead; ours per day "
            f"over {r['forecast_horizon']} months ahead and the history; data "
            f"loaded in {fmt_time(r['pfl_generation'])}",
            *self.table(rows, ["", "time", "rows", "per 1000 rows"]),
            f"  per row, project_forecast_line / ours  "
            f"{self.verdict_min(theirs / ours, PFL_TARGET)}",
        ]

    def screen_rows(self, res, line, text):
        """Roll-off radar, missing actuals and demand outlook: time to open."""
        rows = [
            text(
                f"PMO screens, a page of {SCREEN_PAGE} rows (best of {SCREEN_RUNS})",
                [""] * len(res),
            )
        ]
        for key, label in (
            ("rolloff", "roll-off radar (with matches)"),
            ("missing", "missing actuals"),
            ("outlook", "demand outlook list"),
        ):
            rows += [
                line(f"  {label}", f"{key}_time", fmt_time, ratio=True),
                text(
                    f"    <= {SCREEN_TARGET:g} s",
                    [self.verdict_abs(r[f"{key}_time"], SCREEN_TARGET) for r in res],
                ),
                line("    rows in all", f"{key}_rows", fmt_int, ratio=True),
                line("    SQL reference (its query, counted)", f"{key}_sql", fmt_time),
            ]
        rows += [
            line("  demand outlook pivot", "outlook_pivot_time", fmt_time, ratio=True),
            text(
                f"    <= {SCREEN_TARGET:g} s",
                [self.verdict_abs(r["outlook_pivot_time"], SCREEN_TARGET) for r in res],
            ),
        ]
        return rows

    def matching_rows(self, res, line, text):
        return [
            text(
                f"matching on the staffing ledger (best of {MATCHING_RUNS})",
                [""] * len(res),
            ),
            text(
                "  eligible consultants (ranked)",
                [f"{r['cand_eligible']:,} ({r['cand_found']})" for r in res],
            ),
            line("  get_candidates", "cand_time", fmt_time, ratio=True),
            text(
                f"    <= {CANDIDATES_TARGET * 1000:.0f} ms",
                [self.verdict_abs(r["cand_time"], CANDIDATES_TARGET) for r in res],
            ),
            line("    queries", "cand_queries", fmt_int, ratio=True),
            line("    SQL reference (free hours, top 10)", "cand_sql", fmt_time),
            line("  get_earliest_feasible_date", "earliest_time", fmt_time),
            text(
                f"    <= {EARLIEST_TARGET * 1000:.0f} ms",
                [self.verdict_abs(r["earliest_time"], EARLIEST_TARGET) for r in res],
            ),
            line("  search is_overloaded = True", "overload_time", fmt_time),
            text(
                f"    <= {OVERLOAD_TARGET * 1000:.0f} ms",
                [self.verdict_abs(r["overload_time"], OVERLOAD_TARGET) for r in res],
            ),
            line("    allocations found", "overloaded", fmt_int),
            line("  confirm-time load check", "load_check_time", fmt_time, ratio=True),
            line("    allocations in the database", "load_check_allocations", fmt_int),
        ]

    def render_screens(self, meta):
        res = self.results
        headers = ["", *(f"{r['scale']:,} consultants" for r in res)]

        def line(label, key, fmt, ratio=False):
            return [label, *(fmt(r[key]) for r in res)]

        def text(label, values):
            return [label, *values]

        rows = [
            line("allocations", "allocations", fmt_int),
            *self.matching_rows(res, line, text),
            *self.screen_rows(res, line, text),
        ]
        out = [
            "resource_forecast scale benchmark (screens only)",
            *(f"  {key}: {value}" for key, value in meta.items()),
            "",
            *self.table(rows, headers),
            "",
            f"targets: {self.passed} passed, {self.failed} failed",
        ]
        return "\n".join(out)

    def verdict_abs(self, seconds, target):
        ok = seconds <= target
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return f"{'PASS' if ok else 'FAIL'}"

    def table(self, rows, headers):
        widths = [
            max(len(str(row[col])) for row in [headers, *rows])
            for col in range(len(headers))
        ]
        out = []
        for number, row in enumerate([headers, *rows]):
            cells = [
                str(cell).ljust(width) if col == 0 else str(cell).rjust(width)
                for col, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            out.append("  ".join(cells).rstrip())
            if number == 0:
                out.append("  ".join("-" * width for width in widths))
        return out

    def render_volume(self, r):
        """The load check and the timeline as allocations grow (one scale)."""
        small, large = r["load_small_count"], r["load_large_count"]
        rows = [
            [
                f"  confirm-time load check, {small:,} allocations",
                fmt_time(r["load_small_time"]),
                fmt_time(r["load_small_sql"]),
                fmt_ratio(r["load_small_time"] / r["load_small_sql"]),
            ],
            [
                f"  confirm-time load check, {large:,} allocations",
                fmt_time(r["load_large_time"]),
                fmt_time(r["load_large_sql"]),
                fmt_ratio(r["load_large_time"] / r["load_large_sql"]),
            ],
            [
                f"  timeline search_read, {r['timeline_rows']:,} allocations",
                fmt_time(r["timeline_time"]),
                fmt_time(r["timeline_sql"]),
                fmt_ratio(r["timeline_time"] / r["timeline_sql"]),
            ],
        ]
        out = [
            "",
            f"volume ({r['scale']} consultants plus {r['volume_copies']:,} SQL "
            f"copies; best of {LOAD_RUNS} load checks, {TIMELINE_RUNS} timeline "
            "reads):",
            *self.table(rows, ["", "product", "SQL reference", "ratio"]),
            f"  load check t({large:,}) / t({small:,})  "
            f"{self.verdict(r['load_ratio'], LOAD_TARGET)}",
            "  timeline / SQL reference: no target; "
            f"is_overloaded agrees with SQL: {'yes' if r['timeline_agree'] else 'NO'}",
            "  copies' ledger equals a rebuild: "
            + ("yes" if r["volume_exact"] else "NO"),
        ]
        return out

    def render(self, meta):
        res = self.results
        first, last = res[0], res[-1]
        headers = ["", *(f"{r['scale']} consultants" for r in res)]
        if len(res) > 1:
            headers.append(f"{last['scale']} / {first['scale']}")

        def line(label, key, fmt, ratio=False):
            cells = [label, *(fmt(r.get(key)) for r in res)]
            if len(res) > 1:
                cells.append(
                    fmt_ratio(last[key] / first[key])
                    if ratio and first.get(key)
                    else ""
                )
            return cells

        def text(label, values, last_cell=""):
            cells = [label, *values]
            if len(res) > 1:
                cells.append(last_cell)
            return cells

        rows = [
            text("data", [""] * len(res)),
            text(
                "  projects (customers)",
                [f"{r['projects']:,} ({r['customers']:,})" for r in res],
            ),
            text(
                "  consultants (external)",
                [f"{r['consultants']} ({r['external']})" for r in res],
            ),
            text(
                "  allocations (confirmed)",
                [f"{r['allocations']:,} ({r['confirmed']:,})" for r in res],
            ),
            line("  timesheets", "timesheets", fmt_int),
            line("  leaves", "leaves", fmt_int),
            line("  rate changes", "rates", fmt_int),
            line("  generation time", "generation", fmt_time, ratio=True),
            text(
                f"full ledger build (once, batches of {LEDGER_BATCH})", [""] * len(res)
            ),
            line("  _rebuild of every consultant", "ledger_time", fmt_time, ratio=True),
            line("  ledger rows (day totals)", "ledger_rows", fmt_int, ratio=True),
            line(
                "  bookings (allocation-days)", "ledger_bookings", fmt_int, ratio=True
            ),
            text("full build (once)", [""] * len(res)),
            line("  _refresh_all", "build_time", fmt_time, ratio=True),
            line("    of which _compute_rows", "build_compute", fmt_time, ratio=True),
            line("    of which _insert_rows", "build_insert", fmt_time, ratio=True),
            line("  rows built", "rows", fmt_int, ratio=True),
            text(
                "  per 1000 rows",
                [fmt_time(r["build_time"] / r["rows"] * 1000) for r in res],
            ),
            line(
                f"  SQL reference: INSERT SELECT into the table (best of {FLOOR_RUNS})",
                "floor_real_time",
                fmt_time,
                ratio=True,
            ),
            text(
                "  build / SQL reference",
                [self.verdict(r["build_real_ratio"], BUILD_TARGET) for r in res],
            ),
            line(
                f"  floor: INSERT SELECT into a temp table (best of {FLOOR_RUNS})",
                "floor_time",
                fmt_time,
                ratio=True,
            ),
            text(
                "  build / floor (no target)",
                [fmt_ratio(r["build_ratio"]) for r in res],
            ),
            text(
                "  ORM create() row by row",
                [fmt_time(r.get("orm_time")) for r in res],
            ),
            text(
                "  ORM / build",
                [fmt_ratio(r.get("orm_ratio")) for r in res],
            ),
        ]
        rows.append(
            text(f"incremental, hooks on (best of {INCREMENTAL_RUNS})", [""] * len(res))
        )
        flat = []
        for key, label in (
            ("alloc", "allocation hours write"),
            ("timesheet", "timesheet create"),
            ("leave", "leave create"),
        ):
            rows.append(line(f"  {label}", f"inc_{key}_time", fmt_time, ratio=True))
            rows.append(
                line(
                    "    of which _refresh", f"inc_{key}_refresh", fmt_time, ratio=True
                )
            )
            rows.append(
                line("    rows touched", f"inc_{key}_rows", fmt_int, ratio=True)
            )
            rows.append(
                line("    rows off a rebuild after", f"inc_{key}_drift", fmt_int)
            )
            if len(res) > 1:
                ratio = last[f"inc_{key}_time"] / first[f"inc_{key}_time"]
                flat.append((label, ratio))
        rows += [
            *self.matching_rows(res, line, text),
            text(f"finance pivot (best of {PIVOT_RUNS}, warm)", [""] * len(res)),
            line("  read_group", "pivot_orm", fmt_time, ratio=True),
            line("    its own SQL run alone", "pivot_orm_sql", fmt_time, ratio=True),
            line("  hand-written GROUP BY", "pivot_sql", fmt_time, ratio=True),
            text(
                "  read_group / SQL",
                [self.verdict(r["pivot_ratio"], PIVOT_TARGET) for r in res],
            ),
            text(
                "  groups (sums agree)",
                [
                    f"{r['pivot_groups']:,} ({'yes' if r['pivot_agree'] else 'NO'})"
                    for r in res
                ],
            ),
        ]
        rows += self.screen_rows(res, line, text)
        out = [
            "resource_forecast scale benchmark",
            *(f"  {key}: {value}" for key, value in meta.items()),
            "",
            *self.table(rows, headers),
            "",
        ]
        if flat:
            out.append(
                f"incremental cost flat in scale ({last['scale']} vs "
                f"{first['scale']} consultants, time ratio):"
            )
            for label, ratio in flat:
                out.append(f"  {label:<24} {self.verdict(ratio, FLAT_TARGET)}")
        else:
            out.append("incremental flatness: needs two scales, not measured")
        out.append(f"incremental subject: {first['inc_subject']}")
        if "load_ratio" in first:
            out += self.render_volume(first)
        pfl = next((r for r in res if "pfl_time" in r), None)
        out += self.render_pfl(pfl or first, self.pfl_note)
        if "holiday_drift" in first:
            out.append(
                f"consistency ({first['scale']} consultants, not a target): a "
                f"public holiday on {first['holiday_day']} through the hooks leaves "
                f"{first['holiday_drift']:,} rows off a full rebuild"
                + (" (exact)" if not first["holiday_drift"] else " (WRONG)")
            )
        else:
            out.append(
                "ORM reference and consistency probe skipped: smallest scale above "
                f"{REFERENCE_MAX_SCALE}"
            )
        if any(
            r["build_returned"] != r["rows"]
            or ("orm_rows" in r and r["orm_rows"] != r["rows"])
            for r in res
        ):
            out.append("WARNING: row counts disagree between build, return, ORM")
        out.append(f"targets: {self.passed} passed, {self.failed} failed")
        return "\n".join(out)


def run_pfl_side(databases, prefix, result, note):
    """Install project_forecast_line in a template of its own, then run it on
    the data of ``result``'s scale; the note says why not if it fails."""
    print(
        "installing project_forecast_line into its own template (2-3 min)...",
        file=sys.stderr,
        flush=True,
    )
    template = f"{prefix}_pfl_tpl"
    try:
        databases.install_template(template, "project_forecast_line")
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return f"install failed: {str(error).splitlines()[0]}"
    result.update(
        run_pfl(
            databases,
            template,
            prefix,
            result.pop("plan"),
            result["scale"],
            result["forecast_horizon"],
        )
    )
    return note


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales",
        default="30,300",
        help="consultant counts, comma-separated (default 30,300); the ORM "
        "reference runs at the smallest, incremental ratios compare the "
        "smallest and the largest",
    )
    parser.add_argument(
        "--max-scale",
        type=int,
        default=3000,
        help="refuse scales above this (default 3000)",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the databases it made"
    )
    parser.add_argument(
        "--no-pfl",
        action="store_true",
        help="skip the side by side with OCA project_forecast_line",
    )
    parser.add_argument(
        "--pfl-scale",
        type=int,
        help="scale of the project_forecast_line run (default: the smallest)",
    )
    parser.add_argument(
        "--pfl-path",
        help="addons directory holding project_forecast_line (default: the "
        "installed release, else the pinned one downloaded with pip)",
    )
    parser.add_argument(
        "--only-screens",
        action="store_true",
        help="generate the data, build the ledger and forecast, and time only "
        "the PMO and finance screens (radar, missing actuals, outlook)",
    )
    parser.add_argument(
        "--reuse-db",
        help="comma-separated databases kept by an earlier --only-screens "
        "--keep-db run: time the screens and the matching again on them with "
        "the current code, without generating anything (never dropped)",
    )
    parser.add_argument(
        "--template",
        help="use this existing database (resource_forecast installed, no demo) "
        "as template instead of installing one; it is never dropped",
    )
    args = parser.parse_args(argv)
    try:
        args.scales = sorted({int(part) for part in args.scales.split(",") if part})
    except ValueError:
        parser.error("--scales takes integers, e.g. 30,300")
    if not args.scales or min(args.scales) < 1:
        parser.error("--scales needs positive consultant counts")
    if max(args.scales) > args.max_scale:
        parser.error(f"scale {max(args.scales)} is above --max-scale {args.max_scale}")
    if args.pfl_scale is None:
        args.pfl_scale = args.scales[0]
    elif args.pfl_scale not in args.scales:
        parser.error("--pfl-scale must be one of --scales")
    return args


def main(argv=None):
    args = parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="bench_forecast_")
    pfl_dir, pfl_note = (None, "--no-pfl") if args.no_pfl else (None, "")
    if not args.no_pfl and not args.only_screens:
        pfl_dir, pfl_note = find_pfl(data_dir, args.pfl_path)
        print(f"project_forecast_line: {pfl_note}", file=sys.stderr)
    databases = Databases(data_dir, [pfl_dir] if pfl_dir else [])
    prefix = f"bench_forecast_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    results = []
    started = time.perf_counter()
    try:
        if args.reuse_db:
            import odoo.release

            results = [
                rerun_scale(databases, name) for name in args.reuse_db.split(",")
            ]
            meta = {
                "date": time.strftime("%Y-%m-%d %H:%M %Z"),
                "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, "
                f"Python {platform.python_version()}, Odoo {odoo.release.version}, "
                f"PostgreSQL {results[0]['postgres']}",
                "reused databases": args.reuse_db,
                "total run": fmt_time(time.perf_counter() - started),
            }
            print(Report(results, pfl_note).render_screens(meta))
            return
        if args.template:
            template = args.template
            install_time = None
        else:
            template = f"{prefix}_tpl"
            print(
                f"installing resource_forecast into {template} (2-3 min)...",
                file=sys.stderr,
                flush=True,
            )
            install_started = time.perf_counter()
            databases.install_template(template)
            install_time = time.perf_counter() - install_started
        for scale in args.scales:
            result = run_scale(
                databases,
                template,
                prefix,
                scale,
                scale == args.scales[0],
                pfl=bool(pfl_dir) and scale == args.pfl_scale,
                screens_only=args.only_screens,
            )
            results.append(result)
            if "plan" in result:
                pfl_note = run_pfl_side(databases, prefix, result, pfl_note)
        import odoo.release

        meta = {
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, "
            f"Python {platform.python_version()}, Odoo {odoo.release.version}, "
            f"PostgreSQL {results[0]['postgres']}",
            "today (window anchor)": results[0]["today"],
            "template install": fmt_time(install_time),
            "total run": fmt_time(time.perf_counter() - started),
        }
        report = Report(results, pfl_note)
        print(report.render_screens(meta) if args.only_screens else report.render(meta))
    finally:
        if args.keep_db:
            print(
                f"kept databases: {', '.join(databases.names)}; data dir {data_dir}",
                file=sys.stderr,
            )
        else:
            databases.drop_all()
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Run the whole test suite: plain pytest, then Odoo with its browser tours.

Tiers:

* ``static``: ``pre-commit run --all-files``, every hook of
  ``.pre-commit-config.yaml`` but prettier (it installs from the npm registry;
  ``make lint`` runs it too): ruff, pylint-odoo, oca-checks-odoo-module,
  oca-checks-po and tools/check_extra.py. One hook is one test; a hook that
  finds something, or changes a file, fails;
* ``unit``: plain pytest over ``tests/`` (engine code without the ORM, and the
  proofs that each static tool fails on a broken copy);
* ``odoo``: a fresh, uniquely named database in which both addons are installed
  with their demo data, running their tests with ``--test-enable`` (the browser
  tours included, in headless Chromium); the database is dropped afterwards.

Odoo is found as an importable ``odoo`` package or through ``ODOO_PATH`` (an Odoo
18 source tree). The database connection follows the usual ``PGHOST``,
``PGPORT``, ``PGUSER`` and ``PGPASSWORD`` variables (default 127.0.0.1:5432,
user ``odoo``). When Odoo cannot be imported, the Odoo tier is skipped with a loud
line and the exit status says so only if ``--require-odoo`` is given.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("resource_sharing", "resource_forecast")
SKIP_LINE = "ODOO TIER SKIPPED: odoo not importable"
RESULT_RE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
STATS_RE = re.compile(r"odoo\.tests\.stats: (?P<addon>\w+): (?P<count>\d+) tests")
SKIPPED_RE = re.compile(r"odoo\.tests\.result: skipped ")
TOUR_RE = re.compile(r"(?:start_tour|Starting tour|tour\.\w+ succeeded|tour succeeded)")
STATIC_SKIP = "prettier-xml"
HOOK_RE = re.compile(r"^\S.*?\.+(?:\(.*\))?(?P<status>Passed|Failed|Skipped)$", re.M)


class TierResult:
    def __init__(self, name, passed=0, failed=0, skipped=0, ran=True, notes=()):
        self.name = name
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
        self.ran = ran
        self.notes = list(notes)

    @property
    def ok(self):
        return self.ran and not self.failed and not self.skipped

    def line(self):
        if not self.ran:
            return f"{self.name}: not run"
        return (
            f"{self.name}: {self.passed} passed, {self.failed} failed, "
            f"{self.skipped} skipped"
        )


def _odoo_env():
    env = dict(os.environ)
    odoo_path = env.get("ODOO_PATH")
    if odoo_path:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [odoo_path, env.get("PYTHONPATH")])
        )
    return env


def odoo_importable():
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo.release; print(odoo.release.version)"],
        env=_odoo_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0, probe.stdout.strip()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_static(root=ROOT):
    print(f"=== static tier: pre-commit hooks (SKIP={STATIC_SKIP}) ===", flush=True)
    skip = ",".join(filter(None, [os.environ.get("SKIP"), STATIC_SKIP]))
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color=never"],
        cwd=root,
        env={**os.environ, "SKIP": skip},
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stdout.write(proc.stdout + proc.stderr)
    return static_result(proc.stdout, proc.returncode)


def static_result(output, returncode):
    """Count pre-commit's hooks that passed and that failed.

    A hook is skipped when no file matches it (no ``.rej`` file, say) or when
    SKIP names it: neither is a test that should have run, so neither counts.
    """
    statuses = [match["status"] for match in HOOK_RE.finditer(output)]
    passed, failed = statuses.count("Passed"), statuses.count("Failed")
    notes = []
    if returncode and not failed:
        notes.append(f"pre-commit exited with status {returncode}")
        failed = 1
    if not passed and not failed:
        notes.append("no pre-commit hook ran")
        failed = 1
    return TierResult("static", passed=passed, failed=failed, notes=notes)


def run_unit(pytest_args):
    print("=== unit tier: plain pytest (engine, static checks) ===", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *pytest_args,
        ]
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        if not report.exists():
            return TierResult("unit", failed=1, notes=["pytest wrote no report"])
        suites = ET.parse(report).getroot()
        total = failures = errors = skipped = 0
        for suite in suites.iter("testsuite"):
            total += int(suite.get("tests", 0))
            failures += int(suite.get("failures", 0))
            errors += int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
    failed = failures + errors
    if proc.returncode not in (0, 1) and not failed:
        failed = 1  # pytest itself broke (usage error, no tests collected, ...)
    if total == 0:
        failed = max(failed, 1)
    return TierResult(
        "unit", passed=total - failed - skipped, failed=failed, skipped=skipped
    )


def _pg_args():
    args = [
        "--db_host",
        os.environ.get("PGHOST", "127.0.0.1"),
        "--db_port",
        os.environ.get("PGPORT", "5432"),
        "--db_user",
        os.environ.get("PGUSER", "odoo"),
    ]
    if os.environ.get("PGPASSWORD"):
        args += ["--db_password", os.environ["PGPASSWORD"]]
    return args


def pg_connect(dbname):
    """A connection with the PG* settings; psycopg2 comes with Odoo."""
    import psycopg2  # only needed when Odoo is there

    return psycopg2.connect(
        dbname=dbname,
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "odoo"),
        password=os.environ.get("PGPASSWORD") or None,
    )


def drop_database(name):
    from psycopg2 import sql

    conn = pg_connect("postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            cur.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
            )
    finally:
        conn.close()


def odoo_command(dbname, data_dir, test_tags, extra_addons):
    addons_path = [str(ROOT / "addons"), *extra_addons]
    return [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        dbname,
        *_pg_args(),
        f"--addons-path={','.join(addons_path)}",
        f"--data-dir={data_dir}",
        "-i",
        ",".join(ADDONS),
        "--test-enable",
        f"--test-tags={test_tags}",
        "--stop-after-init",
        f"--http-port={free_port()}",
        "--gevent-port=0",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=info",
        "--log-handler=odoo.tests.stats:INFO",
    ]


def run_odoo(test_tags, keep_db):
    print("=== odoo tier: install both addons with demo data, run their tests ===")
    dbname = f"rs_test_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    extra = [p for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
    data_dir = tempfile.mkdtemp(prefix="rs_odoo_data_")
    cmd = odoo_command(dbname, data_dir, test_tags, extra)
    print(f"database {dbname}", flush=True)
    started = time.time()
    log_lines = []
    try:
        with subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=_odoo_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        ) as proc:
            worth_showing = LogFilter()
            for line in proc.stdout:
                log_lines.append(line)
                if worth_showing(line):
                    sys.stdout.write(line)
                    sys.stdout.flush()
        returncode = proc.returncode
    finally:
        if not keep_db:
            drop_database(dbname)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"odoo tier took {time.time() - started:.0f}s", flush=True)
    return _odoo_result(log_lines, returncode)


LOG_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
SHOWN = (" ERROR ", " CRITICAL ", " WARNING ", "odoo.tests.stats", "odoo.tests.result")


class LogFilter:
    """Keep problems and results of the Odoo log, with their tracebacks."""

    def __init__(self):
        self.showing = True

    def __call__(self, line):
        if LOG_START.match(line):
            self.showing = any(marker in line for marker in SHOWN)
        return self.showing


def _odoo_result(log_lines, returncode):
    text = "".join(log_lines)
    notes = []
    matches = list(RESULT_RE.finditer(text))
    match = matches[-1] if matches else None
    if not match:
        notes.append("no test result line in the Odoo log")
        return TierResult("odoo", failed=1, notes=notes)
    run = int(match["run"])
    failed = int(match["failed"]) + int(match["errors"])
    skipped = len(SKIPPED_RE.findall(text))
    per_addon = {}
    for stat in STATS_RE.finditer(text):
        per_addon[stat["addon"]] = per_addon.get(stat["addon"], 0) + int(stat["count"])
    for addon in ADDONS:
        count = per_addon.get(addon, 0)
        print(f"odoo tier: {addon} ran {count} tests")
        if not count:
            notes.append(f"{addon} ran no test")
            failed += 1
    if returncode and not failed:
        notes.append(f"odoo exited with status {returncode}")
        failed = 1
    return TierResult(
        "odoo", passed=run - failed, failed=failed, skipped=skipped, notes=notes
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tier", choices=("all", "static", "unit", "odoo"), default="all"
    )
    parser.add_argument(
        "--test-tags",
        default=",".join(f"/{addon}" for addon in ADDONS),
        help="Odoo --test-tags (default: every test of both addons)",
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--require-odoo",
        action="store_true",
        help="fail when odoo cannot be imported instead of skipping its tier",
    )
    parser.add_argument("pytest_args", nargs="*", default=[])
    args = parser.parse_args(argv)

    results = []
    if args.tier in ("all", "static"):
        results.append(run_static())
    if args.tier in ("all", "unit"):
        results.append(run_unit(args.pytest_args))
    if args.tier in ("all", "odoo"):
        importable, version = odoo_importable()
        if importable:
            print(f"odoo {version} found", flush=True)
            results.append(run_odoo(args.test_tags, args.keep_db))
        else:
            print(SKIP_LINE, flush=True)
            results.append(TierResult("odoo", ran=False, failed=int(args.require_odoo)))

    print("=== summary ===")
    for result in results:
        print(result.line())
        for note in result.notes:
            print(f"  ! {note}")
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    skipped = sum(r.skipped for r in results)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if all(r.ok or not r.ran and not r.failed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

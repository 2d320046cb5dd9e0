#!/usr/bin/env python3
"""Run the whole test suite in one pytest invocation.

Tiers, all collected by the same ``pytest`` run (its ``-k``, junit report and
counts cover them together):

* ``static``: ``tests/static/test_hooks.py``, one test per hook of
  ``.pre-commit-config.yaml`` but prettier (it installs from the npm registry;
  ``make lint`` runs it too): ruff, pylint-odoo, oca-checks-odoo-module,
  oca-checks-po and tools/check_extra.py. A hook that finds something, or
  changes a file, fails its test;
* ``unit``: the rest of ``tests/`` (engine code without the ORM, and the proofs
  that each static tool and this runner fail when they should);
* ``odoo``: ``addons/*/tests`` through pytest-odoo, against a fresh, uniquely
  named database in which this runner first installs both addons with their
  demo data; the browser tours run in headless Chromium on pytest-odoo's HTTP
  server. The database is dropped afterwards.

Odoo is found as an importable ``odoo`` package or through ``ODOO_PATH`` (an Odoo
18 source tree). The database connection follows the usual ``PGHOST``,
``PGPORT``, ``PGUSER`` and ``PGPASSWORD`` variables (default 127.0.0.1:5432,
user ``odoo``). When Odoo cannot be imported, the Odoo tier is skipped with a loud
line and the exit status says so only if ``--require-odoo`` is given. The last
line counts every test: ``N passed, N failed, N skipped``; a skipped test makes
the run red.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("resource_sharing", "resource_forecast")
SKIP_LINE = "ODOO TIER SKIPPED: odoo not importable"
STATIC_SKIP = "prettier-xml"
HOOK_RE = re.compile(r"^\S.*?\.+(?:\(.*\))?(?P<status>Passed|Failed|Skipped)$", re.M)
HOOKS_TEST = "tests/static/test_hooks.py"
ODOO_TESTS = tuple(f"addons/{addon}/tests" for addon in ADDONS)


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


def run_hook(hook_id, root=ROOT):
    """Run one pre-commit hook over every file of ``root``'s repository.

    :return: (whether it passed, its output)
    """
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "run",
            hook_id,
            "--all-files",
            "--color=never",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    output = proc.stdout + proc.stderr
    return hook_verdict(output, proc.returncode), output


def hook_verdict(output, returncode):
    """A hook passes when pre-commit says so (or found no file for it) and exits 0.

    Output without any hook status (pre-commit missing, an unknown hook id) is
    a failure, as is a non-zero exit without a "Failed" line.
    """
    statuses = [match["status"] for match in HOOK_RE.finditer(output)]
    return bool(statuses) and "Failed" not in statuses and returncode == 0


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


def install_command(python, dbname, data_dir, extra_addons):
    """Install both addons with their demo data into a new database.

    ``python`` is the interpreter of the virtualenv the addons' wheels went
    into: Odoo finds them under its ``odoo/addons`` namespace there, as any
    pip-installed OCA addon, so no addons path points at this repository.
    """
    return [
        python,
        "-m",
        "odoo",
        "-d",
        dbname,
        *_pg_args(),
        *([f"--addons-path={','.join(extra_addons)}"] if extra_addons else []),
        f"--data-dir={data_dir}",
        "--load=base,web,queue_job",
        "-i",
        ",".join(ADDONS),
        "--stop-after-init",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]


def wheel_env(tmp):
    """A virtualenv next to Odoo holding the addons as built wheels.

    The wheels are built offline from copies of the addons (as the Docker
    image does) and installed without an index: their requirements (odoo and
    the OCA addons) must already be met by the interpreter's own packages.

    :return: (the virtualenv's python, problems as text or "")
    """
    tmp = Path(tmp)
    sources = [shutil.copytree(ROOT / "addons" / name, tmp / name) for name in ADDONS]
    venv = tmp / "venv"
    python = str(venv / "bin" / "python")
    steps = (
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet"),
            *("--no-build-isolation", "--no-index", "--wheel-dir", str(tmp / "dist")),
            *map(str, sources),
        ],
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
        # the wheels exist once the first step ran: listed when it comes
        lambda: [
            *(python, "-m", "pip", "install", "--quiet", "--no-index"),
            "--disable-pip-version-check",
            *(str(wheel) for wheel in sorted((tmp / "dist").glob("*.whl"))),
        ],
    )
    for step in steps:
        step = step() if callable(step) else step
        proc = subprocess.run(step, capture_output=True, text=True, check=False)
        if proc.returncode:
            return python, f"{' '.join(step[:4])} failed:\n{proc.stdout}{proc.stderr}"
    probe = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util as u; "
            "print(u.find_spec('odoo.addons.resource_sharing').origin)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if not probe.stdout.startswith(str(venv)):
        return python, f"resource_sharing not found in the wheels' virtualenv: {probe}"
    return python, ""


def pytest_odoo_args(dbname, data_dir, addons_path):
    """pytest-odoo's options: the database, Odoo's settings and its HTTP server."""
    extra = [
        f"db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"db_port={os.environ.get('PGPORT', '5432')}",
        f"db_user={os.environ.get('PGUSER', 'odoo')}",
    ]
    if os.environ.get("PGPASSWORD"):
        extra.append(f"db_password={os.environ['PGPASSWORD']}")
    return [
        # pytest.ini disables the plugin for plain runs; this run wants it
        "-o",
        "addopts=-q",
        f"--odoo-database={dbname}",
        f"--odoo-addons-path={','.join(addons_path)}",
        "--odoo-http",
        "--odoo-log-level=warn",
        *(f"--odoo-extra={option}" for option in extra),
        "--odoo-extra=load=base,web,queue_job",
        "--odoo-extra=max-cron-threads=0",
        *([f"--odoo-extra=data-dir={data_dir}"] if data_dir else []),
    ]


def install_database(dbname, data_dir, extra_addons):
    print(
        f"=== odoo: installing both addons from their wheels, with demo data, "
        f"into {dbname} ===",
        flush=True,
    )
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="rs_wheels_") as tmp:
        python, problem = wheel_env(tmp)
        if problem:
            print(problem)
            return False
        proc = subprocess.run(
            install_command(python, dbname, data_dir, extra_addons),
            cwd=data_dir,
            env=_odoo_env(),
            capture_output=True,
            text=True,
            check=False,
        )
    problems = [
        line
        for line in (proc.stdout + proc.stderr).splitlines()
        if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")
    ]
    # three community modules of some Odoo trees depend on removed enterprise
    # ones and say so at start; nothing of ours
    problems = [line for line in problems if "inconsistent states" not in line]
    print(f"installed in {time.time() - started:.0f}s", flush=True)
    if proc.returncode or problems:
        sys.stdout.write(proc.stdout[-20000:] + proc.stderr[-20000:])
        return False
    return True


def tier_of(testcase):
    """The tier of a junit ``testcase`` element, from its file or class."""
    where = (testcase.get("file") or "") + " " + (testcase.get("classname") or "")
    if "test_hooks" in where:
        return "static"
    for addon in ADDONS:
        if f"{addon}.tests" in where or f"{addon}/tests" in where:
            return f"odoo:{addon}"
    return "unit"


def junit_results(report, tiers, strict=True):
    """Per-tier counts of a pytest junit report.

    ``strict``: every tier asked for, and the tests of both addons, must have
    run (not when the caller narrowed the run with ``-k`` and the like).
    """
    counts = {tier: [0, 0, 0] for tier in tiers}
    per_addon = dict.fromkeys(ADDONS, 0)
    for case in ET.parse(report).getroot().iter("testcase"):
        tier = tier_of(case)
        if tier.startswith("odoo:"):
            per_addon[tier[len("odoo:") :]] += 1
            tier = "odoo"
        bucket = counts.setdefault(tier, [0, 0, 0])
        if case.find("failure") is not None or case.find("error") is not None:
            bucket[1] += 1
        elif case.find("skipped") is not None:
            bucket[2] += 1
        else:
            bucket[0] += 1
    results = []
    for tier, (passed, failed, skipped) in counts.items():
        notes = []
        if strict and not passed + failed + skipped:
            notes.append("no test ran")
            failed += 1
        if tier == "odoo":
            for addon, count in per_addon.items():
                print(f"odoo tier: {addon} ran {count} tests")
                if strict and not count:
                    notes.append(f"{addon} ran no test")
                    failed += 1
        results.append(TierResult(tier, passed, failed, skipped, notes=notes))
    return results


def run_pytest(paths, tiers, pytest_args, odoo_args=(), narrowed=False):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *odoo_args,
            *pytest_args,
            *paths,
        ]
        env = {**_odoo_env(), "SKIP": STATIC_SKIP}
        proc = subprocess.run(cmd, cwd=ROOT, env=env, check=False)
        if not report.exists():
            return [TierResult("pytest", failed=1, notes=["pytest wrote no report"])]
        results = junit_results(report, tiers, strict=not narrowed)
    if proc.returncode not in (0, 1) and not any(r.failed for r in results):
        # pytest itself broke (usage error, nothing collected, ...)
        results.append(
            TierResult("pytest", failed=1, notes=[f"exit status {proc.returncode}"])
        )
    return results


def paths_of(tiers):
    paths = []
    if "static" in tiers:
        paths.append(HOOKS_TEST)
    if "unit" in tiers:
        paths.append("tests")
    if "odoo" in tiers:
        paths.extend(ODOO_TESTS)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tier", choices=("all", "static", "unit", "odoo"), default="all"
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--use-db",
        metavar="DB",
        help="run the Odoo tier on this database, where both addons are "
        "installed, instead of installing a fresh one (never dropped)",
    )
    parser.add_argument(
        "--require-odoo",
        action="store_true",
        help="fail when odoo cannot be imported instead of skipping its tier",
    )
    parser.add_argument(
        "pytest_args",
        nargs="*",
        default=[],
        help="passed to pytest, e.g. -k TestSharing (after --)",
    )
    args = parser.parse_args(argv)

    tiers = ["static", "unit", "odoo"] if args.tier == "all" else [args.tier]
    pytest_args = list(args.pytest_args)
    narrowed = bool(pytest_args)
    if "unit" in tiers and "static" not in tiers:
        pytest_args.append(f"--ignore={HOOKS_TEST}")
    results = []
    odoo_args = ()
    dbname = data_dir = None
    if "odoo" in tiers:
        importable, version = odoo_importable()
        if importable:
            print(f"odoo {version} found", flush=True)
            extra = [p for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
            addons_path = [str(ROOT / "addons"), *extra]
            if args.use_db:
                odoo_args = pytest_odoo_args(args.use_db, None, addons_path)
            elif install_database(
                dbname := f"rs_test_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}",
                data_dir := tempfile.mkdtemp(prefix="rs_odoo_data_"),
                extra,
            ):
                odoo_args = pytest_odoo_args(dbname, data_dir, addons_path)
            else:
                results.append(
                    TierResult("odoo", failed=1, notes=["the addons did not install"])
                )
                tiers.remove("odoo")
        else:
            print(SKIP_LINE, flush=True)
            results.append(TierResult("odoo", ran=False, failed=int(args.require_odoo)))
            tiers.remove("odoo")
    try:
        if tiers:
            results.extend(
                run_pytest(paths_of(tiers), tiers, pytest_args, odoo_args, narrowed)
            )
    finally:
        if dbname and not args.keep_db:
            drop_database(dbname)
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)

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

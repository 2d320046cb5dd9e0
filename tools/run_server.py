#!/usr/bin/env python3
"""Start Odoo with both addons and their demo data, installing them on first run."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from run_suite import ADDONS, _odoo_env, _pg_args, odoo_importable  # noqa: E402


def database_ready(dbname):
    """True when the database exists and already holds the addons."""
    code = (
        "import sys, psycopg2\n"
        "try:\n"
        "    conn = psycopg2.connect(dbname=sys.argv[1], host=sys.argv[2], "
        "port=sys.argv[3], user=sys.argv[4], password=sys.argv[5] or None)\n"
        "except psycopg2.OperationalError:\n"
        "    sys.exit(1)\n"
        "cur = conn.cursor()\n"
        'cur.execute("SELECT count(*) FROM ir_module_module WHERE name IN %s '
        "AND state = 'installed'\", (tuple(sys.argv[6:]),))\n"
        "sys.exit(0 if cur.fetchone()[0] == len(sys.argv[6:]) else 1)\n"
    )
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            dbname,
            os.environ.get("PGHOST", "127.0.0.1"),
            os.environ.get("PGPORT", "5432"),
            os.environ.get("PGUSER", "odoo"),
            os.environ.get("PGPASSWORD", ""),
            *ADDONS,
        ],
        env=_odoo_env(),
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="resource_sharing")
    parser.add_argument("--port", default="8069")
    args = parser.parse_args()
    if not odoo_importable()[0]:
        sys.exit("odoo is not importable: install Odoo 18 or set ODOO_PATH")
    extra = [p for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        args.db,
        *_pg_args(),
        f"--addons-path={','.join([str(ROOT / 'addons'), *extra])}",
        f"--http-port={args.port}",
        f"--db-filter=^{args.db}$",
    ]
    if not database_ready(args.db):
        print(f"installing {', '.join(ADDONS)} with demo data in {args.db}")
        subprocess.run(
            [*cmd, "-i", ",".join(ADDONS), "--stop-after-init"],
            env=_odoo_env(),
            check=True,
        )
    os.execvpe(cmd[0], cmd, _odoo_env())


if __name__ == "__main__":
    main()

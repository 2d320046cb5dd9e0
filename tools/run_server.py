#!/usr/bin/env python3
"""Start Odoo with both addons and their demo data, installing them on first run."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from run_suite import (  # noqa: E402
    ADDONS,
    _odoo_env,
    _pg_args,
    odoo_importable,
    pg_connect,
)


def database_ready(dbname):
    """True when the database exists and already holds the addons."""
    import psycopg2  # comes with Odoo

    try:
        conn = pg_connect(dbname)
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM ir_module_module "
                "WHERE name IN %s AND state = 'installed'",
                (ADDONS,),
            )
            return cur.fetchone()[0] == len(ADDONS)
    except psycopg2.Error:
        return False
    finally:
        conn.close()


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
        # queue_job's runner starts with the server and runs the background
        # jobs (ledger roll-forward, rebuilds) in the threaded server
        "--load=base,web,queue_job",
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

#!/bin/bash
# Start the "odoo" service of docker-compose.yml.
#
# On the first start (database missing, or the project's modules not
# installed in it) create/complete the database with the modules and their
# demo data, then serve it. Later starts go straight to serving.
#
# Settings (environment):
#   ODOO_RC            Odoo configuration file (set by the odoo image)
#   ODOO_DB            database to initialise and serve (resource_sharing)
#   ODOO_INIT_MODULES  modules to install (resource_sharing,resource_forecast)
# Extra arguments are passed on to the serving odoo process.
set -euo pipefail

ODOO_RC="${ODOO_RC:-/etc/odoo/odoo.conf}"
ODOO_DB="${ODOO_DB:-resource_sharing}"
ODOO_INIT_MODULES="${ODOO_INIT_MODULES:-resource_sharing,resource_forecast}"

# Prints "ready" when every module is installed in the database, "init"
# otherwise; waits up to 60 s for PostgreSQL to accept connections.
db_state() {
    python3 - "$ODOO_RC" "$ODOO_DB" "$ODOO_INIT_MODULES" <<'PY'
import sys
import time

import psycopg2
from odoo.tools import config

rc, db_name, modules = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
config.parse_config(["-c", rc])
params = {
    "host": config["db_host"] or None,
    "port": config["db_port"] or None,
    "user": config["db_user"] or None,
    "password": config["db_password"] or None,
}

deadline = time.monotonic() + 60
while True:
    try:
        psycopg2.connect(dbname="postgres", **params).close()
        break
    except psycopg2.OperationalError as exc:
        if time.monotonic() > deadline:
            sys.exit(f"PostgreSQL is not reachable: {exc}")
        time.sleep(2)

try:
    conn = psycopg2.connect(dbname=db_name, **params)
except psycopg2.OperationalError:
    print("init")  # the database does not exist yet
    sys.exit(0)
with conn, conn.cursor() as cr:
    cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
    if not cr.fetchone()[0]:
        print("init")
        sys.exit(0)
    cr.execute(
        "SELECT count(*) FROM ir_module_module"
        " WHERE state = 'installed' AND name = ANY(%s)",
        (modules,),
    )
    print("ready" if cr.fetchone()[0] == len(modules) else "init")
conn.close()
PY
}

state="$(db_state)"
if [ "$state" = "init" ]; then
    echo "Initialising database '$ODOO_DB' with $ODOO_INIT_MODULES and demo data"
    # --without-demo= (empty) loads demo data whatever the config file says.
    odoo -c "$ODOO_RC" -d "$ODOO_DB" -i "$ODOO_INIT_MODULES" \
        --without-demo= --stop-after-init
fi

exec odoo -c "$ODOO_RC" -d "$ODOO_DB" "$@"

#!/usr/bin/env python3
"""Take the README's screenshots from the demo database in headless Chromium.

Usage::

    python3 tools/screenshots.py --db resource_sharing   # the `make run` database

It starts Odoo on a free port against a database where both addons are
installed with their demo data (``make run`` makes one), logs in as the demo
administrator, opens each screen of ``SHOTS`` in Chromium driven through the
DevTools protocol (``websocket-client``), waits until the screen's own element
is drawn and the network is quiet, and writes ``docs/screenshots/<name>.png``.
Run it again to refresh them after a change of the screens.
"""

import argparse
import base64
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from run_suite import _odoo_env, _pg_args, odoo_importable  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# name, path under /odoo, an element that says the screen is drawn
SHOTS = (
    (
        "planning-timeline",
        "/odoo/action-resource_sharing.staffing_allocation_action?view_type=timeline",
        ".o_timeline_view .vis-item",
    ),
    (
        "request-positions",
        "/odoo/action-resource_sharing.staffing_request_action/{request_id}",
        ".o_form_view .o_field_one2many .o_data_row",
    ),
    (
        "forecast-pivot",
        "/odoo/action-resource_forecast.staffing_forecast_line_action",
        ".o_pivot table",
    ),
)
WIDTH, HEIGHT = 1440, 900


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def json_rpc(url, params, cookie=None):
    request = urllib.request.Request(
        url,
        data=json.dumps({"jsonrpc": "2.0", "params": params}).encode(),
        headers={
            "Content-Type": "application/json",
            **({"Cookie": cookie} if cookie else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
        if body.get("error"):
            raise SystemExit(f"{url}: {body['error']['data']['message']}")
        return body["result"], response.headers.get("Set-Cookie", "")


class Browser:
    """Just enough of the DevTools protocol: cookies, navigation, a screenshot."""

    def __init__(self, chromium):
        import websocket  # websocket-client, in requirements-test.txt

        self.profile = tempfile.mkdtemp(prefix="rs_shots_")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_http(f"http://127.0.0.1:{self.port}/json/version", 30)
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json") as response:
            page = next(t for t in json.loads(response.read()) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def shoot(self, url, ready_selector, path, seconds=60):
        self.call("Page.navigate", url=url)
        deadline = time.time() + seconds
        selector = json.dumps(ready_selector)
        while not self.evaluate(f"!!document.querySelector({selector})"):
            if time.time() > deadline:
                raise SystemExit(f"{url}: {ready_selector} never appeared")
            time.sleep(0.5)
        time.sleep(2)  # let late requests and animations settle
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="resource_sharing")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()
    if not odoo_importable()[0]:
        sys.exit("odoo is not importable: install Odoo 18 or set ODOO_PATH")
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    if not chromium:
        sys.exit("Chromium is needed: apt-get install chromium")
    port = free_port()
    extra = [p for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            args.db,
            *_pg_args(),
            f"--addons-path={','.join([str(ROOT / 'addons'), *extra])}",
            f"--http-port={port}",
            f"--db-filter=^{args.db}$",
            "--load=base,web,queue_job",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        cwd=ROOT,
        env=_odoo_env(),
    )
    browser = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/web/login")
        _result, cookie = json_rpc(
            f"{base}/web/session/authenticate",
            {"db": args.db, "login": args.login, "password": args.password},
        )
        session_id = cookie.split("session_id=", 1)[1].split(";", 1)[0]
        requests, _ = json_rpc(
            f"{base}/web/dataset/call_kw/staffing.request/search",
            {
                "model": "staffing.request",
                "method": "search",
                "args": [[("line_ids", "!=", False)]],
                "kwargs": {"limit": 1, "order": "id"},
            },
            cookie=f"session_id={session_id}",
        )
        browser = Browser(chromium)
        browser.call(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            url=base,
        )
        OUT.mkdir(parents=True, exist_ok=True)
        for name, path, ready in SHOTS:
            target = OUT / f"{name}.png"
            browser.shoot(base + path.format(request_id=requests[0]), ready, target)
            print(f"wrote {target.relative_to(ROOT)}")
    finally:
        if browser:
            browser.close()
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()

"""The runner's verdicts: every tier fails when it should."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "run_suite", ROOT / "tools" / "run_suite.py"
)
run_suite = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_suite)


def _report(tmp_path, *cases):
    """A junit report of (file, classname, outcome) test cases, as pytest writes."""
    body = []
    for file, classname, outcome in cases:
        inner = {"passed": "", "failed": "<failure message='x'/>"}.get(outcome)
        if inner is None:
            inner = f"<{outcome} message='x'/>"
        body.append(
            f'<testcase file="{file}" classname="{classname}" name="t">{inner}'
            "</testcase>"
        )
    report = tmp_path / "junit.xml"
    report.write_text(
        "<testsuites><testsuite>" + "".join(body) + "</testsuite></testsuites>"
    )
    return report


SHARING = (
    "addons/resource_sharing/tests/test_x.py",
    "odoo.addons.resource_sharing.tests.test_x.T",
)
FORECAST = (
    "addons/resource_forecast/tests/test_y.py",
    "odoo.addons.resource_forecast.tests.test_y.T",
)
HOOK = ("tests/static/test_hooks.py", "tests.static.test_hooks")
UNIT = ("tests/engine/test_load.py", "tests.engine.test_load")


def _tiers(report):
    results = run_suite.junit_results(report, ["static", "unit", "odoo"])
    return {result.name: result for result in results}


def test_green_report_passes(tmp_path):
    """Tests of every tier and both addons, none failing: green, counted by tier."""
    report = _report(
        tmp_path,
        (*SHARING, "passed"),
        (*SHARING, "passed"),
        (*FORECAST, "passed"),
        (*HOOK, "passed"),
        (*UNIT, "passed"),
    )
    tiers = _tiers(report)
    assert all(result.ok for result in tiers.values())
    assert (tiers["odoo"].passed, tiers["static"].passed, tiers["unit"].passed) == (
        3,
        1,
        1,
    )


def test_failing_and_erroring_tests_fail_their_tier(tmp_path):
    """A failure or an error (setUpClass, say) makes its tier red."""
    report = _report(
        tmp_path,
        (*SHARING, "failed"),
        (*FORECAST, "error"),
        (*HOOK, "passed"),
        (*UNIT, "passed"),
    )
    tiers = _tiers(report)
    assert tiers["odoo"].failed == 2
    assert not tiers["odoo"].ok
    assert tiers["unit"].ok


def test_skipped_test_fails_the_tier(tmp_path):
    """A skipped test (a tour without Chromium, say) is a defect."""
    report = _report(
        tmp_path,
        (*SHARING, "skipped"),
        (*FORECAST, "passed"),
        (*HOOK, "passed"),
        (*UNIT, "passed"),
    )
    tiers = _tiers(report)
    assert tiers["odoo"].skipped == 1
    assert not tiers["odoo"].ok


def test_addon_without_tests_fails(tmp_path):
    """An addon whose tests were not collected is red."""
    report = _report(
        tmp_path, (*SHARING, "passed"), (*HOOK, "passed"), (*UNIT, "passed")
    )
    odoo = _tiers(report)["odoo"]
    assert not odoo.ok
    assert "resource_forecast ran no test" in odoo.notes


def test_tier_without_tests_fails(tmp_path):
    """A tier asked for that collected nothing is red."""
    report = _report(tmp_path, (*SHARING, "passed"), (*FORECAST, "passed"))
    tiers = _tiers(report)
    assert not tiers["static"].ok
    assert "no test ran" in tiers["unit"].notes


def test_skip_line_without_odoo(tmp_path):
    """Without odoo the runner says so on its own line and stays honest."""
    # a stub package first on the path hides any installed odoo
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo" / "__init__.py").write_text("raise ImportError('stub')\n")
    env = {"PATH": "/usr/bin:/bin", "ODOO_PATH": ""}
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_suite.py"), "--tier", "odoo"],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(tmp_path)},
        check=False,
        cwd=tmp_path,
    )
    assert run_suite.SKIP_LINE in result.stdout.splitlines()
    assert result.returncode == 0
    failing = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "run_suite.py"),
            "--tier",
            "odoo",
            "--require-odoo",
        ],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(tmp_path)},
        check=False,
        cwd=tmp_path,
    )
    assert failing.returncode == 1


def _hooks_repo(tmp_path, *hook_ids):
    """A git repository with a copy of resource_forecast and some of our hooks."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [h for h in config["repos"][0]["hooks"] if h["id"] in hook_ids]
    config["repos"][0]["hooks"] = hooks
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    shutil.copytree(
        ROOT / "addons" / "resource_forecast", tmp_path / "addons" / "resource_forecast"
    )
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True)
    return tmp_path


def test_hooks_pass_and_fail_on_real_output(tmp_path):
    """pre-commit's real output: green on a clean copy, red on a bad XML header."""
    repo = _hooks_repo(tmp_path, "oca-checks-odoo-module", "oca-checks-po")
    for hook_id in ("oca-checks-odoo-module", "oca-checks-po"):
        passed, output = run_suite.run_hook(hook_id, repo)
        assert passed, output
    menus = repo / "addons" / "resource_forecast" / "views" / "menus.xml"
    menus.write_text(menus.read_text().replace("UTF-8", "utf-8"))
    passed, output = run_suite.run_hook("oca-checks-odoo-module", repo)
    assert not passed
    assert "xml-header-wrong" in output
    assert run_suite.run_hook("oca-checks-po", repo)[0]


def test_output_without_any_hook_fails():
    """Output without a single hook result (pre-commit missing, say) is red."""
    assert not run_suite.hook_verdict("/usr/bin/python3: No module named pre_commit", 1)
    assert not run_suite.hook_verdict("", 0)


def test_hook_without_files_passes():
    """A hook with nothing to check (no .rej file) is no finding."""
    output = "no merge rejects.....................(no files to check)Skipped\n"
    assert run_suite.hook_verdict(output, 0)

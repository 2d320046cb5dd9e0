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

STATS = (
    "2030-01-01 INFO db odoo.tests.stats: resource_sharing: 12 tests 1.0s 10 queries\n"
    "2030-01-01 INFO db odoo.tests.stats: resource_forecast: 3 tests 1.0s 10 queries\n"
)


def _line(failed, errors, run, level="INFO"):
    return (
        f"{level} odoo.tests.result: {failed} failed, {errors} error(s) of {run} "
        "tests when loading database 'x'\n"
    )


def _result(text, returncode=0):
    return run_suite._odoo_result(text.splitlines(keepends=True), returncode)


def test_green_odoo_log_passes():
    """A log with tests of both addons and no failure is green."""
    log = STATS + _line(0, 0, 15, "INFO")
    result = _result(log)
    assert result.ok
    assert (result.passed, result.failed) == (15, 0)


def test_failing_odoo_test_fails_the_tier():
    """One failed Odoo test makes the tier red."""
    log = STATS + _line(1, 0, 15, "ERROR")
    result = _result(log)
    assert not result.ok
    assert result.failed == 1


def test_errors_count_as_failures():
    """Errors in setUpClass and the like count as failures."""
    log = STATS + _line(0, 2, 15, "ERROR")
    assert _result(log).failed == 2


def test_skipped_test_fails_the_tier():
    """A skipped test (e.g. a tour without Chrome) is a defect."""
    log = (
        STATS
        + "INFO odoo.tests.result: skipped test_tour : Chrome executable not found\n"
        + _line(0, 0, 15, "INFO")
    )
    result = _result(log)
    assert result.skipped == 1
    assert not result.ok


def test_addon_without_tests_fails():
    """An addon whose tests did not run (tags matching nothing) is red."""
    log = "INFO odoo.tests.stats: resource_sharing: 12 tests 1.0s 10 queries\n" + _line(
        0, 0, 12, "INFO"
    )
    result = _result(log)
    assert not result.ok
    assert "resource_forecast ran no test" in result.notes


def test_missing_result_line_fails():
    """A crashed install (no result line) is red."""
    result = _result("Traceback (most recent call last):\nParseError: broken view\n", 1)
    assert not result.ok


def test_nonzero_exit_fails():
    """Odoo exiting non-zero is red even when the counts look fine."""
    log = STATS + _line(0, 0, 15, "INFO")
    assert not _result(log, returncode=1).ok


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


def test_static_tier_passes_and_fails_on_real_hooks(tmp_path):
    """pre-commit's real output: green on a clean copy, red on a bad XML header."""
    repo = _hooks_repo(tmp_path, "oca-checks-odoo-module", "oca-checks-po")
    clean = run_suite.run_static(repo)
    assert (clean.passed, clean.failed, clean.ok) == (2, 0, True)
    menus = repo / "addons" / "resource_forecast" / "views" / "menus.xml"
    menus.write_text(menus.read_text().replace("UTF-8", "utf-8"))
    broken = run_suite.run_static(repo)
    assert (broken.passed, broken.failed, broken.ok) == (1, 1, False)


def test_static_tier_without_any_hook_fails():
    """Output without a single hook result (pre-commit missing, say) is red."""
    result = run_suite.static_result("/usr/bin/python3: No module named pre_commit", 1)
    assert not result.ok
    assert result.failed == 1

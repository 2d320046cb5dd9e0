"""The linters of the static tier pass on the addons and fail on broken copies.

Each test runs the real, pinned tool (requirements-test.txt) and reads its own
output: pylint-odoo with .pylintrc-mandatory, oca-checks-odoo-module and
oca-checks-po. The static tier of tools/run_suite.py runs them on the whole
tree through pre-commit.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ROOT / "addons"
PYLINTRC = ROOT / ".pylintrc-mandatory"
ADDON_NAMES = ("resource_sharing", "resource_forecast")
TINY_MANIFEST = """{
    "name": "Tiny",
    "summary": "A tiny addon",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/resource-sharing/resource-sharing",
    "author": "Resource Sharing developers",
    "maintainers": ["resource-sharing"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["base"],
}
"""


def _run(*cmd, cwd=ROOT):
    return subprocess.run(
        [*map(str, cmd)], capture_output=True, text=True, check=False, cwd=cwd
    )


def _pylint(*args):
    return _run(sys.executable, "-m", "pylint", *args)


def _unknown_checks(rcfile, tmp_path):
    """Names enabled in ``rcfile`` that the installed pylint(-odoo) does not know."""
    probe = tmp_path / "probe.py"
    probe.write_text('"""Nothing to lint."""\n')
    result = _pylint(f"--rcfile={rcfile}", "--enable=unknown-option-value", probe)
    return [line for line in result.stdout.splitlines() if "unknown-option" in line]


@pytest.fixture
def tiny_addon(tmp_path):
    """A minimal addon that passes the mandatory pylint-odoo checks."""
    addon = tmp_path / "tiny"
    (addon / "models").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(TINY_MANIFEST)
    (addon / "README.rst").write_text("Tiny\n====\n")
    (addon / "__init__.py").write_text("from . import models\n")
    (addon / "models" / "__init__.py").write_text("")
    return addon


def test_pylintrc_enables_only_checks_pylint_odoo_knows(tmp_path):
    """Every check .pylintrc-mandatory enables exists in the pinned pylint-odoo."""
    assert _unknown_checks(PYLINTRC, tmp_path) == []


def test_unknown_check_is_noticed(tmp_path):
    """The probe above does see a check that pylint-odoo does not have."""
    rcfile = tmp_path / "pylintrc"
    rcfile.write_text(
        PYLINTRC.read_text().replace("enable=", "enable=xml-syntax-error,\n    ")
    )
    unknown = _unknown_checks(rcfile, tmp_path)
    assert len(unknown) == 1
    assert "'xml-syntax-error'" in unknown[0]


def test_pylint_mandatory_passes_on_the_tiny_addon(tiny_addon):
    """The fixture is clean, so what breaks it below is what pylint reports."""
    result = _pylint(f"--rcfile={PYLINTRC}", tiny_addon)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylint_mandatory_fails_on_print_and_missing_license(tiny_addon):
    """A print() in a model and a manifest without license fail the gate."""
    (tiny_addon / "__manifest__.py").write_text(
        TINY_MANIFEST.replace('    "license": "LGPL-3",\n', "")
    )
    (tiny_addon / "models" / "__init__.py").write_text("print('loaded')\n")
    result = _pylint(f"--rcfile={PYLINTRC}", tiny_addon)
    assert result.returncode != 0
    assert "(print-used)" in result.stdout
    assert "(manifest-required-key)" in result.stdout


def test_oca_checks_odoo_module_passes_on_the_addons():
    """oca-checks-odoo-module finds nothing in the addons."""
    result = _run("oca-checks-odoo-module", *(ADDONS / n for n in ADDON_NAMES))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "rel, old, new, check",
    [
        ("views/menus.xml", "UTF-8", "utf-8", "xml-header-wrong"),
        (
            "data/ir_cron_data.xml",
            '"interval_number" eval="1" />',
            '"interval_number">1</field>',
            "xml-field-numeric-without-eval",
        ),
    ],
)
def test_oca_checks_odoo_module_fails_on_a_broken_copy(tmp_path, rel, old, new, check):
    """A wrong XML header or a bare numeric field value is reported."""
    copy = shutil.copytree(ADDONS / "resource_forecast", tmp_path / "resource_forecast")
    text = (copy / rel).read_text()
    assert old in text
    (copy / rel).write_text(text.replace(old, new, 1))
    result = _run("oca-checks-odoo-module", copy)
    assert result.returncode == 1
    assert f"{rel}:" in result.stdout
    assert check in result.stdout


def test_oca_checks_po_passes_on_the_translations():
    """oca-checks-po finds nothing in the .po and .pot files."""
    result = _run("oca-checks-po", *sorted(ADDONS.glob("*/i18n/*.po*")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_oca_checks_po_fails_on_a_badly_formatted_copy(tmp_path):
    """A translation equal to its source text breaks the pretty format."""
    po = tmp_path / "i18n" / "nl.po"
    po.parent.mkdir()
    text = (ADDONS / "resource_sharing" / "i18n" / "nl.po").read_text()
    assert 'msgid "Bench"\nmsgstr ""\n' in text
    po.write_text(
        text.replace('msgid "Bench"\nmsgstr ""', 'msgid "Bench"\nmsgstr "Bench"')
    )
    result = _run("oca-checks-po", po)
    assert result.returncode == 1
    assert "po-pretty-format" in result.stdout

"""Each addon builds as an odoo-addon-<name> wheel with whool (pyproject.toml).

The wheels are built offline from copies of the addons, outside git, as the
Docker build does: whool takes the version from the manifest and the
dependencies from its "depends".
"""

import ast
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("resource_sharing", "resource_forecast")
EXPECTED_REQUIRES = {
    "resource_sharing": {
        "odoo==18.0.*",
        "odoo-addon-queue_job==18.0.*",
        "odoo-addon-web_timeline==18.0.*",
        # external_dependencies of the manifest (the staffing optimizer)
        "ortools",
    },
    "resource_forecast": {"odoo==18.0.*", "odoo-addon-resource_sharing==18.0.*"},
}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """Addon name -> path of the wheel pip built for it."""
    tmp = tmp_path_factory.mktemp("wheels")
    sources = [shutil.copytree(ROOT / "addons" / name, tmp / name) for name in ADDONS]
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps"),
            *("--no-build-isolation", "--no-index", "--wheel-dir", tmp / "dist"),
            *sources,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        name: next((tmp / "dist").glob(f"odoo_addon_{name}-*.whl")) for name in ADDONS
    }


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode())


def test_pyproject_uses_whool():
    """Each addon has OCA's pyproject.toml: whool as the build backend."""
    for name in ADDONS:
        text = (ROOT / "addons" / name / "pyproject.toml").read_text()
        assert 'requires = ["whool"]' in text
        assert 'build-backend = "whool.buildapi"' in text


@pytest.mark.parametrize("name", ADDONS)
def test_wheel_metadata(wheels, name):
    """Name odoo-addon-<name>, version 18.0.x, requires Odoo 18 and its OCA addons."""
    metadata = _metadata(wheels[name])
    assert metadata["Name"] == f"odoo-addon-{name}"
    manifest = ast.literal_eval(
        (ROOT / "addons" / name / "__manifest__.py").read_text()
    )
    assert metadata["Version"] == manifest["version"]
    assert metadata["Version"].startswith("18.0.")
    assert set(metadata.get_all("Requires-Dist")) == EXPECTED_REQUIRES[name]


@pytest.mark.parametrize("name", ADDONS)
def test_wheel_holds_the_addon_under_odoo_addons(wheels, name):
    """The addon lands in the odoo.addons namespace, data files included."""
    with zipfile.ZipFile(wheels[name]) as archive:
        files = set(archive.namelist())
    prefix = f"odoo/addons/{name}/"
    assert prefix + "__manifest__.py" in files
    assert prefix + "security/ir.model.access.csv" in files
    assert prefix + "i18n/nl.po" in files

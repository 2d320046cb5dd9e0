"""tools/check_extra.py: the checks no maintained tool makes."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "check_extra.py"
spec = importlib.util.spec_from_file_location("check_extra", SCRIPT)
check_extra = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_extra)

MANIFEST = """{
    "name": "Sample",
    "version": "18.0.1.0.0",
    "depends": ["base"],
    "data": ["security/ir.model.access.csv", "views/sample_views.xml"],
}
"""
MODEL = """from odoo import fields, models


class SampleThing(models.Model):
    _name = "sample.thing"
    _description = "Thing"

    name = fields.Char()
"""
ACCESS = (
    "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n"
    "access_sample_thing,sample.thing,model_sample_thing,base.group_user,1,1,1,1\n"
)
VIEWS = """<?xml version="1.0" encoding="UTF-8" ?>
<odoo>
    <record id="sample_thing_action" model="ir.actions.act_window">
        <field name="res_model">sample.thing</field>
    </record>
    <menuitem id="sample_thing_menu" action="sample_thing_action" />
</odoo>
"""


@pytest.fixture
def addons(tmp_path):
    """A directory holding one small, clean addon ``sample``."""
    addon = tmp_path / "sample"
    files = {
        "__manifest__.py": MANIFEST,
        "__init__.py": "from . import models\n",
        "models/__init__.py": "from . import sample_thing\n",
        "models/sample_thing.py": MODEL,
        "security/ir.model.access.csv": ACCESS,
        "views/sample_views.xml": VIEWS,
        "tests/__init__.py": "from . import test_thing\n",
        "tests/test_thing.py": "",
    }
    for rel, text in files.items():
        (addon / rel).parent.mkdir(parents=True, exist_ok=True)
        (addon / rel).write_text(text)
    return tmp_path


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_real_addons_have_no_finding():
    """The project's addons pass."""
    assert check_extra.check([ROOT / "addons"]) == []


def test_sample_addon_is_clean(addons):
    """The fixture itself has no finding, so each test below breaks one thing."""
    assert check_extra.check([addons]) == []


def test_unknown_id_in_menu(addons):
    """A menu pointing at an action nobody defines is reported."""
    _edit(addons / "sample/views/sample_views.xml", 'action="sample', 'action="nos')
    assert check_extra.check([addons]) == [
        "sample/views/sample_views.xml:6: xml-id-unknown "
        "nos_thing_action is not defined by sample"
    ]


def test_unknown_group_in_access_row(addons):
    """An access row naming a group of this addon that does not exist is reported."""
    _edit(addons / "sample/security/ir.model.access.csv", "base.group", "sample.group")
    assert check_extra.check([addons]) == [
        "sample/security/ir.model.access.csv:2: xml-id-unknown "
        "sample.group_user is not defined by sample"
    ]


def test_unknown_id_of_a_sibling_addon(addons):
    """Ids of another addon of the same directory are resolved too."""
    shutil.copytree(addons / "sample", addons / "other")
    _edit(addons / "other/views/sample_views.xml", 'action="', 'action="sample.x')
    assert check_extra.check([addons]) == [
        "other/views/sample_views.xml:6: xml-id-unknown "
        "sample.xsample_thing_action is not defined by sample"
    ]


def test_unknown_id_in_python(addons):
    """``env.ref()`` of an id this addon does not define is reported."""
    (addons / "sample/tests/test_thing.py").write_text(
        "def thing(env):\n    return env.ref('sample.missing_demo')\n"
    )
    assert check_extra.check([addons]) == [
        "sample/tests/test_thing.py:2: xml-id-unknown "
        "sample.missing_demo is not defined by sample"
    ]


def test_model_without_access_row(addons):
    """A new model without an access row is reported."""
    (addons / "sample/security/ir.model.access.csv").write_text(
        ACCESS.splitlines()[0] + "\n"
    )
    assert check_extra.check([addons]) == [
        "sample/models/sample_thing.py:4: model-without-access "
        "model_sample_thing has no access row"
    ]


def test_modules_not_imported(addons):
    """A model file or a test file its package does not import is reported."""
    (addons / "sample/models/sample_other.py").write_text("")
    (addons / "sample/tests/test_other.py").write_text("")
    assert check_extra.check([addons]) == [
        "sample/models/__init__.py:1: module-not-imported "
        "sample_other.py is not imported",
        "sample/tests/__init__.py:1: module-not-imported test_other.py is not imported",
    ]


def test_command_fails_on_a_finding(addons):
    """The command exits 1 and prints the finding."""
    (addons / "sample/models/sample_other.py").write_text("")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(addons)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "module-not-imported sample_other.py is not imported" in result.stdout

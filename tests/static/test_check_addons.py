"""Tests of tools/check_addons.py, and the static gates run on the real addons.

Broken addons are built in ``tmp_path`` from one small valid addon
(``sample_addon``), changing one thing at a time, so each test shows that the
checker reports exactly the mistake it was given.
"""

import configparser
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ROOT / "addons"
REAL_ADDONS = ("resource_sharing", "resource_forecast")
PYLINTRC = ROOT / ".pylintrc-mandatory"
CHECKER = ROOT / "tools" / "check_addons.py"


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_addons", CHECKER)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_addons", module)
    spec.loader.exec_module(module)
    return module


def _required_author() -> str:
    """The first author .pylintrc-mandatory requires in manifests."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PYLINTRC)
    return parser["ODOOLINT"]["manifest-required-authors"].split(",")[0].strip()


AUTHOR = _required_author()
check_addons_module = _load_checker()
check_addon = check_addons_module.check_addon
check_addons = check_addons_module.check_addons

MANIFEST = """{
    "name": "Sample Addon",
    "summary": "A small addon the checker tests start from",
    "version": "18.0.1.0.0",
    "category": "Tools",
    "website": "https://example.com/sample",
    "author": "@AUTHOR@",
    "maintainers": ["sample-maintainer"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["mail"],
    "data": [
        "security/sample_security.xml",
        "security/ir.model.access.csv",
        "views/sample_thing_views.xml",
    ],
    "demo": [
        "demo/sample_demo.xml",
    ],
}
""".replace("@AUTHOR@", AUTHOR)

SECURITY_XML = """<?xml version="1.0" encoding="utf-8" ?>
<odoo>
    <record id="group_sample_user" model="res.groups">
        <field name="name">Sample user</field>
        <field name="implied_ids" eval="[Command.link(ref('base.group_user'))]" />
    </record>
    <record id="sample_thing_rule_user" model="ir.rule">
        <field name="name">Sample things: own</field>
        <field name="model_id" ref="model_sample_thing" />
        <field name="domain_force">[('create_uid', '=', user.id)]</field>
        <field name="groups" eval="[Command.link(ref('group_sample_user'))]" />
    </record>
</odoo>
"""

ACCESS_HEADER = (
    "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n"
)
ACCESS_CSV = ACCESS_HEADER + (
    "access_sample_thing_user,sample.thing user,model_sample_thing,"
    "group_sample_user,1,1,1,0\n"
)

VIEWS_XML = """<?xml version="1.0" encoding="utf-8" ?>
<odoo>
    <record id="sample_thing_action" model="ir.actions.act_window">
        <field name="name">Sample things</field>
        <field name="res_model">sample.thing</field>
        <field name="view_mode">list,form</field>
    </record>
    <record id="sample_thing_view_form" model="ir.ui.view">
        <field name="name">sample.thing.form</field>
        <field name="model">sample.thing</field>
        <field name="arch" type="xml">
            <form>
                <header>
                    <button
                        name="%(sample_thing_action)d"
                        type="action"
                        string="Open"
                        groups="sample_addon.group_sample_user,!base.group_portal"
                    />
                </header>
                <field name="name" />
            </form>
        </field>
    </record>
    <menuitem id="sample_menu_root" name="Sample" groups="group_sample_user" />
    <menuitem
        id="sample_thing_menu"
        parent="sample_menu_root"
        action="sample_thing_action"
        groups="base.group_user"
    />
</odoo>
"""

DEMO_XML = """<?xml version="1.0" encoding="utf-8" ?>
<odoo>
    <record id="sample_thing_demo" model="sample.thing">
        <field name="name">Demo thing</field>
    </record>
</odoo>
"""

MODEL_PY = """from odoo import fields, models


class SampleThing(models.Model):
    _name = "sample.thing"
    _description = "Sample Thing"

    name = fields.Char(required=True)
    secret = fields.Char(groups="sample_addon.group_sample_user")

    def action_open(self):
        return self.env.ref("sample_addon.sample_thing_action")
"""

BASE_FILES = {
    "__manifest__.py": MANIFEST,
    "__init__.py": "from . import models\n",
    "README.rst": "Sample Addon\n============\n\nUsed by tests/static.\n",
    "models/__init__.py": "from . import sample_thing\n",
    "models/sample_thing.py": MODEL_PY,
    "security/sample_security.xml": SECURITY_XML,
    "security/ir.model.access.csv": ACCESS_CSV,
    "views/sample_thing_views.xml": VIEWS_XML,
    "demo/sample_demo.xml": DEMO_XML,
}


def make_addon(root: Path, name: str = "sample_addon", **changes) -> Path:
    """Write the valid sample addon under ``root``; ``changes`` maps a file
    (``/`` written as ``__``, ``.`` as ``_dot_``) to new content, or None to
    leave the file out."""
    files = dict(BASE_FILES)
    for key, content in changes.items():
        rel = key.replace("_dot_", ".").replace("__", "/")
        if rel.startswith("/"):  # "__manifest__" / "__init__" keep their dunders
            rel = "__" + rel[1:].replace("/", "__", 1)
        files[rel] = content
    addon = root / name
    for rel, content in files.items():
        if content is None:
            continue
        path = addon / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content.replace("sample_addon", name), encoding="utf-8")
    return addon


def write(addon: Path, rel: str, content: str) -> None:
    path = addon / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def replace(addon: Path, rel: str, old: str, new: str) -> None:
    path = addon / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_reports(problems: list[str], *fragments: str) -> None:
    """Each fragment appears in some problem (and there is no other problem)."""
    for fragment in fragments:
        assert any(fragment in p for p in problems), (
            f"{fragment!r} not reported; got:\n" + "\n".join(problems)
        )
    unexplained = [p for p in problems if not any(f in p for f in fragments)]
    assert not unexplained, "unexpected problems:\n" + "\n".join(unexplained)


@pytest.fixture
def addon(tmp_path: Path) -> Path:
    return make_addon(tmp_path)


# ----------------------------------------------------------------------
# The real addons
# ----------------------------------------------------------------------
def test_real_addons_are_present():
    """Both project addons are found by the checker in addons/."""
    found = {p.rsplit("/", 1)[-1] for p in check_addons_module.find_addons(str(ADDONS))}
    assert set(REAL_ADDONS) <= found


def test_real_addons_have_no_problems():
    """The checker finds nothing wrong in the project's addons."""
    problems = check_addons(str(ADDONS))
    assert problems == [], "\n".join(problems)


def test_real_addons_pass_pylint_odoo_mandatory_checks():
    """pylint-odoo's mandatory 18.0 checks pass on the project's addons."""
    result = _pylint(*(ADDONS / name for name in REAL_ADDONS))
    assert result.returncode == 0, result.stdout + result.stderr


# ----------------------------------------------------------------------
# pylint-odoo gate
# ----------------------------------------------------------------------
def _pylint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pylint", f"--rcfile={PYLINTRC}", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_pylint_mandatory_passes_on_the_sample_addon(addon):
    """The sample addon satisfies the mandatory checks (the baseline is clean)."""
    result = _pylint(addon)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylint_mandatory_fails_without_license(addon):
    """A manifest without 'license' fails manifest-required-key."""
    replace(addon, "__manifest__.py", '    "license": "LGPL-3",\n', "")
    result = _pylint(addon)
    assert result.returncode != 0
    assert "manifest-required-key" in result.stdout
    assert '"license"' in result.stdout


def test_pylint_mandatory_fails_on_foreign_author(addon):
    """An author list without the project's author fails manifest-required-author."""
    replace(addon, "__manifest__.py", AUTHOR, "Someone Else")
    result = _pylint(addon)
    assert result.returncode != 0
    assert "manifest-required-author" in result.stdout


# ----------------------------------------------------------------------
# check_addon on valid input
# ----------------------------------------------------------------------
def test_sample_addon_is_clean(addon):
    """The baseline addon has no problem, so every other test isolates one."""
    assert check_addon(str(addon)) == []


def test_check_addons_walks_a_directory(tmp_path):
    """check_addons() checks every addon below a directory."""
    make_addon(tmp_path, "sample_addon")
    broken = make_addon(tmp_path, "other_addon")
    replace(broken, "__manifest__.py", "18.0.1.0.0", "1.0")
    problems = check_addons(str(tmp_path))
    assert_reports(problems, "other_addon/__manifest__.py:4: version '1.0'")


def test_empty_directory_is_a_problem(tmp_path):
    """A directory without any addon is reported rather than silently passing."""
    assert_reports(check_addons(str(tmp_path)), "no addon")


# ----------------------------------------------------------------------
# Manifest
# ----------------------------------------------------------------------
def test_unknown_manifest_key(addon):
    """A misspelt manifest key is reported with a suggestion."""
    replace(addon, "__manifest__.py", '"depends"', '"depend"')
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/__manifest__.py:11: unknown manifest key 'depend' "
        "(did you mean 'depends'?)",
        "required manifest key 'depends' is missing",
        # without depends on mail, base is still allowed
    )


def test_bad_version(addon):
    """A version that is not 18.0.x.y.z is reported on its line."""
    replace(addon, "__manifest__.py", "18.0.1.0.0", "17.0.1.0.0")
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/__manifest__.py:4: version '17.0.1.0.0' does not match "
        "18.0.x.y.z",
    )


def test_missing_required_key_bad_license_and_status(addon):
    """Missing keys, licenses outside Odoo's list and unknown statuses."""
    replace(addon, "__manifest__.py", '    "maintainers": ["sample-maintainer"],\n', "")
    replace(addon, "__manifest__.py", '"LGPL-3"', '"MIT"')
    replace(addon, "__manifest__.py", '"Alpha"', '"Experimental"')
    assert_reports(
        check_addon(str(addon)),
        "required manifest key 'maintainers' is missing",
        "sample_addon/__manifest__.py:8: license 'MIT' is not one of",
        "sample_addon/__manifest__.py:9: development_status 'Experimental'",
    )


def test_manifest_syntax_error(addon):
    """A manifest that is not a literal dict is reported, nothing else."""
    write(addon, "__manifest__.py", '{"name": "x",\n')
    problems = check_addon(str(addon))
    assert len(problems) == 1
    assert problems[0].startswith("sample_addon/__manifest__.py:")
    assert "not valid Python" in problems[0]


def test_manifest_pointing_at_missing_file(addon):
    """A data file listed in the manifest that does not exist."""
    replace(
        addon,
        "__manifest__.py",
        '"views/sample_thing_views.xml",',
        '"views/sample_thing_views.xml",\n        "views/missing_views.xml",',
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/__manifest__.py:16: data file 'views/missing_views.xml' "
        "does not exist",
    )


def test_file_listed_twice(addon):
    """The same file in data and demo is reported."""
    replace(
        addon,
        "__manifest__.py",
        '"demo/sample_demo.xml",',
        '"security/ir.model.access.csv",',
    )
    assert_reports(
        check_addon(str(addon)),
        "'security/ir.model.access.csv' is listed twice",
        # the demo record is gone with its file: nothing else may be reported
    )


# ----------------------------------------------------------------------
# Data files
# ----------------------------------------------------------------------
def test_broken_xml_file(addon):
    """An XML data file that is not well formed is reported with its line."""
    replace(addon, "views/sample_thing_views.xml", "</form>", "</from>")
    problems = check_addon(str(addon))
    assert len(problems) == 1, problems
    assert problems[0].startswith("sample_addon/views/sample_thing_views.xml:")
    assert "XML is not well-formed" in problems[0]


def test_xml_root_must_be_odoo(addon):
    """Data files must have an <odoo> root element."""
    write(addon, "demo/sample_demo.xml", "<openerp><data/></openerp>\n")
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/demo/sample_demo.xml:1: root element is <openerp>, not <odoo>",
    )


def test_csv_without_header(addon):
    """An empty CSV data file is reported."""
    write(addon, "security/ir.model.access.csv", "")
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/security/ir.model.access.csv:1: CSV file has no header row",
        "model 'sample.thing' has no access rule",
    )


def test_xml_rejected_by_odoo_schema(addon):
    """Odoo 18's import_xml.rng is applied when Odoo is importable."""
    if check_addons_module._get_rng() is None:
        pytest.skip("Odoo is not importable here")
    replace(addon, "demo/sample_demo.xml", "<record ", "<record bogus='1' ")
    assert_reports(check_addon(str(addon)), "does not match Odoo's import_xml.rng")


# ----------------------------------------------------------------------
# ir.model.access.csv
# ----------------------------------------------------------------------
def test_access_row_naming_unknown_model(addon):
    """An access row whose model is not defined by the addon."""
    write(
        addon,
        "security/ir.model.access.csv",
        ACCESS_CSV
        + "access_ghost,ghost,model_sample_ghost,group_sample_user,1,0,0,0\n",
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/security/ir.model.access.csv:3: 'model_sample_ghost' in "
        "model_id:id names no model defined in sample_addon's Python code",
    )


def test_access_row_with_unknown_group(addon):
    """An access row whose group is not defined."""
    write(
        addon,
        "security/ir.model.access.csv",
        ACCESS_CSV.replace("group_sample_user,1", "group_sample_ghost,1"),
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/security/ir.model.access.csv:2: XML id 'group_sample_ghost' "
        "in group_id:id is not defined in sample_addon",
    )


def test_access_row_group_that_is_not_a_group(addon):
    """group_id:id must name a res.groups record."""
    write(
        addon,
        "security/ir.model.access.csv",
        ACCESS_CSV.replace("group_sample_user,1", "sample_thing_rule_user,1"),
    )
    assert_reports(
        check_addon(str(addon)),
        "is a ir.rule record, expected res.groups",
    )


def test_access_header_and_permissions(addon):
    """Missing access columns and permission values other than 0/1."""
    write(
        addon,
        "security/ir.model.access.csv",
        ACCESS_CSV.replace(",1,1,1,0", ",1,yes,1,0"),
    )
    assert_reports(check_addon(str(addon)), "perm_write must be 0 or 1, not 'yes'")
    write(addon, "security/ir.model.access.csv", "id,name,model_id:id\nx,x,model_x\n")
    assert_reports(
        check_addon(str(addon)),
        "access CSV header lacks columns: group_id:id, perm_read",
        "model 'sample.thing' has no access rule",
    )


def test_model_without_access_rule(addon):
    """A new (non-abstract) model without any access rule is reported."""
    write(
        addon,
        "models/sample_thing.py",
        MODEL_PY
        + """

class SampleOther(models.TransientModel):
    _name = "sample.other"
    _description = "Sample Other"


class SampleMixin(models.AbstractModel):
    _name = "sample.mixin"
    _description = "Abstract models need no access rule"
""",
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/models/sample_thing.py:15: model 'sample.other' has no "
        "access rule",
    )


def test_unprefixed_model_of_another_module(addon):
    """model_res_partner without a module prefix is not this addon's model."""
    write(
        addon,
        "security/ir.model.access.csv",
        ACCESS_CSV
        + "access_partner,partner,model_res_partner,group_sample_user,1,0,0,0\n",
    )
    assert_reports(
        check_addon(str(addon)), "'model_res_partner' in model_id:id names no model"
    )
    write(
        addon,
        "security/ir.model.access.csv",
        ACCESS_CSV
        + "access_partner,partner,base.model_res_partner,group_sample_user,1,0,0,0\n",
    )
    assert check_addon(str(addon)) == []


# ----------------------------------------------------------------------
# XML id references
# ----------------------------------------------------------------------
def test_reference_to_undefined_xml_id(addon):
    """A ref= to an id that nothing defines."""
    replace(
        addon,
        "security/sample_security.xml",
        'ref="model_sample_thing"',
        'ref="sample_ghost"',
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/security/sample_security.xml:9: XML id 'sample_ghost' in ref of "
        "field 'model_id' is not defined in sample_addon",
    )


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('action="sample_thing_action"', 'action="ghost_action"', "menuitem action"),
        ('parent="sample_menu_root"', 'parent="ghost_menu"', "menuitem parent"),
        ('groups="base.group_user"', 'groups="-ghost_group"', "menuitem groups"),
        ("%(sample_thing_action)d", "%(ghost_action)d", "%(...)d in view"),
        (
            "sample_addon.group_sample_user,!base",
            "sample_addon.ghost_group,!base",
            "groups of <button>",
        ),
    ],
)
def test_undefined_ids_in_views_and_menus(addon, old, new, where):
    """Every kind of reference in views and menus is resolved."""
    replace(addon, "views/sample_thing_views.xml", old, new)
    problems = check_addon(str(addon))
    assert len(problems) == 1, problems
    assert f"in {where} is not defined in sample_addon" in problems[0]


def test_eval_ref_to_undefined_id(addon):
    """ref('...') inside eval (ir.rule groups) is resolved."""
    replace(
        addon,
        "security/sample_security.xml",
        "ref('group_sample_user')",
        "ref('ghost')",
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/security/sample_security.xml:11: XML id 'ghost' in ref() in eval",
    )


def test_bad_prefix_module(addon):
    """An id of a module the addon does not depend on (even transitively)."""
    replace(
        addon,
        "security/sample_security.xml",
        "ref('base.group_user')",
        "ref('sale.group_sale_salesman')",
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/security/sample_security.xml:5: "
        "XML id 'sale.group_sale_salesman' "
        "in ref() in eval uses module 'sale', which sample_addon does not depend on",
    )


def test_transitive_dependency_prefix(addon):
    """mail depends on bus: bus ids are accepted unless --direct-depends-only."""
    if not check_addons_module.Checker([])._find_module("mail"):
        pytest.skip("Odoo's addons are not available here")
    replace(
        addon, "security/sample_security.xml", "ref('base.group_user')", "ref('bus.x')"
    )
    assert check_addon(str(addon)) == []
    assert_reports(
        check_addon(str(addon), direct_depends_only=True),
        "uses module 'bus', which sample_addon does not depend on",
    )


def test_reference_before_definition(addon):
    """Using an id in a file loaded before the one defining it fails at install."""
    replace(
        addon,
        "__manifest__.py",
        '"security/sample_security.xml",\n        "security/ir.model.access.csv",',
        '"security/ir.model.access.csv",\n        "security/sample_security.xml",',
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/security/ir.model.access.csv:2: XML id 'group_sample_user' in "
        "group_id:id is used before it is defined "
        "(sample_addon/security/sample_security.xml:3 loads later)",
    )


def test_data_referencing_demo_only_id(addon):
    """Data files cannot rely on records that only demo data creates."""
    replace(
        addon,
        "views/sample_thing_views.xml",
        '<field name="view_mode">list,form</field>',
        '<field name="view_mode">list,form</field>\n'
        '        <field name="res_id" ref="sample_thing_demo" />',
    )
    assert_reports(check_addon(str(addon)), "is only defined in demo data")


def test_unqualified_group_in_view_arch(addon):
    """groups inside a view architecture need the module prefix."""
    replace(
        addon,
        "views/sample_thing_views.xml",
        "sample_addon.group_sample_user,",
        "group_sample_user,",
    )
    assert_reports(
        check_addon(str(addon)),
        "XML id 'group_sample_user' in groups of <button> must be fully qualified",
    )


def test_duplicate_xml_id(addon):
    """The same id defined twice in data files."""
    replace(
        addon,
        "views/sample_thing_views.xml",
        'id="sample_thing_menu"',
        'id="sample_menu_root"',
    )
    assert_reports(
        check_addon(str(addon)),
        "XML id 'sample_menu_root' is already defined at "
        "sample_addon/views/sample_thing_views.xml:",
    )


def test_odoo18_view_syntax(addon):
    """<tree> and attrs= no longer load in Odoo 18."""
    replace(addon, "views/sample_thing_views.xml", "<form>", "<tree>")
    replace(addon, "views/sample_thing_views.xml", "</form>", "</tree>")
    replace(
        addon,
        "views/sample_thing_views.xml",
        '<field name="name" />',
        '<field name="name" attrs="{}" />',
    )
    assert_reports(
        check_addon(str(addon)),
        "Odoo 18 list views are <list>, not <tree>",
        "the 'attrs' attribute is not supported",
    )


def test_sibling_addon_ids_are_resolved(tmp_path):
    """Ids of another addon of the same directory are looked up in it."""
    make_addon(tmp_path, "sample_addon")
    child = make_addon(tmp_path, "sample_child")
    replace(
        child, "__manifest__.py", '"depends": ["mail"]', '"depends": ["sample_addon"]'
    )
    for rel in (
        "security/ir.model.access.csv",
        "security/sample_security.xml",
        "models/sample_thing.py",
        "models/__init__.py",
        "views/sample_thing_views.xml",
        "demo/sample_demo.xml",
    ):
        (child / rel).unlink()
    write(child, "__init__.py", "")
    write(
        child,
        "__manifest__.py",
        (child / "__manifest__.py")
        .read_text()
        .replace(
            MANIFEST[MANIFEST.index('    "data"') : MANIFEST.index("}")],
            '    "data": ["views/menus.xml"],\n',
        ),
    )
    write(
        child,
        "views/menus.xml",
        '<odoo>\n<menuitem id="child_menu" parent="sample_addon.sample_menu_root" />\n'
        '<menuitem id="child_menu_2" parent="sample_addon.sample_menu_rot" />\n'
        "</odoo>\n",
    )
    assert_reports(
        check_addons(str(tmp_path)),
        "sample_child/views/menus.xml:3: XML id 'sample_addon.sample_menu_rot' in "
        "menuitem parent is not defined in sample_addon",
    )


# ----------------------------------------------------------------------
# Python
# ----------------------------------------------------------------------
def test_python_syntax_error(addon):
    """A Python file that does not compile."""
    write(addon, "models/sample_thing.py", MODEL_PY + "\ndef broken(:\n")
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/models/sample_thing.py:14: Python syntax error: invalid syntax",
    )


def test_imports_must_exist_and_modules_must_be_imported(addon):
    """__init__ imports a missing module; another module is never imported."""
    write(addon, "models/__init__.py", "from . import sample_thing, sample_ghost\n")
    write(addon, "models/forgotten.py", "X = 1\n")
    write(addon, "tests/__init__.py", "")
    write(addon, "tests/test_sample.py", "")
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/models/__init__.py:1: imports 'models.sample_ghost', which is "
        "not a module of this addon",
        "sample_addon/models/__init__.py:1: module 'forgotten.py' is not imported",
        "test module 'test_sample.py' is not imported, so Odoo never runs it",
    )


def test_python_xml_id_references(addon):
    """env.ref() and field groups= in Python are resolved too."""
    replace(
        addon,
        "models/sample_thing.py",
        "sample_addon.sample_thing_action",
        "sample_addon.ghost",
    )
    replace(
        addon,
        "models/sample_thing.py",
        'groups="sample_addon.group_sample_user"',
        'groups="group_sample_user"',
    )
    assert_reports(
        check_addon(str(addon)),
        "sample_addon/models/sample_thing.py:12: "
        "XML id 'sample_addon.ghost' in env.ref() "
        "is not defined in sample_addon",
        "sample_addon/models/sample_thing.py:9: XML id 'group_sample_user' in field "
        "groups= must be fully qualified",
    )


# ----------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------
def test_cli_fails_on_broken_addon(addon):
    """The command prints one problem per line and exits 1."""
    replace(addon, "views/sample_thing_views.xml", "</form>", "</from>")
    replace(addon, "__manifest__.py", "18.0.1.0.0", "18.0.1")
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(addon.parent)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert all(line.startswith("sample_addon/") for line in lines)


def test_cli_succeeds_on_clean_addon(addon):
    """The command exits 0 with a summary when nothing is wrong."""
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(addon)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked 1 addon(s) (sample_addon): no problems found" in result.stdout


def test_for_xml_id_reference(addon):
    """_for_xml_id() names an action that must exist."""
    write(
        addon,
        "models/sample_thing.py",
        MODEL_PY
        + """
    def action_list(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "sample_addon.sample_thing_actoin"
        )
""",
    )
    assert_reports(
        check_addon(str(addon)),
        "XML id 'sample_addon.sample_thing_actoin' in _for_xml_id() is not defined",
    )

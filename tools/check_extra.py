#!/usr/bin/env python3
"""The few checks of the addons that no maintained tool makes.

oca-checks-odoo-module, oca-checks-po and pylint-odoo cover manifests, XML,
CSV and PO syntax, duplicate and unused files and ids, XML headers and the
Python rules. None of them resolves a reference or reads an ``__init__.py``:
only Odoo does, when it installs the addon on a database. Checked here:

* ``xml-id-unknown``: an id of this addon (or of a sibling addon of this
  directory) that is referred to, by ``ref=``, ``ref()`` in ``eval``, menuitem
  ``parent`` / ``action``, ``groups=``, template ``inherit_id``, ``%(id)d`` in
  views, the ``:id`` columns of CSV files or ``env.ref()`` in Python, is
  defined by the addon's data, demo data or models;
* ``model-without-access``: every model the addon creates has an access row;
* ``module-not-imported``: every module of ``models/``, ``wizards/``,
  ``report/``, ``controllers/`` and every ``tests/test_*.py`` is imported by
  its package (Odoo and its test loader see nothing else).

Usage: ``python3 tools/check_extra.py addons`` prints one line per finding,
``<file>:<line>: <check> <message>``, and exits 1 when there is one.
"""

import ast
import csv
import re
import sys
from pathlib import Path

from lxml import etree

PACKAGES = ("models", "wizards", "report", "controllers", "tests")
EVAL_REF = re.compile(r"""\bref\(\s*['"]([\w.]+)['"]""")
PERCENT_REF = re.compile(r"%\(([\w.]+)\)[ds]")
XML_REF_ATTRIBUTES = {
    "field": ("ref",),
    "value": ("ref",),
    "menuitem": ("parent", "action"),
    "template": ("inherit_id",),
}


class Addon:
    def __init__(self, path):
        self.path = path
        self.name = path.name
        self.manifest = ast.literal_eval((path / "__manifest__.py").read_text())
        self.defined = set()  # ids without the module prefix
        self.refs = []  # (file, line, xml id)
        self.models = {}  # model -> (file, line) of the models it creates
        self.covered = set()  # model_<name> ids having an access row
        self.findings = []

    def finding(self, file, line, check, message):
        rel = file.relative_to(self.path.parent)
        self.findings.append(f"{rel}:{line}: {check} {message}")

    def read(self):
        for key in ("data", "demo"):
            for rel in self.manifest.get(key, []):
                file = self.path / rel
                if file.suffix == ".xml":
                    self._read_xml(file)
                elif file.suffix == ".csv":
                    self._read_csv(file)
        for file in sorted(self.path.rglob("*.py")):
            self._read_python(file)

    def _read_xml(self, file):
        for node in etree.parse(str(file)).iter(tag=etree.Element):
            if node.tag in ("record", "template", "menuitem") and node.get("id"):
                self.defined.add(node.get("id").removeprefix(f"{self.name}."))
            names = list(XML_REF_ATTRIBUTES.get(node.tag, ()))
            refs = [node.get(name) for name in names if node.get(name)]
            groups = node.get("groups") or ""
            refs += [g.strip().lstrip("!-") for g in groups.split(",") if g.strip()]
            for value in node.attrib.values():
                refs += EVAL_REF.findall(value) + PERCENT_REF.findall(value)
            self.refs += [(file, node.sourceline, ref) for ref in refs]
            if node.get("model") == "ir.model.access":
                model = node.find("field[@name='model_id']")
                if model is not None and model.get("ref"):
                    self.covered.add(model.get("ref").split(".")[-1])

    def _read_csv(self, file):
        with file.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for line, row in enumerate(rows, start=2):
            self.defined.add(row["id"].removeprefix(f"{self.name}."))
            for column, value in row.items():
                if column.endswith((":id", "/id")) and value:
                    self.refs.append((file, line, value))
            if file.stem == "ir.model.access" and row.get("model_id:id"):
                self.covered.add(row["model_id:id"].split(".")[-1])

    def _read_python(self, file):
        tree = ast.parse(file.read_text(), str(file))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                self._read_class(file, node)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "ref"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and "." in str(node.args[0].value)
            ):
                self.refs.append((file, node.lineno, node.args[0].value))

    def _read_class(self, file, node):
        values = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
                try:
                    values[stmt.targets[0].id] = ast.literal_eval(stmt.value)
                except ValueError:
                    continue
        name, inherit = values.get("_name"), values.get("_inherit", ())
        inherit = [inherit] if isinstance(inherit, str) else inherit
        if not isinstance(name, str) or name in inherit:
            return
        model_id = "model_" + name.replace(".", "_")
        self.defined.add(model_id)
        bases = {getattr(base, "attr", getattr(base, "id", "")) for base in node.bases}
        if bases & {"Model", "TransientModel"}:
            self.models[model_id] = (file, node.lineno)

    def check(self, siblings):
        for file, line, xml_id in self.refs:
            module, _, local = xml_id.rpartition(".")
            owner = siblings.get(module or self.name)
            if owner and local not in owner.defined and not local.startswith("field_"):
                self.finding(
                    file,
                    line,
                    "xml-id-unknown",
                    f"{xml_id} is not defined by {owner.name}",
                )
        for model_id, (file, line) in sorted(self.models.items()):
            if model_id not in self.covered:
                self.finding(
                    file, line, "model-without-access", f"{model_id} has no access row"
                )
        for package in PACKAGES:
            self._check_imported(package)
        return self.findings

    def _check_imported(self, package):
        init = self.path / package / "__init__.py"
        if not init.exists():
            return
        imported = set()
        for node in ast.walk(ast.parse(init.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imported |= (
                    {node.module} if node.module else {a.name for a in node.names}
                )
        for module in sorted((self.path / package).glob("*.py")):
            wanted = package != "tests" or module.name.startswith("test_")
            if wanted and module.stem not in imported | {"__init__", "common"}:
                self.finding(
                    init, 1, "module-not-imported", f"{module.name} is not imported"
                )


def check(directories):
    """Findings of every addon found in ``directories``."""
    addons = {}
    for directory in map(Path, directories):
        for manifest in sorted(directory.glob("*/__manifest__.py")):
            addon = Addon(manifest.parent)
            addon.read()
            addons[addon.name] = addon
    return [line for addon in addons.values() for line in addon.check(addons)]


def main(argv=None):
    findings = check((argv if argv is not None else sys.argv[1:]) or ["addons"])
    print("\n".join(findings) or "check_extra: no finding")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Static sanity checks for Odoo 18.0 addons, run without a database.

The checker reads what Odoo would read at install time (manifest, data and
demo files, security CSVs, Python sources) and reports the mistakes that
otherwise only surface when a module is installed on a live database:

* manifest: parses, known keys only, required keys, version, license,
  development status, value types;
* data / demo files: exist, parse (XML well formed with an ``<odoo>`` root
  and, when Odoo is importable, valid against Odoo's ``import_xml.rng``;
  CSV with a header and an ``id`` column);
* ``ir.model.access`` CSV rows: columns, permission values, the model and
  group each row names, and models that have no access rule at all;
* XML ids referenced from XML data (``ref``, ``eval="ref(...)"``, menuitem
  ``parent`` / ``action`` / ``groups``, template ``inherit_id`` / ``groups``,
  ``%(xmlid)d`` and ``groups`` inside view architectures) and from Python
  (``env.ref()``, ``_for_xml_id()``, ``has_group()``, field ``groups=``): ids of this
  addon must be defined, and defined *before* they are used in load order;
  ids of other modules must carry the prefix of a module this addon depends
  on (ids of sibling addons in the same directory are looked up as well);
* Python: every file compiles, relative imports point at existing modules,
  and every module under ``models/``, ``wizards/``, ``report/``, ... (and
  every ``tests/test_*.py``) is actually imported.

Usable as a library (:func:`check_addon`, :func:`check_addons`) and as a
command::

    python3 tools/check_addons.py addons/

Each problem is printed as ``<addon>/<file>:<line>: <message>``; the exit
status is 1 when there is at least one problem, 0 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import csv
import difflib
import glob
import importlib.util
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

MANIFEST = "__manifest__.py"

# Keys Odoo 18 reads from a manifest (odoo/modules/module.py defaults, the
# ir.module.module fields filled from it, the app store) plus the keys the
# OCA tooling relies on.
KNOWN_MANIFEST_KEYS = frozenset(
    {
        "application",
        "assets",
        "author",
        "auto_install",
        "bootstrap",
        "category",
        "cloc_exclude",
        "configurator_snippets",
        "contributors",
        "countries",
        "currency",
        "data",
        "demo",
        "demo_xml",
        "depends",
        "description",
        "development_status",
        "excludes",
        "external_dependencies",
        "icon",
        "images",
        "images_preview_theme",
        "init_xml",
        "installable",
        "license",
        "live_test_url",
        "maintainer",
        "maintainers",
        "name",
        "new_page_templates",
        "post_init_hook",
        "post_load",
        "pre_init_hook",
        "price",
        "qweb",
        "sequence",
        "summary",
        "support",
        "test",
        "uninstall_hook",
        "update_xml",
        "url",
        "version",
        "web",
        "website",
    }
)

REQUIRED_MANIFEST_KEYS = (
    "name",
    "version",
    "license",
    "author",
    "website",
    "depends",
    "category",
    "summary",
    "maintainers",
    "development_status",
)

# The values of ir.module.module.license in Odoo 18.
LICENSES = frozenset(
    {
        "GPL-2",
        "GPL-2 or any later version",
        "GPL-3",
        "GPL-3 or any later version",
        "AGPL-3",
        "LGPL-3",
        "Other OSI approved licence",
        "OEEL-1",
        "OPL-1",
        "Other proprietary",
    }
)

DEVELOPMENT_STATUSES = ("Alpha", "Beta", "Production/Stable", "Mature")

VERSION_RE = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")

# Manifest keys listing files that are loaded, in Odoo's load order.
DATA_KEYS = ("init_xml", "update_xml", "data")
DEMO_KEYS = ("demo_xml", "demo")

_LIST_OF_STR_KEYS = frozenset(
    {"depends", "maintainers", "excludes", "images", "countries", "cloc_exclude"}
    | set(DATA_KEYS)
    | set(DEMO_KEYS)
)
_STR_KEYS = frozenset(
    {
        "name",
        "version",
        "license",
        "author",
        "website",
        "category",
        "summary",
        "description",
        "development_status",
        "post_init_hook",
        "pre_init_hook",
        "uninstall_hook",
        "post_load",
    }
)
_BOOL_KEYS = frozenset({"installable", "application"})

ACCESS_COLUMNS = (
    "id",
    "name",
    "model_id:id",
    "group_id:id",
    "perm_read",
    "perm_write",
    "perm_create",
    "perm_unlink",
)
PERM_VALUES = frozenset({"0", "1", "True", "False", "true", "false"})

# Directories whose Python modules Odoo only sees when they are imported.
IMPORTED_PACKAGES = ("models", "wizard", "wizards", "report", "reports", "controllers")
# Python sources not scanned for model definitions or XML id references.
SKIPPED_PY_DIRS = frozenset({"tests", "migrations", "upgrades", "static"})

_EVAL_REF_RE = re.compile(r"""\bref\(\s*(['"])([^'"]+)\1""")
# The pattern odoo.tools.convert applies to arch / html fields.
_PERCENT_REF_RE = re.compile(r"[^%]%\((.*?)\)[ds]")
_XMLID_RE = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)?$")


@dataclass
class Definition:
    """Where an XML id of an addon comes from."""

    file: str
    line: int
    order: tuple[int, int]  # (position in load order, line); (-1, 0) = always
    model: str | None
    demo: bool = False


@dataclass
class AddonIndex:
    """What one addon defines, gathered before any reference is checked."""

    name: str
    path: str
    manifest: dict | None = None
    manifest_tree: ast.Dict | None = None
    depends: list[str] = field(default_factory=list)
    # xml id (without module prefix) -> definitions
    ids: dict[str, list[Definition]] = field(default_factory=dict)
    # model name -> (file, line, kind) where kind is Model/TransientModel/...
    models: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    # (file relative to addon, kind) in load order
    files: list[tuple[str, str]] = field(default_factory=list)
    # parsed sources, kept for the reference checks
    python_trees: dict[str, ast.Module] = field(default_factory=dict)
    # file -> (tree, load position, is demo)
    xml_trees: dict[str, tuple] = field(default_factory=dict)
    # file -> (model, header, rows, load position, is demo)
    csv_files: dict[str, tuple] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # a source could not be read: missing ids may just be in it, so they
    # are not reported (the unreadable file is)
    incomplete: bool = False

    def add_id(self, xmlid: str, definition: Definition) -> None:
        self.ids.setdefault(xmlid, []).append(definition)

    def first_definition(self, xmlid: str) -> Definition | None:
        defs = self.ids.get(xmlid)
        if not defs:
            return None
        return min(defs, key=lambda d: d.order)


def _model_xmlid(model_name: str) -> str:
    return "model_" + model_name.replace(".", "_")


def is_addon(path: str) -> bool:
    return os.path.isfile(os.path.join(path, MANIFEST))


def find_addons(root: str) -> list[str]:
    """Addon directories in ``root`` (or ``root`` itself if it is one)."""
    if is_addon(root):
        return [root]
    if not os.path.isdir(root):
        return []
    return [
        os.path.join(root, entry)
        for entry in sorted(os.listdir(root))
        if is_addon(os.path.join(root, entry))
    ]


def odoo_addons_dirs() -> list[str]:
    """Directories holding Odoo's own addons, found without importing Odoo."""
    dirs = []
    for env_path in os.environ.get("ODOO_ADDONS_PATH", "").split(","):
        if env_path.strip():
            dirs.append(env_path.strip())
    try:
        spec = importlib.util.find_spec("odoo")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        dirs.append(os.path.join(location, "addons"))
    for entry in sys.path:
        dirs.append(os.path.join(entry or ".", "odoo", "addons"))
    seen, result = set(), []
    for path in dirs:
        real = os.path.realpath(path)
        if real not in seen and os.path.isdir(real):
            seen.add(real)
            result.append(real)
    return result


def _odoo_rng() -> etree.RelaxNG | None:
    """Odoo's schema for data XML files, when Odoo is installed."""
    try:
        spec = importlib.util.find_spec("odoo")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(location, "import_xml.rng")
        if os.path.isfile(path):
            try:
                return etree.RelaxNG(etree.parse(path))
            except (etree.LxmlError, OSError):
                return None
    return None


_RNG_CACHE: list = []


def _get_rng() -> etree.RelaxNG | None:
    if not _RNG_CACHE:
        _RNG_CACHE.append(_odoo_rng())
    return _RNG_CACHE[0]


_LINES: dict[str, list[str]] = {}


def _locate(path: str, element: etree._Element, *needles: str) -> int:
    """Line of ``element``'s start tag holding one of ``needles``.

    lxml gives the line where a start tag *ends*; with one attribute per
    line that is not where the attribute is, so look back for it.
    """
    end = element.sourceline or 1
    if path not in _LINES:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                _LINES[path] = f.read().splitlines()
        except OSError:
            _LINES[path] = []
    lines = _LINES[path]
    start_tag = f"<{element.tag}"
    for number in range(min(end, len(lines)), max(end - 200, 0), -1):
        text = lines[number - 1]
        if any(needle and needle in text for needle in needles):
            return number
        if start_tag in text:
            return number
    return end


def _parse_xml(path: str) -> etree._ElementTree:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_blank_text=False
    )
    return etree.parse(path, parser)


class Checker:
    """Holds the addons of a run so that references between them resolve."""

    def __init__(
        self,
        search_dirs: Iterable[str] = (),
        direct_depends_only: bool = False,
        use_rng: bool = True,
    ) -> None:
        self.search_dirs = [d for d in search_dirs if os.path.isdir(d)]
        self.direct_depends_only = direct_depends_only
        self.use_rng = use_rng
        self._indexes: dict[str, AddonIndex] = {}
        self._manifest_cache: dict[str, dict | None] = {}
        self._odoo_dirs: list[str] | None = None

    # ------------------------------------------------------------------
    # Locating other modules
    # ------------------------------------------------------------------
    def _module_dirs(self) -> list[str]:
        if self._odoo_dirs is None:
            self._odoo_dirs = odoo_addons_dirs()
        return self.search_dirs + self._odoo_dirs

    def _find_module(self, name: str) -> str | None:
        for directory in self._module_dirs():
            candidate = os.path.join(directory, name)
            if is_addon(candidate):
                return candidate
        return None

    def _manifest_of(self, name: str) -> dict | None:
        if name not in self._manifest_cache:
            path = self._find_module(name)
            manifest = None
            if path:
                try:
                    with open(os.path.join(path, MANIFEST), encoding="utf-8") as f:
                        manifest = ast.literal_eval(f.read())
                except (OSError, SyntaxError, ValueError):
                    manifest = None
            self._manifest_cache[name] = (
                manifest if isinstance(manifest, dict) else None
            )
        return self._manifest_cache[name]

    def allowed_modules(self, index: AddonIndex) -> set[str]:
        """Modules whose XML ids this addon may use."""
        allowed = {index.name, "base"} | set(index.depends)
        if self.direct_depends_only:
            return allowed
        todo = list(index.depends)
        while todo:
            module = todo.pop()
            manifest = self._manifest_of(module)
            if not manifest:
                continue
            for dep in manifest.get("depends") or []:
                if isinstance(dep, str) and dep not in allowed:
                    allowed.add(dep)
                    todo.append(dep)
        return allowed

    def sibling_index(self, name: str) -> AddonIndex | None:
        """Index of another addon of the checked directories, if any."""
        if name in self._indexes:
            return self._indexes[name]
        for directory in self.search_dirs:
            candidate = os.path.join(directory, name)
            if is_addon(candidate):
                return self.index(candidate)
        return None

    def index(self, path: str) -> AddonIndex:
        path = os.path.normpath(path)
        name = os.path.basename(os.path.abspath(path))
        if name not in self._indexes:
            self._indexes[name] = AddonIndexer(path, self).build()
        return self._indexes[name]

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    def check(self, path: str) -> list[str]:
        index = self.index(path)
        problems = list(index.problems)
        problems.extend(ReferenceChecker(index, self).run())
        return problems


class AddonIndexer:
    """Reads one addon: manifest, definitions of XML ids and models."""

    def __init__(self, path: str, checker: Checker) -> None:
        self.path = path
        self.name = os.path.basename(os.path.abspath(path))
        self.checker = checker
        self.index = AddonIndex(name=self.name, path=path)

    def problem(self, rel_file: str, line: int | None, message: str) -> None:
        self.index.problems.append(f"{self.name}/{rel_file}:{line or 1}: {message}")

    def build(self) -> AddonIndex:
        self._read_manifest()
        self._read_python()
        self._read_data_files()
        return self.index

    # ------------------------------------------------------------------
    # Manifest
    # ------------------------------------------------------------------
    def _read_manifest(self) -> None:
        file_path = os.path.join(self.path, MANIFEST)
        try:
            with open(file_path, encoding="utf-8") as f:
                source = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(MANIFEST, 1, f"cannot read manifest: {exc}")
            return
        try:
            tree = ast.parse(source, MANIFEST)
        except SyntaxError as exc:
            self.problem(
                MANIFEST, exc.lineno, f"manifest is not valid Python: {exc.msg}"
            )
            return
        if (
            len(tree.body) != 1
            or not isinstance(tree.body[0], ast.Expr)
            or not isinstance(tree.body[0].value, ast.Dict)
        ):
            self.problem(MANIFEST, 1, "manifest must contain a single dict literal")
            return
        dict_node = tree.body[0].value
        try:
            manifest = ast.literal_eval(source)
        except (SyntaxError, ValueError) as exc:
            self.problem(
                MANIFEST, 1, f"manifest cannot be read with ast.literal_eval: {exc}"
            )
            return
        self.index.manifest = manifest
        self.index.manifest_tree = dict_node
        self._check_manifest(manifest, dict_node)
        depends = manifest.get("depends")
        if isinstance(depends, list):
            self.index.depends = [d for d in depends if isinstance(d, str)]

    def _key_line(self, key: str) -> int:
        node = self.index.manifest_tree
        if node is not None:
            for key_node in node.keys:
                if isinstance(key_node, ast.Constant) and key_node.value == key:
                    return key_node.lineno
        return 1

    def _value_node(self, key: str) -> ast.AST | None:
        node = self.index.manifest_tree
        if node is not None:
            for key_node, value_node in zip(node.keys, node.values, strict=True):
                if isinstance(key_node, ast.Constant) and key_node.value == key:
                    return value_node
        return None

    def _check_manifest(self, manifest: dict, dict_node: ast.Dict) -> None:
        seen: dict[str, int] = {}
        for key_node in dict_node.keys:
            if not isinstance(key_node, ast.Constant) or not isinstance(
                key_node.value, str
            ):
                self.problem(
                    MANIFEST,
                    getattr(key_node, "lineno", 1),
                    "manifest keys must be strings",
                )
                continue
            key = key_node.value
            if key in seen:
                self.problem(
                    MANIFEST,
                    key_node.lineno,
                    f"duplicate manifest key {key!r} (first on line {seen[key]})",
                )
            seen.setdefault(key, key_node.lineno)
            if key not in KNOWN_MANIFEST_KEYS:
                close = difflib.get_close_matches(key, KNOWN_MANIFEST_KEYS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.problem(
                    MANIFEST,
                    key_node.lineno,
                    f"unknown manifest key {key!r}{hint}",
                )
        for key in REQUIRED_MANIFEST_KEYS:
            if key not in manifest:
                self.problem(MANIFEST, 1, f"required manifest key {key!r} is missing")

        for key, value in manifest.items():
            if not isinstance(key, str):
                continue
            line = self._key_line(key)
            if key in _STR_KEYS and not isinstance(value, str):
                self.problem(MANIFEST, line, f"manifest key {key!r} must be a string")
            elif key in _LIST_OF_STR_KEYS and (
                not isinstance(value, list | tuple)
                or not all(isinstance(item, str) for item in value)
            ):
                self.problem(
                    MANIFEST, line, f"manifest key {key!r} must be a list of strings"
                )
            elif key in _BOOL_KEYS and not isinstance(value, bool):
                self.problem(
                    MANIFEST, line, f"manifest key {key!r} must be True or False"
                )
            elif key == "auto_install" and not isinstance(value, bool | list | tuple):
                self.problem(
                    MANIFEST,
                    line,
                    "manifest key 'auto_install' must be a bool or a list",
                )
            elif key in ("assets", "external_dependencies") and not isinstance(
                value, dict
            ):
                self.problem(MANIFEST, line, f"manifest key {key!r} must be a dict")

        version = manifest.get("version")
        if isinstance(version, str) and not VERSION_RE.match(version):
            self.problem(
                MANIFEST,
                self._key_line("version"),
                f"version {version!r} does not match 18.0.x.y.z",
            )
        license_ = manifest.get("license")
        if isinstance(license_, str) and license_ not in LICENSES:
            self.problem(
                MANIFEST,
                self._key_line("license"),
                f"license {license_!r} is not one of {', '.join(sorted(LICENSES))}",
            )
        status = manifest.get("development_status")
        if isinstance(status, str) and status not in DEVELOPMENT_STATUSES:
            self.problem(
                MANIFEST,
                self._key_line("development_status"),
                f"development_status {status!r} is not one of "
                f"{', '.join(DEVELOPMENT_STATUSES)}",
            )
        depends = manifest.get("depends")
        if isinstance(depends, list) and self.name in depends:
            self.problem(MANIFEST, self._key_line("depends"), "addon depends on itself")
        self._check_assets(manifest.get("assets"))

    def _check_assets(self, assets: object) -> None:
        if not isinstance(assets, dict):
            return
        line = self._key_line("assets")
        parent = os.path.dirname(os.path.abspath(self.path))
        for bundle, entries in assets.items():
            if not isinstance(entries, list | tuple):
                self.problem(MANIFEST, line, f"assets bundle {bundle!r} must be a list")
                continue
            for entry in entries:
                if isinstance(entry, list | tuple):
                    # ('include', bundle) / ('remove', path) / ('after', x, path)...
                    paths = [e for e in entry[1:] if isinstance(e, str) and "/" in e]
                else:
                    paths = [entry] if isinstance(entry, str) else []
                for asset in paths:
                    if not asset.startswith(self.name + "/"):
                        continue  # another module's files; not visible here
                    if not glob.glob(os.path.join(parent, asset), recursive=True):
                        self.problem(
                            MANIFEST,
                            line,
                            f"asset {asset!r} of bundle {bundle!r} matches no file",
                        )

    # ------------------------------------------------------------------
    # Python: compile, models, imports
    # ------------------------------------------------------------------
    def python_files(self) -> Iterator[str]:
        for dirpath, dirnames, filenames in os.walk(self.path):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and d != "__pycache__"
            )
            for filename in sorted(filenames):
                if filename.endswith(".py"):
                    yield os.path.relpath(os.path.join(dirpath, filename), self.path)

    def _read_python(self) -> None:
        for rel in self.python_files():
            if rel == MANIFEST:
                continue  # read by _read_manifest()
            full = os.path.join(self.path, rel)
            try:
                with open(full, "rb") as f:
                    source = f.read()
                compile(source, rel, "exec", dont_inherit=True)
                tree = ast.parse(source, rel)
            except SyntaxError as exc:
                self.problem(rel, exc.lineno, f"Python syntax error: {exc.msg}")
                self.index.incomplete = True
                continue
            except (OSError, ValueError) as exc:
                self.problem(rel, 1, f"cannot compile: {exc}")
                self.index.incomplete = True
                continue
            self.index.python_trees[rel] = tree
            if rel.split(os.sep)[0] in SKIPPED_PY_DIRS:
                continue
            for model, line, kind in _models_defined(tree):
                if model in self.index.models:
                    other = self.index.models[model]
                    self.problem(
                        rel,
                        line,
                        f"model {model!r} is already defined in "
                        f"{self.name}/{other[0]}:{other[1]}",
                    )
                    continue
                self.index.models[model] = (rel, line, kind)
                self.index.add_id(
                    _model_xmlid(model), Definition(rel, line, (-1, 0), "ir.model")
                )

    # ------------------------------------------------------------------
    # Data files: existence, parsing, definitions
    # ------------------------------------------------------------------
    def _read_data_files(self) -> None:
        manifest = self.index.manifest
        if manifest is None:
            return
        seen: dict[str, str] = {}
        position = 0
        for kind, keys in (("data", DATA_KEYS), ("demo", DEMO_KEYS)):
            for key in keys:
                files = manifest.get(key)
                if not isinstance(files, list | tuple):
                    continue
                value_node = self._value_node(key)
                elts = getattr(value_node, "elts", [])
                for i, rel in enumerate(files):
                    if not isinstance(rel, str):
                        continue
                    line = elts[i].lineno if i < len(elts) else self._key_line(key)
                    if rel in seen:
                        self.problem(
                            MANIFEST,
                            line,
                            f"{rel!r} is listed twice (in {seen[rel]!r} and {key!r})",
                        )
                        continue
                    seen[rel] = key
                    full = os.path.join(self.path, rel)
                    if not os.path.isfile(full):
                        self.problem(
                            MANIFEST, line, f"{key} file {rel!r} does not exist"
                        )
                        continue
                    self.index.files.append((rel, kind))
                    ext = os.path.splitext(rel)[1].lower()
                    if ext == ".xml":
                        self._read_xml(rel, position, kind == "demo")
                    elif ext == ".csv":
                        self._read_csv(rel, position, kind == "demo")
                    elif ext not in (".sql", ".js"):
                        self.problem(
                            MANIFEST,
                            line,
                            f"{key} file {rel!r} has a type Odoo cannot load "
                            "(expected .xml, .csv or .sql)",
                        )
                    position += 1

    def _define(
        self,
        rel: str,
        xmlid: str,
        line: int,
        position: int,
        model: str | None,
        demo: bool,
    ) -> None:
        if not xmlid:
            return
        module, _, local = xmlid.rpartition(".")
        if module and module != self.name:
            return  # redefining another module's record: checked as a reference
        for previous in self.index.ids.get(local, []):
            if previous.order[0] >= 0 and previous.demo == demo:
                self.problem(
                    rel,
                    line,
                    f"XML id {local!r} is already defined at "
                    f"{self.name}/{previous.file}:{previous.line}",
                )
                break
        self.index.add_id(local, Definition(rel, line, (position, line), model, demo))

    def _read_xml(self, rel: str, position: int, demo: bool) -> None:
        full = os.path.join(self.path, rel)
        try:
            tree = _parse_xml(full)
        except etree.XMLSyntaxError as exc:
            self.problem(rel, exc.lineno, f"XML is not well-formed: {exc.msg}")
            self.index.incomplete = True
            return
        root = tree.getroot()
        if root.tag != "odoo":
            self.problem(
                rel, root.sourceline, f"root element is <{root.tag}>, not <odoo>"
            )
            self.index.incomplete = True
            return
        if self.checker.use_rng:
            rng = _get_rng()
            if rng is not None and not rng.validate(tree):
                for error in list(rng.error_log)[:3]:
                    self.problem(
                        rel,
                        error.line,
                        f"does not match Odoo's import_xml.rng: {error.message}",
                    )
        self.index.xml_trees[rel] = (tree, position, demo)
        for element in _data_elements(root):
            if element.tag == "record":
                self._define(
                    rel,
                    element.get("id", ""),
                    _locate(full, element, "id="),
                    position,
                    element.get("model"),
                    demo,
                )
            elif element.tag == "template":
                self._define(
                    rel,
                    element.get("id") or element.get("t-name", ""),
                    _locate(full, element, "id=", "t-name="),
                    position,
                    "ir.ui.view",
                    demo,
                )
            elif element.tag == "menuitem":
                self._define(
                    rel,
                    element.get("id", ""),
                    _locate(full, element, "id="),
                    position,
                    "ir.ui.menu",
                    demo,
                )

    def _read_csv(self, rel: str, position: int, demo: bool) -> None:
        full = os.path.join(self.path, rel)
        model = os.path.splitext(os.path.basename(rel))[0].split("-")[0]
        try:
            with open(full, encoding="utf-8", newline="") as f:
                reader = csv.reader(f, quotechar='"', delimiter=",")
                header = next(reader, None)
                rows = []
                for row in reader:
                    rows.append((reader.line_num, row))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self.problem(rel, 1, f"cannot parse CSV: {exc}")
            self.index.incomplete = True
            return
        if not header or not any(cell.strip() for cell in header):
            self.problem(rel, 1, "CSV file has no header row")
            return
        header = [cell.strip() for cell in header]
        if "id" not in header:
            self.problem(
                rel, 1, "CSV header has no 'id' column (needed to update data)"
            )
        for line, row in rows:
            if any(row) and len(row) != len(header):
                self.problem(
                    rel,
                    line,
                    f"row has {len(row)} columns, the header has {len(header)}",
                )
        self.index.csv_files[rel] = (model, header, rows, position, demo)
        if "id" in header:
            id_col = header.index("id")
            for line, row in rows:
                if id_col < len(row) and row[id_col].strip():
                    self._define(rel, row[id_col].strip(), line, position, model, demo)


def _data_elements(root: etree._Element) -> Iterator[etree._Element]:
    """Top-level data elements of a data file, including nested ones.

    Yields ``<record>``, ``<template>``, ``<menuitem>`` (nested menuitems
    too), ``<function>`` and ``<delete>`` elements, plus records nested in
    one2many ``<field>`` elements; never descends into view architectures.
    """

    def walk(element: etree._Element) -> Iterator[etree._Element]:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "data":
                yield from walk(child)
            elif child.tag in ("record", "template", "menuitem", "function", "delete"):
                yield child
                if child.tag == "menuitem":
                    yield from walk(child)
                elif child.tag == "record":
                    for fld in child.iterchildren("field"):
                        if not _is_arch_field(fld):
                            yield from walk(fld)

    yield from walk(root)


def _is_arch_field(element: etree._Element) -> bool:
    return element.tag == "field" and element.get("type") in ("xml", "html")


def _models_defined(tree: ast.Module) -> Iterator[tuple[str, int, str]]:
    """(model name, line, kind) for each class that creates a new model."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        name_value = inherit_value = None
        register = True
        for stmt in node.body:
            if not isinstance(stmt, ast.Assign):
                continue
            for target in stmt.targets:
                if not isinstance(target, ast.Name):
                    continue
                if target.id == "_name" and isinstance(stmt.value, ast.Constant):
                    name_value = stmt.value.value
                elif target.id == "_inherit":
                    inherit_value = stmt.value
                elif (
                    target.id == "_register"
                    and isinstance(stmt.value, ast.Constant)
                    and stmt.value.value is False
                ):
                    register = False
        if not isinstance(name_value, str) or not register:
            continue
        if (
            isinstance(inherit_value, ast.Constant)
            and inherit_value.value == name_value
        ):
            continue  # extension of an existing model
        if isinstance(inherit_value, ast.List | ast.Tuple) and any(
            isinstance(e, ast.Constant) and e.value == name_value
            for e in inherit_value.elts
        ):
            continue
        kind = "Unknown"
        for base in node.bases:
            base_name = (
                base.attr
                if isinstance(base, ast.Attribute)
                else getattr(base, "id", "")
            )
            if base_name in ("Model", "TransientModel", "AbstractModel"):
                kind = base_name
                break
        yield name_value, node.lineno, kind


class ReferenceChecker:
    """Checks every reference an addon makes against what is defined."""

    def __init__(self, index: AddonIndex, checker: Checker) -> None:
        self.index = index
        self.checker = checker
        self.name = index.name
        self.problems: list[str] = []
        self.access_models: set[str] = set()
        self._allowed: set[str] | None = None

    def problem(self, rel: str, line: int | None, message: str) -> None:
        self.problems.append(f"{self.name}/{rel}:{line or 1}: {message}")

    def _at(self, rel: str, element: etree._Element, *needles: str) -> int:
        return _locate(os.path.join(self.index.path, rel), element, *needles)

    @property
    def allowed(self) -> set[str]:
        if self._allowed is None:
            self._allowed = self.checker.allowed_modules(self.index)
        return self._allowed

    def run(self) -> list[str]:
        if self.index.manifest is not None:
            for rel, (tree, position, demo) in self.index.xml_trees.items():
                self._check_xml(rel, tree, position, demo)
            for rel, info in self.index.csv_files.items():
                self._check_csv(rel, *info)
            self._check_models_have_access()
        self._check_python()
        return self.problems

    # ------------------------------------------------------------------
    # Resolving one reference
    # ------------------------------------------------------------------
    def check_ref(
        self,
        rel: str,
        line: int,
        xmlid: str,
        where: str,
        order: tuple[int, int] | None,
        demo: bool = False,
        qualified: bool = False,
        model: str | None = None,
    ) -> None:
        """Report ``xmlid`` used in ``rel`` at ``line`` if it cannot resolve.

        ``order`` is the load position of the user (None: run time, after
        everything is loaded); ``qualified`` requires a ``module.`` prefix;
        ``model`` requires the target record to be of that model.
        """
        xmlid = xmlid.strip()
        if not xmlid:
            self.problem(rel, line, f"empty XML id in {where}")
            return
        if not _XMLID_RE.match(xmlid):
            self.problem(rel, line, f"{xmlid!r} in {where} is not a valid XML id")
            return
        module, _, local = xmlid.rpartition(".")
        if not module and qualified:
            self.problem(
                rel,
                line,
                f"XML id {xmlid!r} in {where} must be fully qualified "
                f"(e.g. '{self.name}.{xmlid}')",
            )
            return
        if module and module != self.name:
            if module not in self.allowed:
                self.problem(
                    rel,
                    line,
                    f"XML id {xmlid!r} in {where} uses module {module!r}, which "
                    f"{self.name} does not depend on",
                )
                return
            sibling = self.checker.sibling_index(module)
            if sibling is not None and sibling.manifest is not None:
                self._check_defined(
                    rel, line, xmlid, where, sibling, local, None, demo, model
                )
            return
        if local.startswith("field_"):
            return  # ids of fields are generated by Odoo; not tracked here
        self._check_defined(
            rel, line, xmlid, where, self.index, local, order, demo, model
        )

    def _check_defined(
        self,
        rel: str,
        line: int,
        xmlid: str,
        where: str,
        index: AddonIndex,
        local: str,
        order: tuple[int, int] | None,
        demo: bool,
        model: str | None,
    ) -> None:
        definitions = index.ids.get(local)
        if not definitions and index.incomplete:
            return  # it may be defined in the file that could not be read
        if not definitions:
            if local.startswith("model_"):
                self.problem(
                    rel,
                    line,
                    f"{xmlid!r} in {where} names no model defined in "
                    f"{index.name}'s Python code",
                )
            else:
                self.problem(
                    rel,
                    line,
                    f"XML id {xmlid!r} in {where} is not defined in {index.name}",
                )
            return
        if model is not None:
            models = {d.model for d in definitions}
            if model not in models:
                found = "/".join(sorted(m for m in models if m)) or "untyped"
                self.problem(
                    rel,
                    line,
                    f"XML id {xmlid!r} in {where} is a {found} record, "
                    f"expected {model}",
                )
                return
        if not demo:
            if all(d.demo for d in definitions):
                first = definitions[0]
                self.problem(
                    rel,
                    line,
                    f"XML id {xmlid!r} in {where} is only defined in demo data "
                    f"({index.name}/{first.file}:{first.line})",
                )
                return
        if order is not None and index is self.index:
            first = self.index.first_definition(local)
            if first is not None and first.order > order:
                self.problem(
                    rel,
                    line,
                    f"XML id {xmlid!r} in {where} is used before it is defined "
                    f"({self.name}/{first.file}:{first.line} loads later)",
                )

    # ------------------------------------------------------------------
    # XML data files
    # ------------------------------------------------------------------
    def _check_xml(
        self, rel: str, tree: etree._ElementTree, position: int, demo: bool
    ) -> None:
        for element in _data_elements(tree.getroot()):
            order = (position, element.sourceline)
            record_id = element.get("id", "")
            if element.tag == "record" and "." in record_id:
                if record_id.rpartition(".")[0] != self.name:
                    line = self._at(rel, element, "id=")
                    self.check_ref(rel, line, record_id, "<record id>", order, demo)
            if element.tag == "menuitem":
                self._check_menuitem(rel, element, order, demo)
            elif element.tag == "template":
                if element.get("inherit_id"):
                    self.check_ref(
                        rel,
                        self._at(rel, element, "inherit_id="),
                        element.get("inherit_id"),
                        "template inherit_id",
                        order,
                        demo,
                        model="ir.ui.view",
                    )
                self._check_groups(rel, element, "template groups", order, demo)
                self._check_arch(rel, element, order, demo, is_template=True)
            elif element.tag in ("record", "function"):
                if element.get("eval"):
                    self._check_eval(rel, element, element.get("eval"), order, demo)
                for child in _own_fields(element):
                    if _is_arch_field(child):
                        self._check_arch(rel, child, order, demo, is_template=False)
                        if element.get("model") == "ir.ui.view":
                            self._check_view_arch(rel, child)
                        continue
                    if child.get("ref"):
                        self.check_ref(
                            rel,
                            self._at(rel, child, "ref="),
                            child.get("ref"),
                            f"ref of field {child.get('name')!r}",
                            order,
                            demo,
                        )
                    for attribute in ("eval", "search"):
                        if child.get(attribute):
                            self._check_eval(
                                rel, child, child.get(attribute), order, demo
                            )

    def _check_menuitem(
        self,
        rel: str,
        element: etree._Element,
        order: tuple[int, int],
        demo: bool,
    ) -> None:
        if element.get("parent"):
            self.check_ref(
                rel,
                self._at(rel, element, "parent="),
                element.get("parent"),
                "menuitem parent",
                order,
                demo,
                model="ir.ui.menu",
            )
        if element.get("action"):
            line = self._at(rel, element, "action=")
            self.check_ref(
                rel, line, element.get("action"), "menuitem action", order, demo
            )
        # menuitem groups: "-xmlid" removes a group
        self._check_groups(rel, element, "menuitem groups", order, demo, negation="-")
        web_icon = element.get("web_icon", "")
        module, _, icon = web_icon.partition(",")
        if (
            icon
            and module == self.name
            and not os.path.isfile(os.path.join(self.index.path, icon))
        ):
            line = self._at(rel, element, "web_icon=")
            self.problem(rel, line, f"menuitem web_icon file {icon!r} does not exist")

    def _check_eval(
        self,
        rel: str,
        element: etree._Element,
        expression: str,
        order: tuple[int, int],
        demo: bool,
    ) -> None:
        for match in _EVAL_REF_RE.finditer(expression):
            line = self._at(rel, element, match.group(0))
            self.check_ref(rel, line, match.group(2), "ref() in eval", order, demo)

    def _check_groups(
        self,
        rel: str,
        element: etree._Element,
        where: str,
        order: tuple[int, int] | None,
        demo: bool,
        negation: str = "!",
        qualified: bool = False,
    ) -> None:
        groups = element.get("groups")
        if groups is None:
            return
        line = self._at(rel, element, "groups=")
        for group in groups.split(","):
            if group != group.strip():
                self.problem(
                    rel,
                    line,
                    f"{where} {groups!r}: no spaces allowed around {group.strip()!r}",
                )
            group = group.strip()
            if group.startswith(negation):
                group = group[len(negation) :]
            self.check_ref(
                rel,
                line,
                group,
                where,
                order,
                demo,
                qualified=qualified,
                model="res.groups",
            )

    def _check_arch(
        self,
        rel: str,
        arch: etree._Element,
        order: tuple[int, int],
        demo: bool,
        is_template: bool,
    ) -> None:
        """References inside a view architecture or a QWeb template.

        ``groups`` there are resolved by full XML id when the view is
        validated or rendered; ``%(xmlid)d`` / ``%(xmlid)s`` are replaced by
        database ids when the file is loaded (odoo.tools.convert).
        """
        for node in arch.iter():
            if not isinstance(node.tag, str):
                continue
            texts = []
            if node is not arch:
                self._check_groups(
                    rel, node, f"groups of <{node.tag}>", None, demo, qualified=True
                )
                texts.extend(node.attrib.values())
                texts.extend([node.text or "", node.tail or ""])
            elif is_template:
                texts.extend(
                    value
                    for name, value in node.attrib.items()
                    if name not in ("id", "inherit_id", "groups")
                )
                texts.append(node.text or "")
            for text in texts:
                for match in _PERCENT_REF_RE.finditer(" " + text):
                    self.check_ref(
                        rel,
                        self._at(rel, node, f"%({match.group(1)})"),
                        match.group(1),
                        "%(...)d in view",
                        order,
                        demo,
                    )

    def _check_view_arch(self, rel: str, arch: etree._Element) -> None:
        """Odoo 18 view syntax that no longer loads."""
        roots = [n for n in arch if isinstance(n.tag, str)]
        if roots and roots[0].tag == "tree":
            self.problem(
                rel,
                self._at(rel, roots[0]),
                "Odoo 18 list views are <list>, not <tree>",
            )
        for node in arch.iter():
            if not isinstance(node.tag, str) or node is arch:
                continue
            for attribute in ("attrs", "states"):
                if attribute in node.attrib:
                    self.problem(
                        rel,
                        self._at(rel, node, f"{attribute}="),
                        f"the {attribute!r} attribute is not supported since "
                        "Odoo 17; use invisible/readonly/required expressions",
                    )

    # ------------------------------------------------------------------
    # CSV data files
    # ------------------------------------------------------------------
    def _check_csv(
        self,
        rel: str,
        model: str,
        header: list[str],
        rows: list[tuple[int, list[str]]],
        position: int,
        demo: bool,
    ) -> None:
        if model != "ir.model.access":
            return
        normalized = [col.replace("/id", ":id") for col in header]
        missing = [col for col in ACCESS_COLUMNS if col not in normalized]
        if missing:
            self.problem(
                rel, 1, f"access CSV header lacks columns: {', '.join(missing)}"
            )
            return
        col = {name: normalized.index(name) for name in ACCESS_COLUMNS}
        for line, row in rows:
            if not any(row) or len(row) != len(header):
                continue  # empty, or already reported by the indexer
            values = {name: row[i].strip() for name, i in col.items()}
            order = (position, line)
            for name in ("id", "name", "model_id:id"):
                if not values[name]:
                    self.problem(rel, line, f"access rule has an empty {name!r}")
            for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
                if values[perm] not in PERM_VALUES:
                    self.problem(
                        rel, line, f"{perm} must be 0 or 1, not {values[perm]!r}"
                    )
            model_ref = values["model_id:id"]
            if model_ref:
                local = model_ref.rpartition(".")[2]
                if not local.startswith("model_"):
                    self.problem(
                        rel,
                        line,
                        f"model_id:id {model_ref!r} is not a model id "
                        "(expected model_<name> or <module>.model_<name>)",
                    )
                else:
                    module = model_ref.rpartition(".")[0]
                    if module in ("", self.name):
                        self.access_models.add(local)
                    self.check_ref(rel, line, model_ref, "model_id:id", order, demo)
            if values["group_id:id"]:
                self.check_ref(
                    rel,
                    line,
                    values["group_id:id"],
                    "group_id:id",
                    order,
                    demo,
                    model="res.groups",
                )

    def _check_models_have_access(self) -> None:
        covered = set(self.access_models)
        for tree, _position, _demo in self.index.xml_trees.values():
            for element in _data_elements(tree.getroot()):
                if (
                    element.tag == "record"
                    and element.get("model") == "ir.model.access"
                ):
                    for fld in _own_fields(element):
                        if fld.get("name") == "model_id" and fld.get("ref"):
                            covered.add(fld.get("ref").rpartition(".")[2])
        for model, (rel, line, kind) in sorted(self.index.models.items()):
            if (
                kind in ("Model", "TransientModel")
                and _model_xmlid(model) not in covered
            ):
                self.problem(
                    rel,
                    line,
                    f"model {model!r} has no access rule "
                    "(add a row to security/ir.model.access.csv)",
                )

    # ------------------------------------------------------------------
    # Python
    # ------------------------------------------------------------------
    def _check_python(self) -> None:
        trees: dict[str, ast.Module] = self.index.python_trees
        imported = set()
        for rel, tree in trees.items():
            imported |= self._check_imports(rel, tree)
        self._check_unimported(trees, imported)
        if self.index.manifest is None:
            return
        for rel, tree in trees.items():
            if rel.split(os.sep)[0] in SKIPPED_PY_DIRS:
                continue
            self._check_python_refs(rel, tree)

    def _check_imports(self, rel: str, tree: ast.Module) -> set[str]:
        """Check relative imports; return the module paths they reach."""
        reached = set()
        package = os.path.dirname(rel)
        for node in ast.walk(tree):
            targets: list[tuple[str, bool]] = []  # (path, must exist)
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package
                for _ in range(node.level - 1):
                    base = os.path.dirname(base)
                if node.module:
                    base = os.path.join(base, *node.module.split("."))
                    targets.append((base, True))
                for alias in node.names:
                    if alias.name != "*":
                        # a submodule, or a name defined in the module
                        targets.append(
                            (os.path.join(base, alias.name), not node.module)
                        )
            elif isinstance(node, ast.ImportFrom) and node.module:
                prefix = f"odoo.addons.{self.name}"
                if node.module == prefix or node.module.startswith(prefix + "."):
                    parts = node.module.split(".")[3:]
                    base = os.path.join("", *parts) if parts else ""
                    if parts:
                        targets.append((base, True))
                    for alias in node.names:
                        targets.append((os.path.join(base, alias.name), not parts))
            for target, must_exist in targets:
                full = os.path.join(self.index.path, target)
                exists = os.path.isfile(full + ".py") or os.path.isfile(
                    os.path.join(full, "__init__.py")
                )
                if exists:
                    reached.add(os.path.normpath(target))
                elif must_exist:
                    self.problem(
                        rel,
                        node.lineno,
                        f"imports {target.replace(os.sep, '.')!r}, "
                        "which is not a module of this addon",
                    )
        return reached

    def _check_unimported(
        self, trees: dict[str, ast.Module], imported: set[str]
    ) -> None:
        for package in IMPORTED_PACKAGES:
            pkg_dir = os.path.join(self.index.path, package)
            if not os.path.isfile(os.path.join(pkg_dir, "__init__.py")):
                continue
            if package not in imported:
                self.problem("__init__.py", 1, f"package {package!r} is not imported")
            for rel in sorted(trees):
                parts = rel.split(os.sep)
                if (
                    len(parts) == 2
                    and parts[0] == package
                    and parts[1] != "__init__.py"
                ):
                    module = rel[:-3]
                    if module not in imported:
                        self.problem(
                            os.path.join(package, "__init__.py"),
                            1,
                            f"module {parts[1]!r} is not imported",
                        )
        if "tests" in imported:
            self.problem(
                "__init__.py",
                1,
                "the tests package must not be imported (Odoo loads it by itself)",
            )
        for rel in sorted(trees):
            parts = rel.split(os.sep)
            if (
                len(parts) == 2
                and parts[0] == "tests"
                and parts[1].startswith("test_")
                and rel[:-3] not in imported
            ):
                self.problem(
                    os.path.join("tests", "__init__.py"),
                    1,
                    f"test module {parts[1]!r} is not imported, so Odoo never runs it",
                )

    def _check_python_refs(self, rel: str, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in (
                "ref",
                "_for_xml_id",
                "has_group",
                "has_groups",
            ):
                if not node.args or not isinstance(node.args[0], ast.Constant):
                    continue
                value = node.args[0].value
                if not isinstance(value, str):
                    continue
                if func.attr == "ref":
                    receiver = func.value
                    is_env = (
                        isinstance(receiver, ast.Attribute) and receiver.attr == "env"
                    ) or (isinstance(receiver, ast.Name) and receiver.id == "env")
                    if not is_env or _kwarg_is_false(node, "raise_if_not_found"):
                        continue
                    self.check_ref(
                        rel,
                        node.lineno,
                        value,
                        "env.ref()",
                        None,
                        demo=True,
                        qualified=True,
                    )
                elif func.attr == "_for_xml_id":
                    self.check_ref(
                        rel,
                        node.lineno,
                        value,
                        "_for_xml_id()",
                        None,
                        demo=True,
                        qualified=True,
                    )
                else:
                    for group in value.split(","):
                        self.check_ref(
                            rel,
                            node.lineno,
                            group.strip().lstrip("!"),
                            f"{func.attr}()",
                            None,
                            demo=True,
                            qualified=True,
                            model="res.groups",
                        )
            for keyword in node.keywords:
                if (
                    keyword.arg == "groups"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                    and _is_field_call(func)
                ):
                    for group in keyword.value.value.split(","):
                        self.check_ref(
                            rel,
                            node.lineno,
                            group.strip().lstrip("!"),
                            "field groups=",
                            None,
                            demo=True,
                            qualified=True,
                            model="res.groups",
                        )


def _own_fields(record: etree._Element) -> Iterator[etree._Element]:
    for child in record:
        if isinstance(child.tag, str) and child.tag in ("field", "value"):
            yield child


def _kwarg_is_false(call: ast.Call, name: str) -> bool:
    for keyword in call.keywords:
        if keyword.arg == name and isinstance(keyword.value, ast.Constant):
            return keyword.value.value is False
    return (
        len(call.args) > 1
        and isinstance(call.args[1], ast.Constant)
        and (call.args[1].value is False)
    )


def _is_field_call(func: ast.expr) -> bool:
    """``fields.Char(...)`` and the like."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "fields"
    )


# ----------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------
def check_addon(
    path: str,
    direct_depends_only: bool = False,
    addons_paths: Iterable[str] = (),
) -> list[str]:
    """Problems found in the addon at ``path`` (empty list: all good).

    Sibling addons (same parent directory) are used to resolve references
    to their XML ids; ``addons_paths`` adds directories where dependency
    manifests are looked up (Odoo's own addons are found automatically).
    """
    path = os.path.normpath(path)
    if not is_addon(path):
        return [f"{os.path.basename(path)}/{MANIFEST}:1: not an addon (no {MANIFEST})"]
    parent = os.path.dirname(os.path.abspath(path))
    checker = Checker([parent, *addons_paths], direct_depends_only)
    return checker.check(path)


def check_addons(
    root: str,
    direct_depends_only: bool = False,
    addons_paths: Iterable[str] = (),
) -> list[str]:
    """Problems found in every addon under ``root`` (or in ``root`` itself)."""
    addons = find_addons(root)
    if not addons:
        return [f"{root}: no addon (directory with {MANIFEST}) found"]
    search = [os.path.dirname(os.path.abspath(addons[0])), *addons_paths]
    checker = Checker(search, direct_depends_only)
    problems = []
    for addon in addons:
        problems.extend(checker.check(addon))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Static checks of Odoo 18.0 addons (manifest, data files, "
        "access rules, XML ids, Python imports)."
    )
    parser.add_argument(
        "paths",
        nargs="*",
        default=["addons"],
        help="addon directories, or directories containing addons (default: addons)",
    )
    parser.add_argument(
        "--direct-depends-only",
        action="store_true",
        help="only accept XML ids of modules listed in 'depends' (and base), "
        "not of their own dependencies",
    )
    parser.add_argument(
        "--addons-path",
        action="append",
        default=[],
        metavar="DIR",
        help="extra directory where dependency manifests are looked up",
    )
    args = parser.parse_args(argv)
    problems: list[str] = []
    checked: list[str] = []
    for path in args.paths:
        problems.extend(check_addons(path, args.direct_depends_only, args.addons_path))
        checked.extend(os.path.basename(os.path.abspath(a)) for a in find_addons(path))
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"checked {len(checked)} addon(s) ({', '.join(checked)}): no problems found")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The README's rules that hold on every path are the rules the attack tables test."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATTACK_TABLES = sorted(ROOT.glob("addons/*/tests/test_attacks.py"))


def _readme_rule_keys():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Rules that hold on every path", 1)[1]
    section = re.split(r"\n#{2,3} ", section, maxsplit=1)[0]
    return set(re.findall(r"^- \*\*\[(\w+)\]\*\*", section, flags=re.MULTILINE))


def _table_rule_keys(path):
    """The keys of the module-level ``RULES`` dict, read without importing odoo."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "RULES"
            for target in node.targets
        ):
            return {key.value for key in node.value.keys}
    raise AssertionError(f"{path} has no RULES")


def test_readme_lists_the_attacked_rules():
    """Every README rule key has attack rows in some addon, and no other key does."""
    assert len(ATTACK_TABLES) == 2
    tables = set().union(*(_table_rule_keys(path) for path in ATTACK_TABLES))
    assert _readme_rule_keys() == tables

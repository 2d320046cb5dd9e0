#!/usr/bin/env python3
"""Build each addon's README.rst from its readme/ fragments (like OCA's tool)."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    ("Description", "DESCRIPTION.md"),
    ("Configuration", "CONFIGURE.md"),
    ("Usage", "USAGE.md"),
    ("Contributors", "CONTRIBUTORS.md"),
)


def build(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    title = manifest["name"]
    status = manifest.get("development_status", "Alpha")
    lines = ["=" * len(title), title, "=" * len(title), "", manifest["summary"], ""]
    lines += [
        "|maturity| |license|",
        "",
        f".. |maturity| image:: https://img.shields.io/badge/maturity-{status}-red.png",
        f"    :alt: {status}",
        ".. |license| image:: https://img.shields.io/badge/license-LGPL--3-blue.png",
        "    :alt: License: LGPL-3",
        "",
    ]
    for heading, name in SECTIONS:
        fragment = addon_dir / "readme" / name
        if fragment.exists():
            text = fragment.read_text().strip().replace("`", "``")
            lines += [heading, "=" * len(heading), "", text, ""]
    return "\n".join(lines)


def main():
    for addon_dir in sorted((ROOT / "addons").iterdir()):
        if (addon_dir / "__manifest__.py").exists():
            (addon_dir / "README.rst").write_text(build(addon_dir))
            print(f"wrote {addon_dir.name}/README.rst")
    return 0


if __name__ == "__main__":
    sys.exit(main())

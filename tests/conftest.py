"""Make the Odoo-free engines importable as ``<addon>_engine``.

An addon's own ``__init__`` imports odoo, so each engine package is loaded
directly from its directory instead of through ``addons.<addon>``.
"""

import importlib.util
import sys
from pathlib import Path

ADDONS_DIR = Path(__file__).resolve().parent.parent / "addons"


def _load_engine(addon: str) -> None:
    module_name = f"{addon}_engine"
    engine_dir = ADDONS_DIR / addon / "engine"
    if module_name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        module_name,
        engine_dir / "__init__.py",
        submodule_search_locations=[str(engine_dir)],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise


for _addon in ("resource_sharing", "resource_forecast"):
    _load_engine(_addon)

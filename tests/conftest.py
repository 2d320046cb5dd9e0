"""Make the Odoo-free engine importable as ``resource_sharing_engine``.

The addon's own ``__init__`` imports odoo, so the engine package is loaded
directly from its directory instead of through ``addons.resource_sharing``.
"""

import importlib.util
import sys
from pathlib import Path

ENGINE_DIR = Path(__file__).resolve().parent.parent / "addons/resource_sharing/engine"
MODULE_NAME = "resource_sharing_engine"


def _load_engine() -> None:
    if MODULE_NAME in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        MODULE_NAME,
        ENGINE_DIR / "__init__.py",
        submodule_search_locations=[str(ENGINE_DIR)],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[MODULE_NAME]
        raise


_load_engine()

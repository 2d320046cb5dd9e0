"""The static tier: each pre-commit hook is one test over the whole repository.

Prettier is left out (it installs from the npm registry; ``make lint`` runs
it), and so are the hooks of the manual stage. A hook that reports a finding or
changes a file fails its test, with the hook's output as the reason.
"""

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "run_suite", ROOT / "tools" / "run_suite.py"
)
run_suite = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_suite)


def _hook_ids():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return [
        hook["id"]
        for repo in config["repos"]
        for hook in repo["hooks"]
        if hook["id"] != run_suite.STATIC_SKIP
        and "manual" not in hook.get("stages", ())
    ]


@pytest.mark.parametrize("hook_id", _hook_ids())
def test_hook(hook_id):
    passed, output = run_suite.run_hook(hook_id)
    assert passed, output

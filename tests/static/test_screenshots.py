"""The README's screenshots stay reproducible by tools/screenshots.py."""

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
spec = importlib.util.spec_from_file_location(
    "screenshots", ROOT / "tools" / "screenshots.py"
)
screenshots = importlib.util.module_from_spec(spec)
spec.loader.exec_module(screenshots)


def _xml_ids():
    ids = set()
    for addon in ("resource_sharing", "resource_forecast"):
        for xml in (ROOT / "addons" / addon / "views").glob("*.xml"):
            for record_id in re.findall(r'<record id="([\w.]+)"', xml.read_text()):
                ids.add(f"{addon}.{record_id}")
    return ids


def test_every_screen_opens_an_existing_action():
    """A renamed action would leave the script taking a picture of an error."""
    ids = _xml_ids()
    for _name, path, _ready in screenshots.SHOTS:
        action = re.search(r"action-([\w.]+)", path)[1]
        assert action in ids, path


def test_readme_shows_every_screenshot_the_script_takes():
    readme = (ROOT / "README.md").read_text()
    for name, _path, _ready in screenshots.SHOTS:
        image = f"docs/screenshots/{name}.png"
        assert (ROOT / image).is_file(), image
        assert f"]({image})" in readme, image

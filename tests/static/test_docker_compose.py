"""Static checks of the Docker route (docker-compose.yml and docker/)."""

import configparser
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
ODOO_CONF = ROOT / "docker" / "odoo.conf"
INIT_SCRIPT = ROOT / "docker" / "entrypoint-init.sh"
ADDONS = ("resource_sharing", "resource_forecast")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _mounts(service: dict) -> dict[str, str]:
    """Container path -> source for the short volume syntax."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *_mode = volume.split(":")
        mounts[target] = source
    return mounts


def _command(service: dict) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else list(command)


def _from_lines() -> list[str]:
    return re.findall(r"^FROM\s+(\S+)", DOCKERFILE.read_text(), flags=re.MULTILINE)


def test_services_present(services):
    """db, odoo, odoo-dev and test; odoo-dev and test only run under a profile."""
    assert {"db", "odoo", "odoo-dev", "test"} <= set(services)
    assert services["test"].get("profiles") == ["test"]
    assert services["odoo-dev"].get("profiles") == ["dev"]
    assert "profiles" not in services["odoo"]
    assert "profiles" not in services["db"]


def test_images_are_pinned(services):
    """No floating tags: postgres by major version, Odoo by dated build."""
    for name, service in services.items():
        image = service.get("image")
        if image:
            assert ":" in image, f"{name}: {image} has no tag"
            assert not image.endswith(":latest"), f"{name}: {image}"
    assert re.fullmatch(r"postgres:16(\.\d+)?", services["db"]["image"])
    # "FROM odoo AS test" starts from a stage of the same file: no tag
    base_images = [image for image in _from_lines() if ":" in image]
    assert base_images, "the Dockerfile has no FROM with a tag"
    for image in base_images:
        assert re.fullmatch(r"odoo:18\.0-\d{8}", image), image


def test_db_service(services):
    """PostgreSQL credentials, named data volume and health check."""
    db = services["db"]
    assert db["environment"] == {
        "POSTGRES_USER": "odoo",
        "POSTGRES_PASSWORD": "odoo",
        "POSTGRES_DB": "postgres",
    }
    assert _mounts(db)["/var/lib/postgresql/data"] == "db-data"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_odoo_service_mounts_ports_and_dependencies(services):
    """The image's installed addons, config mounted, 8069 published, healthy db."""
    odoo = services["odoo"]
    assert odoo["build"]["dockerfile"] == "docker/Dockerfile"
    assert odoo["build"]["target"] == "odoo"
    assert "8069:8069" in odoo["ports"]
    mounts = _mounts(odoo)
    assert "./addons" not in mounts.values()
    assert "/mnt/extra-addons" not in mounts
    assert mounts["/etc/odoo/odoo.conf"] == "./docker/odoo.conf"
    assert mounts["/var/lib/odoo"] == "odoo-data"
    assert odoo["depends_on"]["db"]["condition"] == "service_healthy"


def test_dev_service_mounts_the_addons(services):
    """odoo-dev: the image without the addons, ./addons mounted, its own db."""
    dev, odoo = services["odoo-dev"], services["odoo"]
    assert dev["build"]["target"] == "base"
    mounts = _mounts(dev)
    assert mounts["/mnt/extra-addons"] == "./addons"
    assert mounts["/etc/odoo/odoo.conf"] == "./docker/odoo.conf"
    assert mounts["/var/lib/odoo"] != _mounts(odoo)["/var/lib/odoo"]
    assert dev["environment"]["ODOO_DB"] != odoo["environment"]["ODOO_DB"]
    assert not set(dev["ports"]) & set(odoo["ports"])
    assert _command(dev) == _command(odoo)
    assert dev["depends_on"]["db"]["condition"] == "service_healthy"


def _stages() -> dict[str, str]:
    """Stage name -> its part of the Dockerfile."""
    parts = re.split(r"^(?=FROM\s)", DOCKERFILE.read_text(), flags=re.MULTILINE)
    return {
        re.match(r"FROM\s+\S+\s+AS\s+(\S+)", part)[1]: part
        for part in parts
        if part.startswith("FROM")
    }


def test_odoo_stage_installs_the_addons_as_wheels():
    """Production: both addons pip-installed (whool), dependencies from PyPI."""
    stages = _stages()
    assert stages["odoo"].startswith("FROM base AS odoo")
    assert "COPY addons " in stages["odoo"]
    install = re.search(r"pip install[^;]*;", stages["odoo"], re.DOTALL)[0]
    assert "-r /tmp/build/requirements.txt" in install
    for addon in ADDONS:
        assert f"/tmp/build/addons/{addon}" in install
    for name in ("base", "test"):
        assert "COPY addons" not in stages[name], name
    assert stages["test"].startswith("FROM base AS test")


def test_named_volumes_declared(compose, services):
    """Every named volume used by a service is declared at the top level."""
    declared = set(compose.get("volumes") or {})
    assert {"db-data", "odoo-data"} <= declared
    for name, service in services.items():
        for source in _mounts(service).values():
            if not source.startswith((".", "/")):
                assert source in declared, f"{name}: volume {source} not declared"


def test_init_installs_both_addons_with_demo(services):
    """The odoo service initialises resource_sharing with both addons and demo."""
    odoo = services["odoo"]
    assert _command(odoo) == ["/usr/local/bin/entrypoint-init.sh"]
    assert odoo["environment"]["ODOO_DB"] == "resource_sharing"
    assert odoo["environment"]["ODOO_INIT_MODULES"].split(",") == list(ADDONS)
    script = INIT_SCRIPT.read_text()
    assert re.search(r'-i "\$ODOO_INIT_MODULES"', script)
    assert "--without-demo= " in script  # empty value: demo data is loaded
    assert "--stop-after-init" in script
    assert re.search(r'^exec odoo -c "\$ODOO_RC"', script, flags=re.MULTILINE)
    for addon in ADDONS:
        assert addon in script  # defaults when run outside compose


def test_init_script_is_copied_into_the_image():
    """The Dockerfile installs the init script and the project's requirements."""
    dockerfile = DOCKERFILE.read_text()
    assert (
        "COPY docker/entrypoint-init.sh /usr/local/bin/entrypoint-init.sh" in dockerfile
    )
    assert "COPY requirements.txt" in dockerfile
    assert "--break-system-packages" in dockerfile
    assert "websocket-client" in dockerfile
    assert "google-chrome-stable" in dockerfile
    # root for the installs, back to the unprivileged user afterwards
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users[0] == "root" and users[-1] == "odoo"


def test_test_service_runs_the_suite(services):
    """The test service runs tools/run_suite.py on the mounted checkout."""
    test = services["test"]
    assert _command(test)[-1] == "tools/run_suite.py"
    assert _mounts(test)["/workspace"] == "."
    assert test["working_dir"] == "/workspace"
    env = test["environment"]
    assert env["PGHOST"] == "db"
    assert {"PGPORT", "PGUSER", "PGPASSWORD"} <= set(env)
    assert test["depends_on"]["db"]["condition"] == "service_healthy"
    assert test["build"]["target"] == "test"


def test_odoo_conf_has_expected_keys():
    """odoo.conf points at the db service and the mounted addons."""
    parser = configparser.ConfigParser()
    parser.read(ODOO_CONF)
    options = parser["options"]
    assert options["db_host"] == "db"
    assert options["db_user"] == "odoo"
    assert options["db_password"] == "odoo"
    assert "/mnt/extra-addons" in options["addons_path"].split(",")
    assert options["admin_passwd"]
    assert options.get("without_demo", "False") == "False"
    assert options["data_dir"] == "/var/lib/odoo"


def test_requirements_pin_oca_addons():
    """requirements.txt pins every OCA addon exactly."""
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "odoo-addon-web_timeline==18.0.1.0.4" in lines
    for line in lines:
        if line.startswith("odoo-addon-"):
            assert re.fullmatch(r"odoo-addon-\w+==18\.0(\.\d+)+", line), line


def test_every_referenced_file_exists(services):
    """Build contexts, Dockerfiles, bind mounts and COPY sources exist."""
    for name, service in services.items():
        build = service.get("build")
        if build:
            context = ROOT / build.get("context", ".")
            assert context.is_dir(), name
            assert (context / build.get("dockerfile", "Dockerfile")).is_file(), name
        for source in _mounts(service).values():
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name}: {source}"
    copied = re.findall(
        r"^COPY\s+(?!--from)(\S+)", DOCKERFILE.read_text(), re.MULTILINE
    )
    assert copied
    for source in copied:
        assert (ROOT / source).exists(), f"COPY {source}"
    # the test service's command is relative to the mounted checkout; the
    # script is written separately and may not exist yet
    assert _command(services["test"])[0] == "python3"


def test_run_suite_entry_point_exists():
    """tools/run_suite.py, the shared entry point of the local and Docker routes."""
    assert (ROOT / "tools" / "run_suite.py").is_file()


def test_init_script_is_executable_bash():
    """The init script has a bash shebang, strict mode and the exec bit."""
    text = INIT_SCRIPT.read_text()
    assert text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text
    assert INIT_SCRIPT.stat().st_mode & 0o111

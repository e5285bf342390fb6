"""docker-compose.yml describes the services users run (Docker itself cannot run here)."""

import os
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("sales_compliance", "sales_targets", "sales_assistant")


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_database_is_postgres_16_with_a_healthcheck():
    db = load()["services"]["db"]
    assert db["image"] == "postgres:16"
    # over TCP: on the socket the image's first-start server says ready while initialising
    assert "pg_isready -h 127.0.0.1" in " ".join(db["healthcheck"]["test"])
    assert db["environment"]["POSTGRES_USER"] == "odoo"


def test_odoo_serves_the_addons_after_the_demo_database_exists():
    odoo = load()["services"]["odoo"]
    assert odoo["image"] == "odoo:18.0"
    assert "./addons:/mnt/extra-addons:ro" in odoo["volumes"]
    assert odoo["depends_on"]["db"]["condition"] == "service_healthy"
    assert odoo["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert "127.0.0.1:8069:8069" in odoo["ports"]


def test_one_shot_init_creates_the_demo_database_with_the_three_addons():
    init = load()["services"]["init"]
    assert init["image"] == "odoo:18.0"
    assert init["restart"] == "no"
    assert init["depends_on"]["db"]["condition"] == "service_healthy"
    assert init["entrypoint"] == ["/mnt/scripts/docker-init"]
    assert "./scripts:/mnt/scripts:ro" in init["volumes"]
    script = (ROOT / "scripts" / "docker-init").read_text(encoding="utf-8")
    assert "DB=sales_demo" in script
    assert "MODULES=" + ",".join(SUITE) in script
    assert "/mnt/scripts/seed " in script and "--size demo" in script
    assert os.access(ROOT / "scripts" / "docker-init", os.X_OK)


def test_init_starts_over_after_a_seed_that_died_and_retries():
    """A crashed seed leaves its marker at in_progress: init must not serve that database."""
    script = (ROOT / "scripts" / "docker-init").read_text(encoding="utf-8")
    assert "*:in_progress)" in script
    assert "DROP DATABASE IF EXISTS $DB WITH (FORCE)" in script
    assert "for attempt in 1 2 3" in script
    result = subprocess.run(["bash", "-n", str(ROOT / "scripts" / "docker-init")], check=False)
    assert result.returncode == 0


def test_test_profile_runs_the_suite_in_an_image_with_a_browser():
    test = load()["services"]["test"]
    assert test["build"]["dockerfile"] == "docker/test.Dockerfile"
    assert test["profiles"] == ["test"]
    assert test["command"] == ["scripts/test"]
    assert test["environment"]["PGHOST"] == "db"
    dockerfile = (ROOT / "docker" / "test.Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("#") and "\nFROM odoo:18.0\n" in dockerfile
    assert "google-chrome-stable" in dockerfile  # the tours run in the test image too
    assert "requirements-test.txt" in dockerfile
    # OCA's wheels require the distribution odoo, which the image's Debian Odoo is not
    assert "--no-deps -r /tmp/requirements-oca.txt" in dockerfile


def test_docker_config_points_odoo_at_the_mounted_addons_and_the_db_service():
    conf = (ROOT / "config" / "odoo.docker.conf").read_text(encoding="utf-8")
    assert "addons_path = /mnt/extra-addons" in conf
    assert "db_host = db" in conf


# The Compose specification (compose-spec/compose-spec, schema/compose-spec.json) forbids
# unknown keys in a service ("additionalProperties": false), takes Go durations ("1m30s") for
# health checks, the three depends_on conditions, and named volumes declared at the top level.
# PyPI's compose-spec models accept the file but let those through (an interval of "five"
# passes), so these checks add them.
DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
RESTART = re.compile(r"^(no|always|unless-stopped|on-failure(:\d+)?)$")


def spec_problems(compose):
    """What the Compose specification refuses in ``compose`` (a loaded file), as text."""
    from compose_spec import ComposeSpecification, Service  # noqa: PLC0415

    problems = []
    try:
        ComposeSpecification.model_validate(compose)
    except ValueError as exc:
        problems.append(f"compose-spec: {exc}")
    allowed = {field.alias or name for name, field in Service.model_fields.items()}
    services = compose.get("services", {})
    for name, service in services.items():
        for key in service:
            if key not in allowed and not key.startswith("x-"):
                problems.append(f"{name}: unknown key {key}")
        for key, value in service.get("healthcheck", {}).items():
            if key in ("interval", "timeout", "start_period", "start_interval"):
                if not DURATION.match(str(value)):
                    problems.append(f"{name}: healthcheck {key} {value!r} is no duration")
        depends_on = service.get("depends_on", {})
        for other, how in depends_on.items() if isinstance(depends_on, dict) else ():
            if other not in services:
                problems.append(f"{name}: depends on unknown service {other}")
            if how.get("condition") not in CONDITIONS:
                problems.append(f"{name}: unknown condition {how.get('condition')}")
        if "restart" in service and not RESTART.match(str(service["restart"])):
            problems.append(f"{name}: restart {service['restart']!r}")
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source")
            named = source and not source.startswith((".", "/", "~", "$"))
            if named and source not in (compose.get("volumes") or {}):
                problems.append(f"{name}: volume {source} is not declared")
    return problems


def test_compose_file_follows_the_compose_specification():
    assert spec_problems(load()) == []


def test_specification_checks_catch_what_the_pypi_models_let_through():
    def broken(change):
        compose = load()
        change(compose)
        return spec_problems(compose)

    services = "services"
    assert broken(lambda c: c[services]["db"]["healthcheck"].update(interval="five"))
    assert broken(lambda c: c[services]["odoo"].update(prots=["8069:8069"]))
    assert broken(lambda c: c[services]["odoo"].update(restart="sometimes"))
    assert broken(lambda c: c[services]["odoo"]["volumes"].append("undeclared:/x"))
    assert broken(lambda c: c[services]["odoo"]["depends_on"].update(cache={"condition": "x"}))

"""docker-compose.yml describes the services users run (Docker itself cannot run here)."""

import os
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
    assert "seed.py" in script and "--size demo" in script
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


def test_docker_config_points_odoo_at_the_mounted_addons_and_the_db_service():
    conf = (ROOT / "config" / "odoo.docker.conf").read_text(encoding="utf-8")
    assert "addons_path = /mnt/extra-addons" in conf
    assert "db_host = db" in conf

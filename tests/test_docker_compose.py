"""docker-compose.yml describes the services users run (Docker itself cannot run here)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("sales_compliance", "sales_targets", "sales_assistant")


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_database_is_postgres_16_with_a_healthcheck():
    db = load()["services"]["db"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
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
    script = " ".join(init["command"])
    assert "-d sales_demo" in script
    assert "-i " + ",".join(SUITE) in script
    assert "seed.py" in script and "--size demo" in script


def test_test_profile_runs_the_suite_inside_the_odoo_image():
    test = load()["services"]["test"]
    assert test["image"] == "odoo:18.0"
    assert test["profiles"] == ["test"]
    assert "scripts/test" in " ".join(test["command"])
    assert test["environment"]["PGHOST"] == "db"


def test_docker_config_points_odoo_at_the_mounted_addons_and_the_db_service():
    conf = (ROOT / "config" / "odoo.docker.conf").read_text(encoding="utf-8")
    assert "addons_path = /mnt/extra-addons" in conf
    assert "db_host = db" in conf

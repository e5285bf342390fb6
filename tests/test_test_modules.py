"""Odoo's own runner (odoo-bin --test-enable, as Odoo.sh and OCA's CI use it) runs only the
test modules an addon's tests/__init__.py imports; pytest-odoo finds them by file name. A
module left out of __init__.py passes here and never runs for a user."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DIRS = sorted(p for p in (ROOT / "addons").glob("*/tests") if p.is_dir())


def imported_modules(init_file):
    """Names of the sibling modules that `from . import ...` brings in."""
    names = set()
    for node in ast.walk(ast.parse(init_file.read_text(), str(init_file))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
    return names


def test_every_addon_with_tests_is_checked():
    assert {p.parent.name for p in TEST_DIRS} >= {
        "sales_compliance",
        "sales_targets",
        "sales_assistant",
    }


@pytest.mark.parametrize("tests_dir", TEST_DIRS, ids=lambda p: p.parent.name)
def test_every_test_module_is_imported(tests_dir):
    init_file = tests_dir / "__init__.py"
    assert init_file.is_file(), f"{tests_dir} has no __init__.py"
    on_disk = {p.stem for p in tests_dir.glob("test_*.py")}
    assert on_disk, f"{tests_dir} holds no test module"
    imported = imported_modules(init_file)
    missing = sorted(on_disk - imported)
    assert not missing, f"{init_file.relative_to(ROOT)} does not import {', '.join(missing)}"
    unknown = sorted(name for name in imported - on_disk if name.startswith("test_"))
    assert not unknown, f"{init_file.relative_to(ROOT)} imports missing modules {unknown}"

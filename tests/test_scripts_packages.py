"""scripts/ as packages (issue #18): the seed (``scripts/seed/``) and the benchmarks
(``scripts/benchmarks/``, one module per addon) import no module that imports them back, and the
benchmarks' runner still knows every benchmark."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def module_name(path):
    parts = list(path.relative_to(SCRIPTS).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path, name):
    """The modules of scripts/ that ``path`` (module ``name``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_module_of_scripts_imports_one_that_imports_it_back():
    paths = [p for p in SCRIPTS.rglob("*.py") if "__pycache__" not in p.parts]
    names = {module_name(p): p for p in paths}
    graph = {
        name: {dep for dep in imported_modules(path, name) if dep in names and dep != name}
        for name, path in names.items()
    }
    assert {"seed", "seed.data", "seed.seeder", "seed.gate", "benchmarks.peers"} <= set(graph)

    def reachable(start):
        seen, todo = set(), [start]
        while todo:
            for dep in graph[todo.pop()] - seen:
                seen.add(dep)
                todo.append(dep)
        return seen

    circles = sorted(name for name in graph if name in reachable(name))
    assert not circles, f"import circles through {circles}"
    assert not graph["preflight"], "preflight.py is the scripts' lowest module"


def test_the_bench_runner_registers_every_benchmark_of_each_addon_and_of_the_peers():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import benchmarks.__main__ as runner; "
        "print(' '.join(sorted(runner.BENCHMARKS)), '|', ' '.join(sorted(runner.PEER_BENCHMARKS)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(SCRIPTS)],
        capture_output=True,
        text=True,
        check=True,
    )
    ours, theirs = (part.split() for part in result.stdout.split("|"))
    assert ours == [
        "approval_page",
        "collection_cron",
        "commission_statements",
        "compliance_confirm",
        "contract_form",
        "contract_register",
        "contract_renewal_cron",
        "digest_cron",
        "guided_confirm_screen",
        "handover",
        "late_deliveries",
        "my_day",
        "ownership_release",
        "robot_outbox",
        "rule_dry_run",
        "targets_achievement",
        "whatif_replay",
        "work_report_form",
        "work_report_prepare",
        "work_report_team",
        "work_report_team_view",
    ]
    assert theirs == ["confirm_vs_sale_exception", "statements_vs_oca_settlement"]

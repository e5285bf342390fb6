"""The documents say what the repository holds: the generated ones are up to date with the addons'
``readme/`` fragments, every link and every file they name exists in the repository, and the
README stays short and runs the test command CI runs."""

import io
import re
import subprocess
import sys
from pathlib import Path

import docutils.core
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import docs  # noqa: E402

MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
NAMED_FILE = re.compile(r"`((?:tests|scripts|addons|docs|config|docker|\.ci)/[\w./*-]+)`")


def slug(heading):
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path):
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return {slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", text, re.M)}


def test_generated_documents_are_up_to_date():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in docs.outputs().items()
        if not path.is_file() or path.read_text() != text
    ]
    assert not stale, f"run python3 scripts/docs.py: {stale} differ from the readme fragments"


@pytest.mark.parametrize("addon", docs.ADDONS)
def test_each_addon_has_a_valid_oca_style_readme(addon):
    path = ROOT / "addons" / addon / "README.rst"
    warnings = io.StringIO()
    tree = docutils.core.publish_doctree(
        path.read_text(),
        source_path=str(path),
        settings_overrides={"warning_stream": warnings, "report_level": 2, "halt_level": 5},
    )
    assert warnings.getvalue() == ""
    sections = [node.astext() for node in tree.findall(lambda n: n.tagname == "title")]
    assert sections[0] == docs.manifest(addon)["name"]
    assert {"Configuration", "Usage", "Credits"} <= set(sections)
    for image in tree.findall(lambda n: n.tagname == "image"):
        uri = image["uri"]
        if not uri.startswith("http"):
            assert (path.parent / uri).resolve().is_file(), uri


def test_a_description_with_headings_is_refused():
    with pytest.raises(ValueError, match=r"no headings in DESCRIPTION\.md"):
        docs.rst_body("## Architecture\n\ntext", ROOT, ROOT, allow_headings=False)


def test_markdown_becomes_restructuredtext():
    rst = "\n".join(
        docs.rst_body(
            "Text with `code`s, **bold** and [a link](https://example.com):\n"
            "1. **Step** one\n"
            "   - nested\n"
            "   Back in the step.\n\n"
            "```python\nx = 1\n```\n\n"
            "![Shot](../../../docs/screenshots/my-day-rep-en.png)\n",
            ROOT / "addons" / "sales_assistant" / "readme",
            ROOT / "addons" / "sales_assistant",
        )
    )
    assert "``code``\\ s" in rst
    assert "`a link <https://example.com>`__" in rst
    assert "1. **Step** one\n\n   - nested\n\n   Back in the step." in rst
    assert ".. code-block:: python\n\n   x = 1" in rst
    assert ".. image:: ../../docs/screenshots/my-day-rep-en.png\n   :alt: Shot" in rst


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_and_named_files_exist_in_the_repository(path):
    text = path.read_text()
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.is_relative_to(ROOT), f"{target} is outside the repository"
        assert linked.exists(), f"{target}: no such file"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{target}: no such heading"
    for name in NAMED_FILE.findall(text):
        name = name.rstrip(".")
        assert list(ROOT.glob(name)) or (ROOT / name).exists(), f"{name} does not exist"
    assert not re.search(r"`\.\./", text), "a path outside the repository"


def test_the_readme_is_short_and_runs_the_tests_as_ci_does():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 170
    commands = re.findall(r"```sh\n(.*?)```", readme, re.S)
    assert any(block.split()[0] == "scripts/run" for block in commands)
    assert "scripts/test\n" in commands
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^\S.* scripts/test( |$)", ci, re.M), "CI runs scripts/test"
    for doc in MARKDOWN[1:]:
        assert f"(docs/{doc.name})" in readme, f"README does not lead to docs/{doc.name}"


def test_docs_check_reports_stale_files(tmp_path, monkeypatch):
    stale = tmp_path / "user-guide.md"
    stale.write_text("old")
    monkeypatch.setattr(docs, "outputs", lambda: {stale: "new"})
    monkeypatch.setattr(docs, "ROOT", tmp_path)
    assert docs.main(["--check"]) == 1
    assert stale.read_text() == "old"
    assert docs.main([]) == 0
    assert stale.read_text() == "new"


def test_lint_checks_the_generated_documents():
    lint = (ROOT / "scripts" / "lint").read_text()
    assert "scripts/docs.py --check" in lint
    assert "missing-readme" not in lint
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout

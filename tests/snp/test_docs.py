"""The README stays true: its settings table is the settings class."""

from __future__ import annotations

import re
from pathlib import Path

from snp.settings import settings_table

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_settings_table_is_exactly_the_settings_class() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- settings:start -->\n(.*?)\n<!-- settings:end -->", readme, re.S)
    assert match, "README.md lost its settings markers"
    assert match.group(1) == settings_table(), "regenerate with `python -m snp.settings`"


def test_the_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [
        ["make", "run"],
        ["make", "test"],
    ]


def _relative_links(text: str) -> list[str]:
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    links += re.findall(r"`(\.\./[^`]+)`", text)
    return [link for link in links if not re.match(r"[a-z]+:", link)]


def test_the_architecture_document_is_in_the_repository_and_linked() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in ("snp/", "agenda/", "regulation/", "notifications/", "sas/", "indicators/"):
        assert f" {package} " in architecture, package  # in the picture
    assert "composition/" in architecture
    assert "tests/test_layering.py" in architecture


def test_no_document_links_outside_the_repository() -> None:
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for link in _relative_links(document.read_text(encoding="utf-8")):
            target = (document.parent / link).resolve()
            assert target.is_relative_to(ROOT), f"{document.name} links outside: {link}"
            assert target.exists(), f"{document.name} links to a missing file: {link}"

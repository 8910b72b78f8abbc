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

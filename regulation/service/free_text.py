"""Red-flag words in free text: the safety net under the triage form.

The word list is data (`regulation/safety/red_flag_words.yaml`, reviewed by the CPTS's medical
referents). Text and terms are compared without accents, case or punctuation, on whole words: a
term of several words must appear as written. A match only warns the operator; it never decides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

WORDS_RESOURCE = "safety/red_flag_words.yaml"
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=60)
    label: str = Field(min_length=1, max_length=200)
    terms: list[str] = Field(min_length=1)


class _WordList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    entries: list[_Entry] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class FreeTextFlag:
    """One kind of alert found in a text, with the words that matched (as normalised)."""

    id: str
    label: str
    words: tuple[str, ...]


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single spaces, padded with one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("œ", "oe").replace("æ", "ae")
    return f" {' '.join(_NOT_WORD.sub(' ', bare).split())} "


@cache
def _entries() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    raw = resources.files("regulation").joinpath(WORDS_RESOURCE).read_text("utf-8")
    words = _WordList.model_validate(yaml.safe_load(raw))
    return tuple(
        (e.id, e.label, tuple(normalise(t).strip() for t in e.terms if normalise(t).strip()))
        for e in words.entries
    )


def scan_free_text(*texts: str | None) -> list[FreeTextFlag]:
    """The alerts found in the texts (word-list order), each with its matching words."""
    haystack = " ".join(normalise(t) for t in texts if t)
    if not haystack.strip():
        return []
    found = []
    for flag_id, label, terms in _entries():
        words = tuple(t for t in terms if f" {t} " in haystack)
        if words:
            found.append(FreeTextFlag(flag_id, label, words))
    return found


def warning_text(flags: list[FreeTextFlag]) -> str:
    """The French sentence shown to the operator (empty list: empty string)."""
    if not flags:
        return ""
    labels = ", ".join(f.label.lower() for f in flags)
    return (
        f"Mots d'alerte dans le texte libre ({labels}) : reposez les signes d'alerte ; "
        "au moindre doute, appelez le 15."
    )

"""What the line says: French text files (`telephony/templates/<id>.txt`) the coordinator may
adapt, like the SMS templates. A file of the same name in the setting `voice_templates_dir`
replaces the shipped one. Lines starting with `#` are comments; `{variable}` is replaced by its
value; only the variables listed below are allowed. Every text is checked at start-up."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from telephony.errors import VoiceTextError

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "templates"
MAX_CHARACTERS = 600  # about 40 seconds of speech: callers must not wait behind a speech

# Text id -> the variables it may use.
TEXTS: dict[str, frozenset[str]] = {
    "accueil": frozenset(),
    "hors_horaires": frozenset({"horaires"}),
    "aucun_operateur": frozenset(),
    "attente": frozenset({"position"}),
    "rappel_operateur": frozenset(),
    "indisponible": frozenset(),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _read(text_id: str, override_dir: Path | None) -> str:
    path = PACKAGE_DIR / f"{text_id}.txt"
    if override_dir is not None and (override_dir / f"{text_id}.txt").is_file():
        path = override_dir / f"{text_id}.txt"
    if not path.is_file():
        raise VoiceTextError(f"Message vocal « {text_id} » introuvable ({path}).")
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return " ".join(line.strip() for line in lines if line.strip())


@lru_cache(maxsize=8)
def load_texts(override_dir: Path | None = None) -> dict[str, str]:
    """Every voice text, checked: present, not empty, short enough, known variables only."""
    problems: list[str] = []
    texts: dict[str, str] = {}
    for text_id, allowed in TEXTS.items():
        try:
            text = _read(text_id, override_dir)
        except VoiceTextError as exc:
            problems.append(str(exc))
            continue
        unknown = set(_PLACEHOLDER.findall(text)) - allowed
        if not text:
            problems.append(f"Message vocal « {text_id} » vide.")
        if unknown:
            problems.append(
                f"Message vocal « {text_id} » : variable(s) inconnue(s) "
                f"{', '.join(sorted(unknown))}."
            )
        if len(text) > MAX_CHARACTERS:
            problems.append(
                f"Message vocal « {text_id} » trop long ({len(text)} caractères, "
                f"{MAX_CHARACTERS} au plus)."
            )
        texts[text_id] = text
    if problems:
        raise VoiceTextError(" ".join(problems))
    return texts


def render(text_id: str, override_dir: Path | None = None, **values: object) -> str:
    text = load_texts(override_dir)[text_id]
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), text)

"""SMS templates: French text files the coordinator may adapt, checked when they are loaded.

Each message kind is one file `notifications/templates/<id>.txt`; a file of the same name in the
directory of the setting `sms_templates_dir` replaces it. In a file, lines starting with `#` are
comments (what the message is for, its variables); the rest, trimmed, is the message, where
`{variable}` is replaced by its value. Only the variables listed for a template are allowed.

Loading checks every template: unknown or missing files, unknown variables, and length. Every
value is folded onto the GSM 03.38 alphabet and cut to its maximum length (`VARIABLES`), so
rendering the template with values of maximum length bounds every real message: when that bound
fits in `MAX_SEGMENTS` SMS (GSM-7 or UCS-2, whichever the template's own text needs), every
message it produces does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from notifications.service.sms_length import SmsLength, measure, to_gsm7

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "templates"
MAX_SEGMENTS = 2

# Variable -> longest value kept (values are folded to GSM-7 first, then cut with "...").
VARIABLES: dict[str, int] = {
    "date": 12,  # "mar. 24/11"
    "heure": 5,  # "14h30"
    "ancienne_date": 12,  # a moved appointment's former date
    "ancienne_heure": 5,
    "praticien": 45,  # "Dr Anne Martin"
    "adresse": 90,  # "3 rue du Port, 35600 Redon"
    "patient": 24,  # "M. D., 54 ans"
    "telephone_patient": 20,  # "06 12 34 56 78"
    "type": 20,  # "au cabinet"
    "lieu": 40,  # "Redon"
    "code": 6,  # "4821"
    "demande": 8,  # "1234"
    "issue": 60,  # "conseil medical donne"
    "nombre": 3,  # "4"
    "liste": 120,  # "9h00 M. D. ; 10h30 J. P."
    "lien": 160,  # "https://snp.example.fr/invitation?token=<43 characters>"
    "jours": 4,  # "7"
    # The patient information notice's short link (`notice_link`); never cut: a longer link
    # is left out, and with it the line that carries it.
    "lien_infos": 50,  # "https://snp.cpts-exemple.fr/donnees"
}

_APPOINTMENT = frozenset({"date", "heure", "praticien"})
# The first SMS a patient receives (the booking confirmation) links to the information notice.
_CONFIRMATION = _APPOINTMENT | {"lien_infos"}

# Template id -> the variables it may use.
TEMPLATES: dict[str, frozenset[str]] = {
    "effecteur_rdv": frozenset({"date", "heure", "patient", "telephone_patient", "type"}),
    "effecteur_annulation": frozenset({"date", "heure", "patient"}),
    "effecteur_a_reprogrammer": frozenset({"date", "heure", "patient"}),
    "effecteur_rdv_deplace": frozenset(
        {"ancienne_date", "ancienne_heure", "date", "heure", "patient"}
    ),
    "patient_rdv_cabinet": _CONFIRMATION | {"adresse"},
    "patient_rdv_domicile": _CONFIRMATION,
    "patient_rdv_teleconsultation": _CONFIRMATION,
    "patient_rappel": _APPOINTMENT | {"adresse"},
    "patient_annulation": _APPOINTMENT,
    "patient_annulation_confirmee": _APPOINTMENT,
    "patient_a_reprogrammer": _APPOINTMENT,
    "patient_rdv_deplace": _APPOINTMENT | {"adresse"},
    "reponse_stop": frozenset(),
    "reponse_start": frozenset(),
    "reponse_aucun_rdv": frozenset(),
    "reponse_incomprise": frozenset(),
    "diffusion_offre": frozenset({"lieu", "code"}),
    "diffusion_attribuee": frozenset({"lieu", "code"}),
    "diffusion_deja_prise": frozenset({"code"}),
    "diffusion_code_inconnu": frozenset(),
    "diffusion_attribuee_rdv": frozenset({"code", "date", "heure"}),
    "referent_rdv": frozenset({"patient", "demande", "date", "heure", "type"}),
    "referent_issue": frozenset({"patient", "demande", "issue"}),
    "effecteur_programme": frozenset({"date", "nombre", "liste"}),
    "patient_enquete": frozenset({"date", "praticien"}),
    "reponse_enquete": frozenset(),
    "effecteur_invitation": frozenset({"lien", "jours"}),
}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SPACES = re.compile(r"\s+")


class TemplateError(ValueError):
    """One or more templates are unusable; the message lists every problem, in French."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Modèles de SMS invalides :\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    text: str
    source: Path
    worst_case: SmsLength  # the length of the longest message it can produce

    def render(self, values: Mapping[str, str]) -> str:
        """The message; a line whose every variable is empty is left out (a notice link when
        no public address is configured)."""

        def value(match: re.Match[str]) -> str:
            return clean_value(values.get(match.group(1), ""), VARIABLES[match.group(1)])

        lines = []
        for line in self.text.split("\n"):
            names = _PLACEHOLDER.findall(line)
            if names and not any(clean_value(values.get(n, ""), VARIABLES[n]) for n in names):
                continue
            lines.append(_PLACEHOLDER.sub(value, line))
        return "\n".join(lines)


def clean_value(raw: str, max_length: int) -> str:
    """A variable's value as it goes in a message: one line, GSM-7 only, at most `max_length`."""
    text = _SPACES.sub(" ", to_gsm7(str(raw))).strip()
    if len(text) > max_length:
        text = text[: max_length - 3].rstrip() + "..."
    return text


def parse(text: str) -> str:
    """The message of a template file: comment lines (`#`) removed, surrounding space trimmed."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return "\n".join(lines).strip()


def _check(template_id: str, text: str, source: Path) -> tuple[Template | None, list[str]]:
    problems: list[str] = []
    name = f"{template_id}.txt"
    if not text:
        return None, [f"{name} : le modèle est vide."]
    allowed = TEMPLATES[template_id]
    for found in dict.fromkeys(_PLACEHOLDER.findall(text)):
        if found not in allowed:
            possible = ", ".join(f"{{{v}}}" for v in sorted(allowed)) or "aucune"
            problems.append(f"{name} : variable inconnue {{{found}}} (possibles : {possible}).")
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        problems.append(f"{name} : accolade isolée (les variables s'écrivent {{nom}}).")
    if problems:
        return None, problems
    longest = _PLACEHOLDER.sub(lambda m: "x" * VARIABLES[m.group(1)], text)
    length = measure(longest)
    if length.segments > MAX_SEGMENTS:
        hint = (
            " Des caractères hors alphabet GSM (ê, â, ô, î, û, ç, œ...) imposent l'encodage "
            "UCS-2, deux fois plus court."
            if length.encoding == "UCS-2"
            else ""
        )
        problems.append(
            f"{name} : trop long ({length.units} caractères {length.encoding} au pire, "
            f"{length.segments} SMS ; {MAX_SEGMENTS} au plus).{hint}"
        )
        return None, problems
    return Template(template_id, text, source, length), []


@dataclass(frozen=True, slots=True)
class TemplateSet:
    templates: Mapping[str, Template]

    def render(self, template_id: str, values: Mapping[str, str]) -> str:
        return self.templates[template_id].render(values)

    def __getitem__(self, template_id: str) -> Template:
        return self.templates[template_id]


def load(override_dir: Path | None = None) -> TemplateSet:
    """Read and check every template (the package's, replaced by those in `override_dir`).

    Raises `TemplateError` listing every problem at once."""
    problems: list[str] = []
    if override_dir is not None:
        if not override_dir.is_dir():
            raise TemplateError([f"dossier des modèles introuvable : {override_dir}"])
        unknown = sorted(p.name for p in override_dir.glob("*.txt") if p.stem not in TEMPLATES)
        problems.extend(f"{n} : modèle inconnu (nom mal orthographié ?)." for n in unknown)
    templates: dict[str, Template] = {}
    for template_id in TEMPLATES:
        candidates = [override_dir / f"{template_id}.txt"] if override_dir else []
        candidates.append(PACKAGE_DIR / f"{template_id}.txt")
        source = next((p for p in candidates if p.is_file()), None)
        if source is None:
            problems.append(f"{template_id}.txt : fichier manquant.")
            continue
        try:
            raw = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(f"{template_id}.txt : le fichier doit être encodé en UTF-8.")
            continue
        template, found = _check(template_id, parse(raw), source)
        problems.extend(found)
        if template is not None:
            templates[template_id] = template
    if problems:
        raise TemplateError(problems)
    return TemplateSet(templates)


@lru_cache(maxsize=4)
def cached(override_dir: Path | None = None) -> TemplateSet:
    """The checked templates for `override_dir`, loaded once per process (the app loads them
    at start, so a broken template stops the start with the list of problems; edits to the
    files take effect at the next start)."""
    return load(override_dir)

"""The triage protocol as data: the document schema, its validation and the shipped default.

A protocol is a YAML document owned by the CPTS's medical referents (see
`regulation/protocols/default.yaml`):

- `age_bands`: contiguous bands in months (`min_months` inclusive, `max_months` exclusive);
- `red_flags`: asked first, yes/no; any "yes" ends triage at once: call the 15 (P0/P1). Each
  has a stable `category` (`chest_pain`, `sepsis`, ...): governance checks the core set by
  category, never by wording;
- `risk_factors`: yes/no questions on the patient (anticoagulant, immunosuppression,
  pregnancy, ...) asked for every motif; a "yes" applies its `floor` and motif rules may test it;
- `motifs`: per motif, questions, then `rules` tried in order (first match wins), each with a
  condition on answers, risk factors and age band and either a `red_flag` (call the 15) or a
  `result` (priority P2/P3, deadline in hours, orientation), and a `default` result;
- age bands and risk factors may carry a `floor`: the least urgent a result may be for them
  (priority, longest deadline, orientations allowed); the strictest floor wins;
- `sexes` (on a red flag, a risk factor or a motif question): asked only for a patient of these
  sexes (pregnancy for a woman); absent = everyone. A patient whose sex is not recorded is asked
  everything. A yes/no motif question with `answered_by_sex` ("S'agit-il d'un homme ?") is a
  fact: answered from the recorded sex, asked only when it is unknown;
- `vignettes`: the version's own clinical test cases (answers -> minimum priority, longest
  deadline, dispositions allowed), run before a version may be approved (`protocol_checks`).

`engine.evaluate()` applies a document (pure, no database); `triage` records its decision.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from regulation.errors import InvalidProtocol
from regulation.models import Orientation
from snp.errors import translate_validation_errors

DEFAULT_PROTOCOL_RESOURCE = "protocols/default.yaml"

AnswerValue = bool | str
Answers = Mapping[str, AnswerValue]


def _identifier(value: str) -> str:
    if not value or len(value) > 60 or not value[0].isalpha():
        raise ValueError("Identifiant attendu : commence par une lettre, 60 caractères au plus.")
    if not all(c.islower() or c.isdigit() or c == "_" for c in value) or not value.isascii():
        raise ValueError("Identifiant attendu : lettres minuscules sans accent, chiffres et _.")
    return value


Ident = Annotated[str, AfterValidator(_identifier)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
PatientSex = Literal["female", "male"]


def _distinct_sexes(value: list[PatientSex] | None) -> list[PatientSex] | None:
    if value is not None and len(set(value)) != len(value):
        raise ValueError("Chaque sexe n'est cité qu'une fois dans « sexes ».")
    return value


# Asked only for these sexes (absent: everyone); a patient of unknown sex is asked everything.
Sexes = Annotated[list[PatientSex] | None, Field(min_length=1), AfterValidator(_distinct_sexes)]


def applies_to(sexes: list[PatientSex] | None, sex: str | None) -> bool:
    """Whether a question restricted to `sexes` is asked of a patient of `sex` (None or
    "undetermined": not recorded, so asked)."""
    return sexes is None or sex not in ("female", "male") or sex in sexes


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Floor(_Strict):
    """The least urgent a result may be when an age band or a risk factor applies."""

    priority: Literal["P2", "P3"] = "P3"  # at least this urgent
    max_deadline_hours: int | None = Field(default=None, ge=1, le=48)
    # Orientations allowed; a result oriented elsewhere takes the first one listed.
    orientations: list[Orientation] | None = Field(default=None, min_length=1)
    advice: str | None = Field(default=None, max_length=500)


class AgeBand(_Strict):
    id: Ident
    label: Text
    min_months: int = Field(default=0, ge=0)
    max_months: int | None = Field(default=None, gt=0)
    floor: Floor | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeBand:
        if self.max_months is not None and self.max_months <= self.min_months:
            raise ValueError("« max_months » doit être supérieur à « min_months ».")
        return self

    def contains(self, months: int) -> bool:
        return self.min_months <= months and (self.max_months is None or months < self.max_months)


RedFlagCategory = Literal[
    # the core set every version must ask (see `protocol_checks.CORE_RED_FLAGS`)
    "chest_pain",
    "breathing",
    "stroke",
    "consciousness",
    "bleeding",
    "anaphylaxis",
    "severe_trauma",
    "suicidal_risk",
    "infant_fever",
    "pregnancy_emergency",
    "meningitis_purpura",
    "sepsis",
    # the others
    "abdominal",
    "poisoning",
    "testicular_torsion",
    "urinary_retention",
    "burns",
    "limb_ischaemia",
    "hypoglycaemia",
    "eye",
    "dehydration",
    "other",
]


# The red flags every version must ask, by category, over the ages (months, max exclusive)
# where they apply: every age band overlapping that range must ask one flag of the category.
CORE_RED_FLAGS: dict[str, tuple[str, int, int | None]] = {
    "chest_pain": ("douleur thoracique", 24, None),
    "breathing": ("difficulté respiratoire", 0, None),
    "stroke": ("signes d'AVC", 180, None),
    "consciousness": ("perte de connaissance ou convulsions", 0, None),
    "bleeding": ("hémorragie", 0, None),
    "anaphylaxis": ("réaction allergique sévère", 0, None),
    "severe_trauma": ("traumatisme grave", 0, None),
    "suicidal_risk": ("risque suicidaire", 96, None),
    "infant_fever": ("fièvre du nourrisson de moins de 3 mois", 0, 3),
    "pregnancy_emergency": ("urgence de la grossesse", 144, 600),
    "meningitis_purpura": ("méningite ou purpura", 0, None),
    "sepsis": ("signes de sepsis", 0, None),
}


# Core categories that concern one sex only: the others must be asked whatever the sex.
CORE_RED_FLAG_SEXES: dict[str, PatientSex] = {"pregnancy_emergency": "female"}


class RedFlag(_Strict):
    """A question asked before anything else; "yes" means: call the 15 now."""

    id: Ident
    category: RedFlagCategory
    question: Text
    reason: Text  # logged on the request and shown in the console
    priority: Literal["P0", "P1"] = "P0"
    age_bands: list[Ident] | None = None  # asked only in these bands (all when absent)
    sexes: Sexes = None


class RiskFactor(_Strict):
    """A yes/no question on the patient, asked for every motif; "yes" applies its floor."""

    id: Ident
    question: Text
    label: Text  # short, shown with the decision ("Sous anticoagulant")
    age_bands: list[Ident] | None = None  # asked only in these bands (all when absent)
    sexes: Sexes = None
    floor: Floor


class Choice(_Strict):
    id: Ident
    label: Text


class Question(_Strict):
    id: Ident
    text: Text
    kind: Literal["yes_no", "choice"] = "yes_no"
    choices: list[Choice] = Field(default_factory=list)
    required: bool = True
    help: str | None = Field(default=None, max_length=500)
    sexes: Sexes = None
    # "Is the patient of this sex?": answered from the recorded sex, asked only when unknown.
    answered_by_sex: PatientSex | None = None

    @model_validator(mode="after")
    def _choices(self) -> Question:
        if self.kind == "choice":
            if len(self.choices) < 2:
                raise ValueError("Une question à choix doit proposer au moins deux choix.")
            ids = [c.id for c in self.choices]
            if len(set(ids)) != len(ids):
                raise ValueError("Les identifiants des choix doivent être uniques.")
        elif self.choices:
            raise ValueError("Une question oui/non n'a pas de « choices ».")
        if self.answered_by_sex is not None and (self.kind != "yes_no" or self.sexes):
            raise ValueError(
                "« answered_by_sex » : seulement pour une question oui/non, sans « sexes »."
            )
        return self

    def asked_of(self, sex: str | None) -> bool:
        """Asked of this patient: not a fact already known from the sex, nor for the other sex."""
        if self.answered_by_sex is not None:
            return sex not in ("female", "male")
        return applies_to(self.sexes, sex)

    def sex_answer(self, sex: str | None) -> bool | None:
        """The answer the recorded sex gives (None when it gives none)."""
        if self.answered_by_sex is None or sex not in ("female", "male"):
            return None
        return sex == self.answered_by_sex

    def accepts(self, value: object) -> bool:
        if self.kind == "yes_no":
            return isinstance(value, bool)
        return isinstance(value, str) and value in {c.id for c in self.choices}


ConditionValue = bool | Ident | list[bool | Ident]


class Condition(_Strict):
    """Every listed answer must match (a value or one of a list), the age band be listed and,
    when `risk_factors` is given, at least one of them be answered "yes"."""

    answers: dict[Ident, ConditionValue] = Field(default_factory=dict)
    age_bands: list[Ident] | None = None
    risk_factors: list[Ident] | None = Field(default=None, min_length=1)

    def matches(self, answers: Answers, band: str) -> bool:
        if self.age_bands is not None and band not in self.age_bands:
            return False
        if self.risk_factors is not None and not any(
            answers.get(r) is True for r in self.risk_factors
        ):
            return False
        for question, expected in self.answers.items():
            if question not in answers:
                return False
            value = answers[question]
            accepted = expected if isinstance(expected, list) else [expected]
            # bool and str compare apart (True is not "true"); bool == int quirks excluded.
            if not any(type(value) is type(a) and value == a for a in accepted):
                return False
        return True


class RuleRedFlag(_Strict):
    id: Ident
    reason: Text
    priority: Literal["P0", "P1"] = "P1"
    category: RedFlagCategory = "other"


class Result(_Strict):
    priority: Literal["P2", "P3"]
    deadline_hours: int = Field(ge=1, le=48)
    orientation: Orientation
    advice: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _deadline_fits_priority(self) -> Result:
        if self.priority == "P2" and self.deadline_hours > 24:
            raise ValueError("Une priorité P2 se traite dans les 24 heures au plus.")
        return self


class Rule(_Strict):
    id: Ident | None = None
    when: Condition = Field(default_factory=Condition)
    red_flag: RuleRedFlag | None = None
    result: Result | None = None

    @model_validator(mode="after")
    def _one_outcome(self) -> Rule:
        if (self.red_flag is None) == (self.result is None):
            raise ValueError(
                "Une règle donne soit « red_flag », soit « result » (un seul des deux)."
            )
        return self


class Motif(_Strict):
    id: Ident
    label: Text
    questions: list[Question] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    default: Result

    @model_validator(mode="after")
    def _rules_use_known_answers(self) -> Motif:
        questions = {q.id: q for q in self.questions}
        if len(questions) != len(self.questions):
            raise ValueError(f"Motif « {self.id} » : identifiants de questions en double.")
        for number, rule in enumerate(self.rules, start=1):
            for question_id, expected in rule.when.answers.items():
                question = questions.get(question_id)
                if question is None:
                    raise ValueError(
                        f"Motif « {self.id} », règle {number} : question « {question_id} » "
                        "inconnue dans ce motif."
                    )
                values = expected if isinstance(expected, list) else [expected]
                if not values or not all(question.accepts(v) for v in values):
                    raise ValueError(
                        f"Motif « {self.id} », règle {number} : réponse attendue pour "
                        f"« {question_id} » impossible (oui/non ou un des choix prévus)."
                    )
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def questions_for(self, sex: str | None = None) -> list[Question]:
        """The questions asked of a patient of this sex (all of them when it is unknown)."""
        return [q for q in self.questions if q.asked_of(sex)]


Disposition = Literal["CALL_15", "AMB", "HH", "VR", "PHARMACIST", "ADVICE"]


class Expectation(_Strict):
    """What a physician expects of a vignette: at least this urgent, at most this late, one of
    these dispositions (`CALL_15` for a red flag, else an orientation)."""

    priority: Literal["P0", "P1", "P2", "P3"]
    max_deadline_hours: int | None = Field(default=None, ge=1, le=48)
    dispositions: list[Disposition] | None = Field(default=None, min_length=1)


class Vignette(_Strict):
    """A clinical test case. Unlisted yes/no answers (red flags, risk factors, motif questions)
    are "no"; choice questions must be answered."""

    id: Ident
    label: Text
    age_months: int = Field(ge=0, le=1500)
    sex: PatientSex | None = None  # absent: not recorded (every question asked)
    motif: Ident
    answers: dict[Ident, bool | Ident] = Field(default_factory=dict)
    expect: Expectation


class ProtocolDocument(_Strict):
    """The whole protocol, as the YAML document is written and as the triage form reads it."""

    title: Text
    notice: Text  # e.g. "Protocole par défaut : à relire et valider par les médecins référents"
    age_bands: list[AgeBand] = Field(min_length=1)
    red_flags: list[RedFlag] = Field(min_length=1)
    risk_factors: list[RiskFactor] = Field(default_factory=list)
    motifs: list[Motif] = Field(min_length=1)
    vignettes: list[Vignette] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ProtocolDocument:
        bands = sorted(self.age_bands, key=lambda b: b.min_months)
        if bands[0].min_months != 0:
            raise ValueError("Les tranches d'âge doivent commencer à 0 mois.")
        for previous, following in itertools.pairwise(bands):
            if previous.max_months != following.min_months:
                raise ValueError(
                    f"Tranches d'âge « {previous.id} » et « {following.id} » : elles doivent se "
                    "suivre sans trou ni chevauchement."
                )
        if bands[-1].max_months is not None:
            raise ValueError("La dernière tranche d'âge ne doit pas avoir de « max_months ».")
        band_ids = [b.id for b in self.age_bands]
        _unique(band_ids, "tranches d'âge")
        _unique([m.id for m in self.motifs], "motifs")
        flag_ids = [f.id for f in self.red_flags]
        flag_ids += [r.red_flag.id for m in self.motifs for r in m.rules if r.red_flag]
        _unique(flag_ids, "signes d'alerte")
        _unique([r.id for r in self.risk_factors], "facteurs de risque")
        _unique([v.id for v in self.vignettes], "vignettes")
        known_bands = set(band_ids)
        for flag in self.red_flags:
            _known(flag.age_bands, known_bands, f"signe d'alerte « {flag.id} »")
        for factor in self.risk_factors:
            _known(factor.age_bands, known_bands, f"facteur de risque « {factor.id} »")
        global_flags = {f.id for f in self.red_flags}
        factors = {r.id for r in self.risk_factors}
        if global_flags & factors:
            raise ValueError(
                f"Facteur(s) de risque {', '.join(sorted(global_flags & factors))} portant "
                "l'identifiant d'un signe d'alerte."
            )
        for motif in self.motifs:
            for number, rule in enumerate(motif.rules, start=1):
                where = f"motif « {motif.id} », règle {number}"
                _known(rule.when.age_bands, known_bands, where)
                unknown = sorted(set(rule.when.risk_factors or []) - factors)
                if unknown:
                    raise ValueError(
                        f"{where.capitalize()} : facteur(s) de risque inconnu(s) "
                        f"{', '.join(unknown)}."
                    )
            clash = (global_flags | factors) & {q.id for q in motif.questions}
            if clash:
                raise ValueError(
                    f"Motif « {motif.id} » : question(s) {', '.join(sorted(clash))} portant "
                    "l'identifiant d'un signe d'alerte ou d'un facteur de risque."
                )
        self._asks_the_core_red_flags()
        motif_ids = {m.id for m in self.motifs}
        for vignette in self.vignettes:
            if vignette.motif not in motif_ids:
                raise ValueError(
                    f"Vignette « {vignette.id} » : motif « {vignette.motif} » inconnu."
                )
        return self

    def _asks_the_core_red_flags(self) -> None:
        missing = []
        for category, (label, low, high) in CORE_RED_FLAGS.items():
            bands = [
                b
                for b in self.age_bands
                if (high is None or b.min_months < high)
                and (b.max_months is None or b.max_months > low)
            ]
            only = CORE_RED_FLAG_SEXES.get(category)
            uncovered = []
            for band in bands:
                if not self._asks(category, band.id, only):
                    uncovered.append(band.label)
                    continue
                # Asked of someone, but restricted so that one sex is never asked.
                for sex in () if only else ("female", "male"):
                    if not self._asks(category, band.id, sex):
                        uncovered.append(f"{band.label} ({_SEX_FR[sex]})")
            if uncovered:
                missing.append(f"{label} ({category}) pour : {', '.join(uncovered)}")
        if missing:
            raise ValueError(
                "Signes d'alerte indispensables absents des questions posées d'emblée : "
                + " ; ".join(missing)
                + "."
            )

    def _asks(self, category: str, band: str, sex: str | None) -> bool:
        return any(f.category == category for f in self.red_flags_for(band, sex))

    def band_for(self, age_months: int) -> AgeBand:
        return next(b for b in self.age_bands if b.contains(max(age_months, 0)))

    def red_flags_for(self, band: str, sex: str | None = None) -> list[RedFlag]:
        """The red flags asked in this band of a patient of this sex (unknown: all)."""
        return [
            f
            for f in self.red_flags
            if (f.age_bands is None or band in f.age_bands) and applies_to(f.sexes, sex)
        ]

    def risk_factors_for(self, band: str, sex: str | None = None) -> list[RiskFactor]:
        """The risk factors asked in this band of a patient of this sex (unknown: all)."""
        return [
            r
            for r in self.risk_factors
            if (r.age_bands is None or band in r.age_bands) and applies_to(r.sexes, sex)
        ]

    def motif(self, motif_id: str) -> Motif | None:
        return next((m for m in self.motifs if m.id == motif_id), None)


_SEX_FR: dict[str, str] = {"female": "femme", "male": "homme"}


def _unique(ids: list[str], what: str) -> None:
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if doubles:
        raise ValueError(f"Identifiants de {what} en double : {', '.join(doubles)}.")


def _known(used: list[str] | None, known: set[str], where: str) -> None:
    unknown = sorted(set(used or []) - known)
    if unknown:
        names = ", ".join(unknown)
        raise ValueError(f"{where.capitalize()} : tranche(s) d'âge inconnue(s) {names}.")


# -- reading documents -----------------------------------------------------------------------

_PARSED: dict[str, ProtocolDocument] = {}


def parse_protocol(text: str, loc: tuple[str | int, ...] = ("body", "text")) -> ProtocolDocument:
    """YAML text -> validated document; `InvalidProtocol` (422) lists every problem in French."""
    key = hashlib.sha256(text.encode()).hexdigest()
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" à la ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        raise InvalidProtocol(
            [{"loc": list(loc), "msg": f"Le document YAML est illisible{where}."}]
        ) from None
    if not isinstance(raw, dict):
        raise InvalidProtocol(
            [{"loc": list(loc), "msg": "Le document doit être un dictionnaire YAML (clé: valeur)."}]
        )
    try:
        document = ProtocolDocument.model_validate(raw)
    except ValidationError as exc:
        raise InvalidProtocol(_french_errors(exc, loc)) from None
    if len(_PARSED) > 64:
        _PARSED.clear()
    _PARSED[key] = document
    return document


def _french_errors(exc: ValidationError, loc: tuple[str | int, ...]) -> list[dict[str, Any]]:
    raw = exc.errors()
    errors = translate_validation_errors(raw)
    for error, source in zip(errors, raw, strict=True):
        ctx = source.get("ctx") or {}
        if source["type"] == "too_short" and "min_length" in ctx:
            error["msg"] = f"Au moins {ctx['min_length']} élément(s) attendu(s)."
        elif source["type"] == "too_long" and "max_length" in ctx:
            error["msg"] = f"Au plus {ctx['max_length']} élément(s)."
        elif source["type"] in ("literal_error", "enum"):
            error["msg"] = error["msg"].replace("' or '", "' ou '")
        error["loc"] = [*loc, *error["loc"]]
    return errors


def default_protocol_text() -> str:
    return resources.files("regulation").joinpath(DEFAULT_PROTOCOL_RESOURCE).read_text("utf-8")

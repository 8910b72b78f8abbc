"""The triage engine: apply a protocol document to one request's answers (pure, no database).

Red flags first: any red-flag question answered "yes" ends triage at once (call the 15), before
the answers are even checked; then every question due is checked (red flags and risk factors of
the age band, the motif's questions), and the motif's rules are tried in order (first match
wins), else its default. A result then meets the floors of the age band and of every risk factor
answered "yes" (highest priority, shortest deadline, orientations allowed): the safer wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from regulation.errors import InvalidAnswers
from regulation.models import Orientation, Priority
from regulation.service.protocol import (
    Answers,
    AnswerValue,
    Floor,
    ProtocolDocument,
    Question,
    Result,
)


@dataclass(frozen=True, slots=True)
class FlagHit:
    id: str
    reason: str
    priority: Priority
    question: str | None  # the red-flag question answered "yes" (None for a motif rule)


@dataclass(frozen=True, slots=True)
class Decision:
    age_band: str
    priority: Priority
    rule: str  # which part of the protocol decided: "red_flag:<id>", "<motif>:<rule>", ...
    red_flag: FlagHit | None = None
    deadline_hours: int | None = None
    orientation: Orientation | None = None
    advice: str | None = None
    # What made the result stricter than the motif's: "age:<band>", "risk:<factor>".
    raised_by: tuple[str, ...] = ()

    @property
    def call_15(self) -> bool:
        return self.red_flag is not None


def red_flag_hit(document: ProtocolDocument, answers: Answers) -> FlagHit | None:
    """The first red flag (document order) answered "yes", whatever the age band or motif."""
    for flag in document.red_flags:
        if answers.get(flag.id) is True:
            return FlagHit(flag.id, flag.reason, Priority(flag.priority), flag.question)
    return None


def check_red_flag_answers(
    document: ProtocolDocument, answers: Answers, loc: tuple[str | int, ...] = ("body", "answers")
) -> None:
    """Only red-flag ids, each answered yes or no (used for referrals' quick check)."""
    flags = {f.id for f in document.red_flags}
    errors = []
    for key, value in answers.items():
        if key not in flags:
            errors.append(_error(loc, key, "Signe d'alerte inconnu du protocole en vigueur."))
        elif not isinstance(value, bool):
            errors.append(_error(loc, key, "Répondez par oui ou non."))
    if errors:
        raise InvalidAnswers(errors)


_SEX_FR = {"female": "une femme", "male": "un homme"}


def with_sex_facts(
    document: ProtocolDocument,
    motif_id: str | None,
    answers: Answers,
    sex: str | None,
    loc: tuple[str | int, ...] = ("body", "answers"),
) -> dict[str, AnswerValue]:
    """The answers with the motif's `answered_by_sex` questions answered from the recorded sex
    (a fact, never asked twice). An answer that contradicts the recorded sex is refused: the
    sex is corrected on the patient's details, not in the triage."""
    out = dict(answers)
    motif = document.motif(motif_id) if motif_id else None
    errors = []
    for question in motif.questions if motif else []:
        fact = question.sex_answer(sex)
        if fact is None:
            continue
        given = out.get(question.id)
        if given is not None and given != fact:
            errors.append(
                _error(
                    loc,
                    question.id,
                    f"Le patient est enregistré comme {_SEX_FR[str(sex)]} : corrigez son sexe "
                    "dans ses coordonnées plutôt que cette réponse.",
                )
            )
        out[question.id] = fact
    if errors:
        raise InvalidAnswers(errors)
    return out


def evaluate(
    document: ProtocolDocument,
    motif_id: str,
    answers: Answers,
    age_months: int,
    loc: tuple[str | int, ...] = ("body", "answers"),
    sex: str | None = None,
) -> Decision:
    """Apply the protocol. A red flag answered "yes" wins before any other check.

    `sex` (recorded: "female"/"male"; None or "undetermined": unknown) leaves out the questions
    that concern the other sex and answers the `answered_by_sex` ones."""
    band = document.band_for(age_months)
    hit = red_flag_hit(document, answers)
    if hit is not None:
        return Decision(band.id, hit.priority, f"red_flag:{hit.id}", red_flag=hit)

    motif = document.motif(motif_id)
    if motif is None:
        raise InvalidAnswers(
            [{"loc": [loc[0], "motif"], "msg": "Motif inconnu du protocole en vigueur."}]
        )
    answers = with_sex_facts(document, motif_id, answers, sex, loc)
    errors: list[dict[str, Any]] = []
    all_flags = {f.id: f for f in document.red_flags}
    all_factors = {r.id: r for r in document.risk_factors}
    for flag in document.red_flags_for(band.id, sex):
        if flag.id not in answers:
            errors.append(_error(loc, flag.id, f"Réponse obligatoire : {flag.question}"))
    for factor in document.risk_factors_for(band.id, sex):
        if factor.id not in answers:
            errors.append(_error(loc, factor.id, f"Réponse obligatoire : {factor.question}"))
    for key, value in answers.items():
        question = motif.question(key)
        if key in all_flags or key in all_factors:
            if not isinstance(value, bool):
                errors.append(_error(loc, key, "Répondez par oui ou non."))
        elif question is None:
            errors.append(_error(loc, key, "Question inconnue pour ce motif."))
        elif not question.accepts(value):
            errors.append(_error(loc, key, _expected(question)))
    for question in motif.questions_for(sex):
        if question.required and question.id not in answers:
            errors.append(_error(loc, question.id, f"Réponse obligatoire : {question.text}"))
    if errors:
        raise InvalidAnswers(errors)

    for number, rule in enumerate(motif.rules, start=1):
        if not rule.when.matches(answers, band.id):
            continue
        name = f"{motif.id}:{rule.id or number}"
        if rule.red_flag is not None:
            outcome = rule.red_flag
            hit = FlagHit(outcome.id, outcome.reason, Priority(outcome.priority), None)
            return Decision(band.id, hit.priority, name, red_flag=hit)
        assert rule.result is not None
        return _decided(document, band.id, name, rule.result, answers)
    return _decided(document, band.id, f"{motif.id}:default", motif.default, answers)


def _decided(
    document: ProtocolDocument, band: str, name: str, result: Result, answers: Answers
) -> Decision:
    floors: list[tuple[str, Floor]] = []
    band_floor = next(b.floor for b in document.age_bands if b.id == band)
    if band_floor is not None:
        floors.append((f"age:{band}", band_floor))
    # A factor answered "yes" counts even outside the bands it is asked in: the safer wins.
    floors += [
        (f"risk:{r.id}", r.floor) for r in document.risk_factors if answers.get(r.id) is True
    ]
    priority, deadline = result.priority, result.deadline_hours
    orientation, advice = result.orientation, result.advice
    raised: list[str] = []
    allowed: list[Orientation] | None = None
    for source, floor in floors:
        before = (priority, deadline, orientation)
        priority = min(priority, floor.priority)
        if floor.max_deadline_hours is not None:
            deadline = min(deadline, floor.max_deadline_hours)
        if priority == "P2":
            deadline = min(deadline, 24)
        if floor.orientations is not None:
            base = floor.orientations if allowed is None else allowed
            allowed = [o for o in base if o in floor.orientations]
            if orientation not in allowed:
                # No orientation fits every floor: the regulating physician decides.
                orientation = allowed[0] if allowed else Orientation.ADVICE
        if (priority, deadline, orientation) != before:
            raised.append(source)
            if floor.advice:
                advice = f"{advice} {floor.advice}" if advice else floor.advice
    return Decision(
        band,
        Priority(priority),
        name,
        deadline_hours=deadline,
        orientation=orientation,
        advice=advice,
        raised_by=tuple(raised),
    )


def _error(loc: tuple[str | int, ...], key: str, msg: str) -> dict[str, Any]:
    return {"loc": [*loc, key], "msg": msg, "type": "invalid_answer"}


def _expected(question: Question) -> str:
    if question.kind == "yes_no":
        return "Répondez par oui ou non."
    return f"Réponse non prévue (choix possibles : {', '.join(c.id for c in question.choices)})."

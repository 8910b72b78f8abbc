"""Clinical checks of one protocol version, computed server-side before it may be approved.

- the version's own vignettes (clinical test cases) all pass;
- they cover every age band, every motif and every risk factor;
- "no red flag is ever queued": exhaustively, every red flag answered "yes" in every age band,
  motif and risk-factor setting calls the 15; and every motif rule that is a red flag calls the
  15 whenever its condition holds, whatever the other answers (a result rule placed before it
  must never shadow it).

Pure (no database); the result depends only on the text, so it is cached by text.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from functools import lru_cache

from regulation.errors import InvalidAnswers
from regulation.models import Priority
from regulation.schemas_protocol import PropertyCheckOut, ProtocolChecksOut, VignetteResultOut
from regulation.service.engine import Decision, evaluate
from regulation.service.protocol import (
    AgeBand,
    AnswerValue,
    Motif,
    ProtocolDocument,
    Question,
    Vignette,
    parse_protocol,
)

_ORIENTATION_FR = {
    "AMB": "consultation au cabinet",
    "HH": "visite à domicile",
    "VR": "téléconsultation",
    "PHARMACIST": "pharmacien",
    "ADVICE": "avis du médecin régulateur",
    "CALL_15": "appel du 15",
}
# Beyond this many answer combinations for one motif and band, a fixed-seed sample is checked.
_EXHAUSTIVE_LIMIT = 4096
_SAMPLE = 2048
_MAX_LISTED = 20


@lru_cache(maxsize=32)
def check_text(text: str) -> ProtocolChecksOut:
    """The checks of a protocol text (parsed first: `InvalidProtocol` if it does not parse).
    Cached by text: the result is shared, callers must not change it."""
    return check_document(parse_protocol(text))


def check_document(document: ProtocolDocument) -> ProtocolChecksOut:
    results = [run_vignette(document, v) for v in document.vignettes]
    coverage = _coverage_gaps(document)
    prop = red_flag_property(document)
    passed = sum(r.passed for r in results)
    return ProtocolChecksOut(
        vignettes=results,
        vignettes_passed=passed,
        vignettes_total=len(results),
        coverage_gaps=coverage,
        red_flag_property=prop,
        approvable=bool(results) and passed == len(results) and not coverage and prop.holds,
    )


# -- vignettes -------------------------------------------------------------------------------


def baseline_answers(
    document: ProtocolDocument, band: AgeBand, motif: Motif, sex: str | None = None
) -> dict[str, AnswerValue]:
    """Every red flag, risk factor and required yes/no question of the band and motif asked of
    a patient of this sex (unknown: all of them): "no"."""
    answers: dict[str, AnswerValue] = {f.id: False for f in document.red_flags_for(band.id, sex)}
    answers |= {r.id: False for r in document.risk_factors_for(band.id, sex)}
    answers |= {q.id: False for q in motif.questions_for(sex) if q.kind == "yes_no" and q.required}
    return answers


def run_vignette(document: ProtocolDocument, vignette: Vignette) -> VignetteResultOut:
    band = document.band_for(vignette.age_months)
    motif = document.motif(vignette.motif)
    assert motif is not None  # checked by the document's validation
    answers = baseline_answers(document, band, motif, vignette.sex) | dict(vignette.answers)
    expect = vignette.expect

    def result(outcome: str, problems: list[str]) -> VignetteResultOut:
        return VignetteResultOut(
            id=vignette.id,
            label=vignette.label,
            age_band=band.id,
            age_band_label=band.label,
            motif=motif.id,
            motif_label=motif.label,
            expected=_expected_fr(vignette),
            outcome=outcome,
            passed=not problems,
            problems=problems,
        )

    try:
        decision = evaluate(document, motif.id, answers, vignette.age_months, sex=vignette.sex)
    except InvalidAnswers as exc:
        return result("réponses refusées", [e["msg"] for e in exc.as_detail()])
    problems: list[str] = []
    if decision.priority.value > expect.priority:
        problems.append(
            f"Priorité {decision.priority.value} moins urgente que {expect.priority} attendue."
        )
    disposition = _disposition(decision)
    if expect.dispositions is not None and disposition not in expect.dispositions:
        allowed = ", ".join(_ORIENTATION_FR[d] for d in expect.dispositions)
        problems.append(f"Orientation « {_ORIENTATION_FR[disposition]} » hors de : {allowed}.")
    if (
        expect.max_deadline_hours is not None
        and decision.deadline_hours is not None
        and decision.deadline_hours > expect.max_deadline_hours
    ):
        problems.append(
            f"Échéance de {decision.deadline_hours} h au lieu de "
            f"{expect.max_deadline_hours} h au plus."
        )
    return result(outcome_fr(decision), problems)


def outcome_fr(decision: Decision) -> str:
    if decision.red_flag is not None:
        return f"appel du 15 ({decision.priority.value}) : {decision.red_flag.reason}"
    assert decision.orientation is not None
    return (
        f"{decision.priority.value} sous {decision.deadline_hours} h, "
        f"{_ORIENTATION_FR[decision.orientation.value]}"
    )


def _disposition(decision: Decision) -> str:
    if decision.call_15:
        return "CALL_15"
    assert decision.orientation is not None
    return decision.orientation.value


def _expected_fr(vignette: Vignette) -> str:
    expect = vignette.expect
    parts = [f"{expect.priority} ou plus urgent"]
    if expect.max_deadline_hours is not None:
        parts.append(f"sous {expect.max_deadline_hours} h au plus")
    if expect.dispositions is not None:
        parts.append(" ou ".join(_ORIENTATION_FR[d] for d in expect.dispositions))
    return ", ".join(parts)


def _coverage_gaps(document: ProtocolDocument) -> list[str]:
    gaps = []
    bands = {document.band_for(v.age_months).id for v in document.vignettes}
    motifs = {v.motif for v in document.vignettes}
    factors = {k for v in document.vignettes for k, a in v.answers.items() if a is True}
    gaps += [
        f"Aucune vignette pour la tranche « {b.label} »."
        for b in document.age_bands
        if b.id not in bands
    ]
    gaps += [
        f"Aucune vignette pour le motif « {m.label} »."
        for m in document.motifs
        if m.id not in motifs
    ]
    gaps += [
        f"Aucune vignette avec le facteur de risque « {r.label} »."
        for r in document.risk_factors
        if r.id not in factors
    ]
    return gaps


# -- the property: no red flag is ever queued --------------------------------------------------


def red_flag_property(document: ProtocolDocument) -> PropertyCheckOut:
    checked = 0
    violations: list[str] = []

    def check(decision: Decision | None, case: str) -> None:
        nonlocal checked
        checked += 1
        queued = (
            decision is None
            or not decision.call_15
            or decision.priority not in (Priority.P0, Priority.P1)
            or decision.deadline_hours is not None
            or decision.orientation is not None
        )
        if queued:
            violations.append(case)

    factor_sets = _factor_sets([r.id for r in document.risk_factors])
    for flag, band, motif in itertools.product(
        document.red_flags, document.age_bands, document.motifs
    ):
        base = baseline_answers(document, band, motif)
        for factors in factor_sets:
            answers = base | {f: True for f in factors} | {flag.id: True}
            decision = _evaluate(document, motif.id, answers, band.min_months)
            check(decision, _case(flag.reason, band, motif, factors, decision))

    for motif, band in itertools.product(document.motifs, document.age_bands):
        rules = [r for r in motif.rules if r.red_flag is not None]
        if not rules:
            continue
        referenced = sorted({f for r in rules for f in r.when.risk_factors or []})
        base = baseline_answers(document, band, motif)
        for answers in _combinations(motif.questions, referenced):
            full = base | answers
            matching = [r for r in rules if r.when.matches(full, band.id)]
            if not matching:
                continue
            decision = _evaluate(document, motif.id, full, band.min_months)
            assert matching[0].red_flag is not None
            factors = tuple(f for f in referenced if full.get(f) is True)
            check(decision, _case(matching[0].red_flag.reason, band, motif, factors, decision))

    return PropertyCheckOut(
        holds=not violations,
        cases_checked=checked,
        violations=violations[:_MAX_LISTED],
        violations_total=len(violations),
    )


def _evaluate(
    document: ProtocolDocument, motif: str, answers: dict[str, AnswerValue], age: int
) -> Decision | None:
    try:
        return evaluate(document, motif, answers, age)
    except InvalidAnswers:
        return None  # a red flag that does not even decide counts as queued


def _factor_sets(factors: list[str]) -> list[tuple[str, ...]]:
    """None, each alone, all together."""
    sets: list[tuple[str, ...]] = [()]
    sets += [(f,) for f in factors]
    if len(factors) > 1:
        sets.append(tuple(factors))
    return sets


def _combinations(
    questions: list[Question], factors: list[str]
) -> Iterator[dict[str, AnswerValue]]:
    domains: list[tuple[str, list[AnswerValue | None]]] = []
    for question in questions:
        values: list[AnswerValue | None] = (
            [c.id for c in question.choices] if question.kind == "choice" else [True, False]
        )
        if not question.required:
            values.append(None)  # not answered
        domains.append((question.id, values))
    domains += [(f, [True, False]) for f in factors]
    size = 1
    for _, values in domains:
        size *= len(values)
    if size <= _EXHAUSTIVE_LIMIT:
        rows: Iterator[tuple[AnswerValue | None, ...]] = itertools.product(*(v for _, v in domains))
    else:
        rng = random.Random(0)  # noqa: S311 - a reproducible sample, not a secret
        rows = (tuple(rng.choice(v) for _, v in domains) for _ in range(_SAMPLE))
    for row in rows:
        yield {
            key: value for (key, _), value in zip(domains, row, strict=True) if value is not None
        }


def _case(
    reason: str, band: AgeBand, motif: Motif, factors: tuple[str, ...], decision: Decision | None
) -> str:
    with_factors = f", facteurs : {', '.join(factors)}" if factors else ""
    got = "réponses refusées" if decision is None else outcome_fr(decision)
    return f"« {reason} » ({band.label}, {motif.label}{with_factors}) : {got}"

"""The default protocol read as a physician would: the cases of issue 13, age floors, risk
factors, the core red flags and the version's own vignettes and "no red flag queued" property."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import yaml

from regulation.errors import InvalidAnswers, InvalidProtocol
from regulation.models import Orientation, Priority
from regulation.service.engine import Decision, evaluate
from regulation.service.protocol import (
    AnswerValue,
    ProtocolDocument,
    default_protocol_text,
    parse_protocol,
)
from regulation.service.protocol_checks import baseline_answers, check_document, check_text

DEFAULT = parse_protocol(default_protocol_text())
AGES = {"newborn": 1, "infant": 12, "child": 96, "adult": 480, "elderly": 960}


def decide(motif: str, age_months: int, **chosen: AnswerValue) -> Decision:
    """Every red flag, risk factor and yes/no question "no" (first choice), then `chosen`."""
    band = DEFAULT.band_for(age_months)
    found = DEFAULT.motif(motif)
    assert found is not None
    answers = baseline_answers(DEFAULT, band, found)
    answers |= {q.id: q.choices[0].id for q in found.questions if q.kind == "choice"}
    return evaluate(DEFAULT, motif, answers | chosen, age_months)


def every_answer_of(
    document: ProtocolDocument, motif_id: str, band_id: str
) -> list[dict[str, Any]]:
    """Every combination of the motif's answers and of the risk factors, red flags "no"."""
    band = next(b for b in document.age_bands if b.id == band_id)
    motif = document.motif(motif_id)
    assert motif is not None
    base = baseline_answers(document, band, motif)
    keys = [q.id for q in motif.questions if q.required]
    keys += [r.id for r in document.risk_factors_for(band_id)]
    domains = [
        [c.id for c in q.choices] if q.kind == "choice" else [True, False]
        for q in motif.questions
        if q.required
    ]
    domains += [[True, False] for _ in document.risk_factors_for(band_id)]
    return [base | dict(zip(keys, row, strict=True)) for row in itertools.product(*domains)]


# -- the cases measured in issue 13 ----------------------------------------------------------


@pytest.mark.parametrize("motif", ["cough_cold", "sore_throat", "vomiting_diarrhoea", "rash"])
def test_an_infant_under_three_months_gets_a_regulating_physician_the_same_day(motif: str) -> None:
    decision = decide(motif, 1)
    assert decision.priority == Priority.P2
    assert decision.orientation == Orientation.ADVICE
    assert decision.deadline_hours is not None
    assert decision.deadline_hours <= 4
    assert "age:newborn" in decision.raised_by


@pytest.mark.parametrize("motif", [m.id for m in DEFAULT.motifs])
def test_under_three_months_never_48_hours_never_pharmacist_nor_teleconsultation(
    motif: str,
) -> None:
    for answers in every_answer_of(DEFAULT, motif, "newborn"):
        decision = evaluate(DEFAULT, motif, answers, 1)
        if decision.call_15:
            continue
        assert decision.priority == Priority.P2, answers
        assert decision.deadline_hours is not None
        assert decision.deadline_hours <= 4, answers
        assert decision.orientation == Orientation.ADVICE, answers


def test_an_elderly_fall_on_an_anticoagulant_with_a_bump_on_the_forehead_calls_the_15() -> None:
    decision = decide("fall", 984, anticoagulant=True, head_impact=True)
    assert decision.call_15
    assert decision.red_flag is not None
    assert decision.red_flag.id == "fall_head_anticoagulant"
    # Whatever motif the operator picks, the head-injury red flag asks for the anticoagulant.
    flag = next(f for f in DEFAULT.red_flags if f.id == "head_injury_risk")
    assert "anticoagulant" in flag.question


@pytest.mark.parametrize("motif", ["sprain", "back_pain", "other", "minor_wound", "fall"])
def test_an_anticoagulant_raises_any_motif_to_the_same_day_with_a_physician(motif: str) -> None:
    decision = decide(motif, 720, anticoagulant=True)
    assert not decision.call_15
    assert decision.priority == Priority.P2
    assert decision.deadline_hours is not None
    assert decision.deadline_hours <= 12
    assert decision.orientation in (Orientation.AMB, Orientation.HH, Orientation.ADVICE)


def test_fever_under_chemotherapy_calls_the_15() -> None:
    decision = decide(
        "fever", 696, immunocompromised=True, fever_duration="under_48h", fever_tolerated=True
    )
    assert decision.call_15
    assert decision.priority == Priority.P1
    flagged = decide("other", 696, fever_immunocompromised=True)
    assert flagged.call_15
    assert flagged.red_flag is not None
    assert flagged.red_flag.id == "fever_immunocompromised"


@pytest.mark.parametrize("motif", ["red_eye", "other", "headache"])
def test_sudden_vision_loss_or_a_chemical_splash_in_the_eye_calls_the_15(motif: str) -> None:
    decision = decide(motif, 396, eye_emergency=True)
    assert decision.call_15
    assert decision.priority == Priority.P1
    question = next(f.question for f in DEFAULT.red_flags if f.id == "eye_emergency")
    assert "vue" in question
    assert "chimique" in question


@pytest.mark.parametrize(
    ("flag", "category"),
    [
        ("sepsis_signs", "sepsis"),
        ("testicular_pain", "testicular_torsion"),
        ("urinary_retention", "urinary_retention"),
        ("severe_burn", "burns"),
        ("preeclampsia_postpartum", "pregnancy_emergency"),
        ("limb_ischaemia", "limb_ischaemia"),
        ("hypoglycaemia", "hypoglycaemia"),
        ("asthma_not_responding", "breathing"),
        ("eye_emergency", "eye"),
    ],
)
def test_the_missing_red_flags_are_asked_and_call_the_15(flag: str, category: str) -> None:
    found = next(f for f in DEFAULT.red_flags if f.id == flag)
    assert found.category == category
    decision = decide("other", 480, **{flag: True})
    assert decision.call_15
    assert decision.red_flag is not None
    assert decision.red_flag.id == flag


def test_questions_are_worded_so_that_no_is_meaningful() -> None:
    chest = next(f.question for f in DEFAULT.red_flags if f.id == "chest_pain")
    assert "surtout" not in chest
    assert "qu'elle s'étende ou non" in chest
    breathing = next(f.question for f in DEFAULT.red_flags if f.id == "breathing_difficulty")
    assert "importante" not in breathing
    assert "même modérée" in breathing


def test_a_pregnant_patient_is_never_sent_to_the_pharmacist_alone() -> None:
    for motif in DEFAULT.motifs:
        for answers in every_answer_of(DEFAULT, motif.id, "adult"):
            if answers.get("pregnant") is not True:
                continue
            decision = evaluate(DEFAULT, motif.id, answers, 360)
            if not decision.call_15:
                assert decision.orientation not in (Orientation.PHARMACIST, Orientation.VR)
                assert decision.deadline_hours is not None
                assert decision.deadline_hours <= 12


def test_over_75s_are_seen_within_24_hours_and_not_by_the_pharmacist_alone() -> None:
    for motif in DEFAULT.motifs:
        decision = decide(motif.id, 960)
        if decision.call_15:
            continue
        assert decision.priority == Priority.P2
        assert decision.orientation != Orientation.PHARMACIST


def test_children_are_not_sent_to_the_pharmacist_alone() -> None:
    assert decide("sore_throat", 72).orientation == Orientation.AMB
    assert decide("sore_throat", 240).orientation == Orientation.PHARMACIST  # 20-year-old


def test_the_strictest_floor_wins_and_is_named() -> None:
    # A newborn on an anticoagulant: the band allows only the regulator's advice.
    decision = decide("minor_wound", 1, anticoagulant=True)
    assert decision.orientation == Orientation.ADVICE
    assert decision.deadline_hours == 4
    assert decision.raised_by == ("age:newborn",)
    # Adult, minor wound, no risk factor: the motif's default, nothing raised.
    assert decide("minor_wound", 480).raised_by == ()
    raised = decide("minor_wound", 480, anticoagulant=True, tetanus_up_to_date=True)
    assert raised.raised_by == ("risk:anticoagulant",)
    assert (raised.priority, raised.deadline_hours, raised.orientation) == (
        Priority.P2,
        12,
        Orientation.AMB,
    )


def test_risk_factors_are_mandatory_answers() -> None:
    band = DEFAULT.band_for(480)
    motif = DEFAULT.motif("sprain")
    assert motif is not None
    answers = baseline_answers(DEFAULT, band, motif)
    del answers["anticoagulant"]
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(DEFAULT, "sprain", answers, 480)
    assert caught.value.as_detail()[0]["loc"] == ["body", "answers", "anticoagulant"]
    assert caught.value.as_detail()[0]["msg"].startswith("Réponse obligatoire : Prend un anticoag")


# -- the version's own vignettes and property ------------------------------------------------


def test_the_default_vignettes_are_at_least_40_cover_everything_and_all_pass() -> None:
    checks = check_text(default_protocol_text())
    assert checks.vignettes_total >= 40
    failed = [(v.id, v.outcome, v.problems) for v in checks.vignettes if not v.passed]
    assert failed == []
    assert checks.coverage_gaps == []
    covered = {(v.age_band, v.motif) for v in checks.vignettes}
    assert {b for b, _ in covered} == {b.id for b in DEFAULT.age_bands}
    assert {m for _, m in covered} == {m.id for m in DEFAULT.motifs}
    factors = {k for v in DEFAULT.vignettes for k, a in v.answers.items() if a is True}
    assert {r.id for r in DEFAULT.risk_factors} <= factors
    assert checks.approvable


def test_no_red_flag_is_ever_queued_by_the_default_protocol() -> None:
    prop = check_text(default_protocol_text()).red_flag_property
    assert prop.holds, prop.violations
    flags, bands, motifs = len(DEFAULT.red_flags), len(DEFAULT.age_bands), len(DEFAULT.motifs)
    assert prop.cases_checked > flags * bands * motifs  # every flag x band x motif, and more


def _raw() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(default_protocol_text())
    return raw


def _motif(raw: dict[str, Any], motif_id: str) -> dict[str, Any]:
    return next(m for m in raw["motifs"] if m["id"] == motif_id)


def test_a_result_rule_shadowing_a_red_flag_rule_breaks_the_property() -> None:
    raw = _raw()
    fever = _motif(raw, "fever")
    long_fever = next(r for r in fever["rules"] if r["id"] == "long_fever")
    fever["rules"].remove(long_fever)
    fever["rules"].insert(0, long_fever)  # now "over 5 days" wins over "poorly tolerated"
    checks = check_document(parse_protocol(yaml.safe_dump(raw, allow_unicode=True)))
    prop = checks.red_flag_property
    assert not prop.holds
    assert not checks.approvable
    assert any("« Fièvre mal tolérée »" in v and "P2 sous 12 h" in v for v in prop.violations)


def test_a_failing_vignette_says_what_was_expected_and_what_came_out() -> None:
    raw = _raw()
    cough = _motif(raw, "cough_cold")
    cough["default"]["orientation"] = "PHARMACIST"
    raw["age_bands"][0].pop("floor")  # the newborn floor removed: 48 h at the pharmacist
    checks = check_document(parse_protocol(yaml.safe_dump(raw, allow_unicode=True)))
    newborn = next(v for v in checks.vignettes if v.id == "newborn_cough")
    assert not newborn.passed
    assert newborn.outcome == "P3 sous 48 h, pharmacien"
    assert "Priorité P3 moins urgente que P2 attendue." in newborn.problems
    assert "Échéance de 48 h au lieu de 4 h au plus." in newborn.problems
    assert not checks.approvable


def test_vignettes_must_cover_every_band_motif_and_risk_factor() -> None:
    raw = _raw()
    raw["vignettes"] = [v for v in raw["vignettes"] if v["motif"] != "red_eye"]
    checks = check_document(parse_protocol(yaml.safe_dump(raw, allow_unicode=True)))
    assert checks.coverage_gaps == ["Aucune vignette pour le motif « Œil rouge »."]
    assert not checks.approvable
    raw["vignettes"] = []
    assert not check_document(parse_protocol(yaml.safe_dump(raw, allow_unicode=True))).approvable


# -- the core red flags, by category ---------------------------------------------------------


def _refused(raw: dict[str, Any]) -> str:
    with pytest.raises(InvalidProtocol) as caught:
        parse_protocol(yaml.safe_dump(raw, allow_unicode=True))
    return str(caught.value.as_detail()[0]["msg"])


def test_a_version_without_a_core_red_flag_is_refused_by_category() -> None:
    raw = _raw()
    raw["red_flags"] = [f for f in raw["red_flags"] if f["category"] != "sepsis"]
    msg = _refused(raw)
    assert "Signes d'alerte indispensables absents" in msg
    assert "signes de sepsis (sepsis)" in msg


def test_a_core_red_flag_asked_only_to_some_ages_is_refused_for_the_others() -> None:
    raw = _raw()
    next(f for f in raw["red_flags"] if f["id"] == "chest_pain")["age_bands"] = ["elderly"]
    msg = _refused(raw)
    assert (
        "douleur thoracique (chest_pain) pour : Enfant de 2 à 15 ans, Adulte de 15 à 75 ans" in msg
    )


def test_rewording_a_core_red_flag_keeps_it_recognised() -> None:
    raw = _raw()
    chest = next(f for f in raw["red_flags"] if f["id"] == "chest_pain")
    chest["id"], chest["question"] = "thoracic", "Mal dans le thorax ?"
    assert parse_protocol(yaml.safe_dump(raw, allow_unicode=True)).red_flags[0].id == "thoracic"


def test_the_poisoning_only_protocol_of_the_issue_is_refused() -> None:
    raw = _raw()
    raw["red_flags"] = [f for f in raw["red_flags"] if f["id"] == "poisoning"]
    msg = _refused(raw)
    for label in ("douleur thoracique", "difficulté respiratoire", "signes d'AVC", "sepsis"):
        assert label in msg


def test_a_red_flag_needs_a_known_category() -> None:
    raw = _raw()
    raw["red_flags"][0]["category"] = "chest"
    with pytest.raises(InvalidProtocol) as caught:
        parse_protocol(yaml.safe_dump(raw, allow_unicode=True))
    assert caught.value.as_detail()[0]["loc"] == ["body", "text", "red_flags", 0, "category"]


def test_a_rule_naming_an_unknown_risk_factor_is_refused() -> None:
    raw = _raw()
    _motif(raw, "fever")["rules"][2]["when"] = {"risk_factors": ["dialysis"]}
    assert "facteur(s) de risque inconnu(s) dialysis" in _refused(raw)

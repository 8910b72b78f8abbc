"""The triage engine on the shipped default protocol, and the protocol schema's checks."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regulation.errors import InvalidAnswers, InvalidProtocol
from regulation.models import Orientation, Priority
from regulation.service.engine import evaluate
from regulation.service.protocol import ProtocolDocument, default_protocol_text, parse_protocol

DEFAULT = parse_protocol(default_protocol_text())
AGES = {"newborn": 1, "infant": 12, "child": 96, "adult": 480, "elderly": 960}


def answers_for(
    document: ProtocolDocument, motif: str, band: str, **chosen: bool | str
) -> dict[str, bool | str]:
    """Every question of the band and motif answered: red flags and risk factors "no", motif
    "no"/first choice."""
    answers: dict[str, bool | str] = {f.id: False for f in document.red_flags_for(band)}
    answers |= {r.id: False for r in document.risk_factors_for(band)}
    found = document.motif(motif)
    assert found is not None
    for question in found.questions:
        answers[question.id] = question.choices[0].id if question.kind == "choice" else False
    answers.update(chosen)
    return answers


def test_the_default_protocol_is_labelled_and_covers_the_frequent_motifs() -> None:
    assert DEFAULT.notice == (
        "Protocole par défaut : à relire et valider par les médecins référents de la CPTS"
    )
    assert "médecins référents de la CPTS" in default_protocol_text()
    motifs = {m.id for m in DEFAULT.motifs}
    assert {
        "fever",
        "sore_throat",
        "ear_pain",
        "urinary_burning",
        "minor_wound",
        "sprain",
        "rash",
        "back_pain",
        "vomiting_diarrhoea",
        "prescription_renewal",
        "fall",
    } <= motifs
    flags = {f.id for f in DEFAULT.red_flags}
    assert {
        "chest_pain",
        "breathing_difficulty",
        "stroke_signs",
        "consciousness",
        "heavy_bleeding",
        "severe_trauma",
        "suicidal_thoughts",
        "severe_allergy",
        "infant_fever",
        "sepsis_signs",
        "testicular_pain",
        "urinary_retention",
        "severe_burn",
        "preeclampsia_postpartum",
        "limb_ischaemia",
        "hypoglycaemia",
        "asthma_not_responding",
        "eye_emergency",
    } <= flags
    assert {r.id for r in DEFAULT.risk_factors} >= {
        "anticoagulant",
        "immunocompromised",
        "pregnant",
    }
    assert [b.id for b in DEFAULT.age_bands] == ["newborn", "infant", "child", "adult", "elderly"]


@pytest.mark.parametrize("flag", [f.id for f in DEFAULT.red_flags])
@pytest.mark.parametrize("band", list(AGES))
def test_every_red_flag_ends_triage_with_the_15(flag: str, band: str) -> None:
    for motif in DEFAULT.motifs:
        decision = evaluate(DEFAULT, motif.id, {flag: True}, AGES[band])
        assert decision.call_15
        assert decision.red_flag is not None
        assert decision.red_flag.id == flag
        assert decision.priority in (Priority.P0, Priority.P1)
        assert decision.deadline_hours is None
        assert decision.orientation is None


def test_a_red_flag_wins_even_with_an_unknown_motif_or_unanswered_questions() -> None:
    decision = evaluate(DEFAULT, "no_such_motif", {"stroke_signs": True, "bogus": "x"}, 480)
    assert decision.call_15
    assert decision.rule == "red_flag:stroke_signs"


def test_the_first_red_flag_in_document_order_is_the_one_logged() -> None:
    decision = evaluate(DEFAULT, "fever", {"suicidal_thoughts": True, "chest_pain": True}, 480)
    assert decision.red_flag is not None
    assert decision.red_flag.id == "chest_pain"


def test_fever_in_an_infant_under_three_months_is_a_red_flag() -> None:
    answers = answers_for(DEFAULT, "fever", "newborn", fever_tolerated=True)
    decision = evaluate(DEFAULT, "fever", answers, AGES["newborn"])
    assert decision.call_15
    assert decision.red_flag is not None
    assert decision.red_flag.id == "fever_newborn"
    assert decision.age_band == "newborn"
    # The same answers for an adult: a P2 within 24 h at the practice.
    adult = evaluate(
        DEFAULT, "fever", answers_for(DEFAULT, "fever", "adult", fever_tolerated=True), 480
    )
    assert not adult.call_15
    assert (adult.priority, adult.deadline_hours, adult.orientation) == (
        Priority.P2,
        24,
        Orientation.AMB,
    )


def test_age_bands_change_the_answer() -> None:
    def decide(band: str) -> tuple[Priority, int | None]:
        answers = answers_for(DEFAULT, "fever", band, fever_tolerated=True)
        decision = evaluate(DEFAULT, "fever", answers, AGES[band])
        return decision.priority, decision.deadline_hours

    assert decide("infant") == (Priority.P2, 8)
    assert decide("child") == (Priority.P2, 24)
    assert decide("adult") == (Priority.P2, 24)
    assert decide("elderly") == (Priority.P2, 8)


@pytest.mark.parametrize(
    ("motif", "band", "chosen", "expected"),
    [
        ("urinary_burning", "adult", {}, (Priority.P3, 48, Orientation.PHARMACIST)),
        (
            "urinary_burning",
            "adult",
            {"fever_or_back_pain": True},
            (Priority.P2, 6, Orientation.AMB),
        ),
        ("sore_throat", "adult", {}, (Priority.P3, 48, Orientation.PHARMACIST)),
        ("sore_throat", "adult", {"high_fever": True}, (Priority.P2, 24, Orientation.AMB)),
        ("sprain", "adult", {"cannot_bear_weight": True}, (Priority.P2, 12, Orientation.AMB)),
        ("minor_wound", "child", {"bite": True}, (Priority.P2, 6, Orientation.AMB)),
        ("rash", "adult", {}, (Priority.P3, 48, Orientation.VR)),
        ("back_pain", "elderly", {"after_fall": True}, (Priority.P2, 12, Orientation.AMB)),
        ("vomiting_diarrhoea", "adult", {"cannot_drink": True}, (Priority.P2, 6, Orientation.AMB)),
        (
            "prescription_renewal",
            "adult",
            {"critical_treatment": True, "runs_out_48h": True},
            (Priority.P2, 24, Orientation.VR),
        ),
        ("other", "adult", {}, (Priority.P2, 24, Orientation.ADVICE)),
    ],
)
def test_motif_answers_set_priority_deadline_and_orientation(
    motif: str, band: str, chosen: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    decision = evaluate(DEFAULT, motif, answers_for(DEFAULT, motif, band, **chosen), AGES[band])
    assert not decision.call_15
    assert (decision.priority, decision.deadline_hours, decision.orientation) == expected


@pytest.mark.parametrize(
    ("motif", "band", "chosen", "flag"),
    [
        ("back_pain", "adult", {"leg_weakness_or_incontinence": True}, "back_neurological_deficit"),
        ("vomiting_diarrhoea", "elderly", {"cannot_drink": True}, "dehydration_fragile"),
        ("headache", "adult", {"sudden_worst": True}, "headache_thunderclap"),
        ("fever", "adult", {"fever_tolerated": False}, "fever_poorly_tolerated"),
    ],
)
def test_motif_rules_can_be_red_flags_too(
    motif: str, band: str, chosen: dict[str, Any], flag: str
) -> None:
    decision = evaluate(DEFAULT, motif, answers_for(DEFAULT, motif, band, **chosen), AGES[band])
    assert decision.call_15
    assert decision.red_flag is not None
    assert decision.red_flag.id == flag


def test_missing_unknown_and_mistyped_answers_are_named_in_french() -> None:
    answers = answers_for(DEFAULT, "fever", "adult")
    del answers["chest_pain"]
    answers["fever_duration"] = "forever"
    answers["fever_tolerated"] = "oui"
    answers["bogus"] = True
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(DEFAULT, "fever", answers, 480)
    errors = {tuple(e["loc"]): e["msg"] for e in caught.value.as_detail()}
    assert errors[("body", "answers", "chest_pain")].startswith("Réponse obligatoire : Douleur")
    assert errors[("body", "answers", "fever_duration")].startswith("Réponse non prévue")
    assert errors[("body", "answers", "fever_tolerated")] == "Répondez par oui ou non."
    assert errors[("body", "answers", "bogus")] == "Question inconnue pour ce motif."


def test_an_unknown_motif_is_refused() -> None:
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(DEFAULT, "headache_and_more", answers_for(DEFAULT, "other", "adult"), 480)
    assert caught.value.as_detail()[0]["loc"] == ["body", "motif"]


# -- property: no path through the protocol queues a red-flag request ------------------------


@st.composite
def any_answers(draw: st.DrawFn) -> tuple[str, dict[str, bool | str], int]:
    """A motif, an age, and any answers (valid or not) with at least one red flag "yes"."""
    motif = draw(st.sampled_from(DEFAULT.motifs))
    values: dict[str, bool | str] = {}
    for flag in DEFAULT.red_flags:
        if draw(st.booleans()):
            values[flag.id] = draw(st.booleans())
    for question in motif.questions:
        if draw(st.booleans()):
            if question.kind == "choice":
                values[question.id] = draw(st.sampled_from([c.id for c in question.choices]))
            else:
                values[question.id] = draw(st.booleans() | st.text(max_size=5))
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=8), st.booleans(), max_size=2))
    values.update(extra)
    flag = draw(st.sampled_from(DEFAULT.red_flags))
    values[flag.id] = True
    age = draw(st.integers(min_value=0, max_value=1300))
    return motif.id, values, age


@given(any_answers())
@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_any_red_flag_yes_always_calls_the_15(case: tuple[str, dict[str, bool | str], int]) -> None:
    motif, answers, age = case
    decision = evaluate(DEFAULT, motif, answers, age)
    assert decision.call_15
    assert decision.priority in (Priority.P0, Priority.P1)
    assert decision.deadline_hours is None


@st.composite
def valid_answers(draw: st.DrawFn) -> tuple[str, dict[str, bool | str], int]:
    """Complete, valid answers with every red flag "no"."""
    motif = draw(st.sampled_from(DEFAULT.motifs))
    age = draw(st.integers(min_value=0, max_value=1300))
    band = DEFAULT.band_for(age).id
    values: dict[str, bool | str] = {f.id: False for f in DEFAULT.red_flags_for(band)}
    values |= {r.id: draw(st.booleans()) for r in DEFAULT.risk_factors_for(band)}
    for question in motif.questions:
        if question.kind == "choice":
            values[question.id] = draw(st.sampled_from([c.id for c in question.choices]))
        else:
            values[question.id] = draw(st.booleans())
    return motif.id, values, age


@given(valid_answers())
@settings(max_examples=400, deadline=None, database=None)
def test_without_red_flags_a_decision_is_a_queueable_priority_or_a_rule_red_flag(
    case: tuple[str, dict[str, bool | str], int],
) -> None:
    motif, answers, age = case
    decision = evaluate(DEFAULT, motif, answers, age)
    if decision.call_15:
        assert decision.priority in (Priority.P0, Priority.P1)
        assert decision.orientation is None
    else:
        assert decision.priority in (Priority.P2, Priority.P3)
        assert decision.deadline_hours is not None
        assert 1 <= decision.deadline_hours <= (24 if decision.priority == Priority.P2 else 48)
        assert decision.orientation is not None


# -- the schema's checks ---------------------------------------------------------------------


def _document(**changes: Any) -> str:
    raw = yaml.safe_load(default_protocol_text())
    raw.update(changes)
    return yaml.safe_dump(raw, allow_unicode=True)


def _errors(text: str) -> list[dict[str, Any]]:
    with pytest.raises(InvalidProtocol) as caught:
        parse_protocol(text)
    return caught.value.as_detail()


def test_unreadable_yaml_gives_its_line() -> None:
    errors = _errors("title: x\nnotice: [unclosed\n")
    assert errors[0]["loc"] == ["body", "text"]
    assert errors[0]["msg"].startswith("Le document YAML est illisible à la ligne")


def test_schema_errors_are_located_and_in_french() -> None:
    raw = yaml.safe_load(default_protocol_text())
    raw["red_flags"][2]["priority"] = "P3"
    del raw["motifs"][1]["default"]
    raw["motifs"][0]["rules"][0]["surprise"] = 1
    errors = _errors(yaml.safe_dump(raw, allow_unicode=True))
    by_loc = {tuple(e["loc"]): e["msg"] for e in errors}
    assert by_loc[("body", "text", "red_flags", 2, "priority")].startswith("Valeur non autorisée")
    assert by_loc[("body", "text", "motifs", 1, "default")] == "Champ obligatoire."
    assert by_loc[("body", "text", "motifs", 0, "rules", 0, "surprise")] == "Champ inconnu."


def test_cross_references_are_checked() -> None:
    raw = yaml.safe_load(default_protocol_text())
    raw["motifs"][0]["rules"].append(
        {"when": {"answers": {"nope": True}}, "result": raw["motifs"][0]["default"]}
    )
    errors = _errors(yaml.safe_dump(raw, allow_unicode=True))
    assert errors[0]["loc"] == ["body", "text", "motifs", 0]
    assert "question « nope » inconnue" in errors[0]["msg"]

    raw = yaml.safe_load(default_protocol_text())
    raw["age_bands"][1]["min_months"] = 4
    errors = _errors(yaml.safe_dump(raw, allow_unicode=True))
    assert "sans trou ni chevauchement" in errors[0]["msg"]

    raw = yaml.safe_load(default_protocol_text())
    raw["red_flags"].append(dict(raw["red_flags"][0]))
    errors = _errors(yaml.safe_dump(raw, allow_unicode=True))
    assert "en double : chest_pain" in errors[0]["msg"]


def test_a_p2_deadline_beyond_24_hours_is_refused() -> None:
    raw = yaml.safe_load(default_protocol_text())
    raw["motifs"][0]["default"]["deadline_hours"] = 36
    errors = _errors(yaml.safe_dump(raw, allow_unicode=True))
    assert errors[0]["msg"] == "Une priorité P2 se traite dans les 24 heures au plus."
    assert errors[0]["loc"][:4] == ["body", "text", "motifs", 0]


def test_a_document_round_trips_through_its_json_shape() -> None:
    again = ProtocolDocument.model_validate(DEFAULT.model_dump(mode="json"))
    assert again == DEFAULT
    assert _document() != ""  # the YAML dump of the default parses back
    assert parse_protocol(_document()).motifs == DEFAULT.motifs

"""Templates are files the coordinator adapts; every one is checked for length when loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from composition.app import create_app
from notifications.service import templates
from notifications.service.sms_length import measure
from notifications.service.templates import MAX_SEGMENTS, TEMPLATES, VARIABLES, TemplateError
from snp.settings import Settings


def test_the_shipped_templates_load_and_fit_in_two_sms_at_worst() -> None:
    loaded = templates.load()
    assert set(loaded.templates) == set(TEMPLATES)
    for template in loaded.templates.values():
        assert template.worst_case.segments <= MAX_SEGMENTS, template.id
        assert template.worst_case.encoding == "GSM-7", template.id  # no ê/ç/ô in our texts
        assert "#" not in template.text


def test_rendering_folds_values_to_gsm7_and_cuts_them_to_their_maximum() -> None:
    loaded = templates.load()
    text = loaded.render(
        "patient_rdv_cabinet",
        {
            "date": "mar. 24/11",
            "heure": "14h30",
            "praticien": "Dr François Lefèvre",
            "adresse": "Maison de santé pluriprofessionnelle du Pays de Redon, " * 3,
        },
    )
    assert "Dr Francois Lefèvre" in text
    assert "..." in text
    assert measure(text).encoding == "GSM-7"
    assert measure(text).segments <= 2


def test_any_value_of_any_length_still_fits() -> None:
    loaded = templates.load()
    huge = "ç" * 500
    for template_id, allowed in TEMPLATES.items():
        text = loaded.render(template_id, dict.fromkeys(allowed, huge))
        assert measure(text).segments <= MAX_SEGMENTS, template_id


def _write(directory: Path, template_id: str, text: str) -> None:
    (directory / f"{template_id}.txt").write_text(text, encoding="utf-8")


def test_a_coordinator_override_replaces_the_shipped_text(tmp_path: Path) -> None:
    _write(tmp_path, "reponse_start", "# mon texte\nC'est reparti pour les rappels !\n")
    loaded = templates.load(tmp_path)
    assert loaded["reponse_start"].text == "C'est reparti pour les rappels !"
    assert loaded["reponse_start"].source == tmp_path / "reponse_start.txt"
    assert loaded["reponse_stop"].source.parent == templates.PACKAGE_DIR


def test_an_unknown_variable_or_a_stray_brace_is_refused_in_french(tmp_path: Path) -> None:
    _write(tmp_path, "effecteur_rdv", "RDV {date} à {heure} avec {praticien}.")
    _write(tmp_path, "reponse_start", "Rappels {réactivés.")
    with pytest.raises(TemplateError) as caught:
        templates.load(tmp_path)
    assert caught.value.problems == [
        "effecteur_rdv.txt : variable inconnue {praticien} (possibles : {date}, {heure}, "
        "{patient}, {telephone_patient}, {type}).",
        "reponse_start.txt : accolade isolée (les variables s'écrivent {nom}).",
    ]


def test_a_misspelt_file_and_an_empty_template_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "patient_rapel", "Rappel !")
    _write(tmp_path, "reponse_stop", "# rien\n")
    with pytest.raises(TemplateError) as caught:
        templates.load(tmp_path)
    assert caught.value.problems == [
        "patient_rapel.txt : modèle inconnu (nom mal orthographié ?).",
        "reponse_stop.txt : le modèle est vide.",
    ]


def test_length_is_checked_with_the_encoding_the_text_needs(tmp_path: Path) -> None:
    # 2 x 153 = 306 septets in GSM-7; the longest values take 12 + 5 + 45 = 62 of them.
    longest = VARIABLES["date"] + VARIABLES["heure"] + VARIABLES["praticien"]
    text = "{date}{heure}{praticien}" + "a" * (306 - longest)
    _write(tmp_path, "patient_annulation", text)
    assert templates.load(tmp_path)["patient_annulation"].worst_case.units == 306  # fits
    _write(tmp_path, "patient_annulation", text + "a")
    with pytest.raises(TemplateError, match="307 caractères GSM-7 au pire, 3 SMS"):
        templates.load(tmp_path)
    # The same length with one "ê" is UCS-2, where two SMS hold only 2 x 67 = 134 units.
    _write(tmp_path, "patient_annulation", text[:-1] + "ê")
    with pytest.raises(TemplateError) as caught:
        templates.load(tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith("patient_annulation.txt : trop long (306 caractères UCS-2 au pire")
    assert "UCS-2, deux fois plus court" in problem


def test_a_missing_override_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="dossier des modèles introuvable"):
        templates.load(tmp_path / "nope")


def test_the_app_does_not_start_with_a_broken_template(tmp_path: Path) -> None:
    _write(tmp_path, "patient_rappel", "Rappel {truc} et encore {truc}.")
    with pytest.raises(TemplateError) as caught:
        create_app(Settings(sms_templates_dir=tmp_path), start_scheduler=False)
    assert caught.value.problems == [
        "patient_rappel.txt : variable inconnue {truc} "
        "(possibles : {adresse}, {date}, {heure}, {praticien}).",
    ]


def test_the_app_does_not_start_with_an_incomplete_twilio_configuration() -> None:
    with pytest.raises(ValueError, match="SNP_TWILIO_FROM_NUMBER or SNP_TWILIO_MESSAGING"):
        create_app(
            Settings(sms_backend="twilio", twilio_account_sid="AC1", twilio_auth_token="token"),
            start_scheduler=False,
        )

"""SMS length: GSM 03.38 septets (extension characters count double) versus UCS-2."""

from __future__ import annotations

import pytest

from notifications.service.sms_length import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    is_gsm7,
    measure,
    to_gsm7,
)


def test_the_default_alphabet_has_its_128_characters_minus_the_escape() -> None:
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENSION) == 10


@pytest.mark.parametrize("char", list("éèùìòàÉÇÄÖÑÜäöñüÅåØøÆæß£¥§¿¡"))
def test_french_accents_of_the_default_alphabet_stay_gsm7(char: str) -> None:
    assert is_gsm7(f"RDV {char}")
    assert measure("x" * 159 + char).segments == 1


@pytest.mark.parametrize("char", [*"êâôîûëïçœÈÀÊÔÎÛŒ’…«»", "🙂"])
def test_other_french_letters_and_signs_force_ucs2(char: str) -> None:
    assert not is_gsm7(f"RDV {char}")
    assert measure(f"RDV {char}").encoding == "UCS-2"


def test_gsm7_segments_are_160_then_153() -> None:
    assert measure("a" * 160).segments == 1
    assert measure("a" * 161).segments == 2
    assert measure("a" * 306).segments == 2
    assert measure("a" * 307).segments == 3
    assert measure("").segments == 1


def test_extension_characters_cost_two_septets_and_never_straddle_segments() -> None:
    assert measure("€" * 80).units == 160
    assert measure("€" * 80).segments == 1
    assert measure("a" * 159 + "€").segments == 2  # 161 septets
    # 152 septets then an escape pair: the pair does not fit in the first 153.
    length = measure("a" * 152 + "[" + "a" * 152)
    assert length.units == 306
    assert length.segments == 3  # the pair moves whole into segment 2, pushing one septet on


def test_ucs2_segments_are_70_then_67() -> None:
    assert measure("ê" * 70).segments == 1
    assert measure("ê" * 71).segments == 2
    assert measure("ê" * 134).segments == 2
    assert measure("ê" * 135).segments == 3
    # An emoji is a surrogate pair (2 units), kept whole.
    assert measure("🙂" * 35).units == 70
    assert measure("ê" * 69 + "🙂").segments == 2
    length = measure("ê" * 66 + "🙂" + "ê" * 66)
    assert length.units == 134
    assert length.segments == 3  # the pair does not fit after 66 units: it opens segment 2


def test_one_non_gsm_letter_halves_the_room_of_a_message() -> None:
    text = "Votre RDV est confirmé avec Dr Martin au 3 rue du Port, 35600 Redon. " * 2
    assert measure(text).encoding == "GSM-7"
    assert measure(text).segments == 1
    assert measure(text + "François").segments == 3  # UCS-2: 148 units


def test_folding_keeps_default_alphabet_accents_and_replaces_the_others() -> None:
    assert to_gsm7("François Lefèvre, Hôpital Saint-Étienne") == (
        "Francois Lefèvre, Hopital Saint-Étienne"  # É is in the default alphabet
    )
    assert to_gsm7("Œuvre cœur — « citée » l’été… 5 €") == (
        'OEuvre coeur - " citée " l\'été... 5 EUR'
    )
    assert to_gsm7("Ça à Ève") == "Ça à Eve"
    assert is_gsm7(to_gsm7("漢字 🙂 êtes-vous là ?"))

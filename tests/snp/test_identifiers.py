import pytest

from snp.identifiers import (
    display_phone,
    finess_with_check_digit,
    parse_finess,
    parse_mobile_phone,
    parse_phone,
    parse_rpps,
    rpps_with_check_digit,
)


def test_rpps_check_digit_is_luhn_and_fhir_prefix_is_accepted() -> None:
    rpps = rpps_with_check_digit("1000291234")
    assert parse_rpps(rpps) == rpps
    assert parse_rpps("8" + rpps) == rpps
    wrong = rpps[:-1] + str((int(rpps[-1]) + 1) % 10)
    with pytest.raises(ValueError, match="clé de contrôle"):
        parse_rpps(wrong)
    with pytest.raises(ValueError, match="11 chiffres"):
        parse_rpps("12345")


def test_finess_check_digit_including_corsica() -> None:
    finess = finess_with_check_digit("35000917")
    assert parse_finess(finess) == finess
    assert parse_finess("1" + finess) == finess
    corsica = finess_with_check_digit("2A000123")
    assert parse_finess(corsica.lower()) == corsica
    with pytest.raises(ValueError, match="clé de contrôle"):
        parse_finess(finess[:-1] + str((int(finess[-1]) + 1) % 10))
    with pytest.raises(ValueError, match="9 caractères"):
        parse_finess("12AB")


def test_phones_are_stored_e164_and_shown_the_french_way() -> None:
    assert parse_phone("02 99 71 00 00") == "+33299710000"
    assert parse_mobile_phone("06.12.34.56.78") == "+33612345678"
    assert parse_mobile_phone("+33 6 12 34 56 78") == "+33612345678"
    assert display_phone("+33612345678") == "06 12 34 56 78"
    with pytest.raises(ValueError, match="portable"):
        parse_mobile_phone("02 99 71 00 00")
    with pytest.raises(ValueError, match=r"invalide|illisible"):
        parse_phone("0612")

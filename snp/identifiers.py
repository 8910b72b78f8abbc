"""National identifiers and phone numbers, validated with libraries (stdnum's Luhn, phonenumbers).

Each `parse_*` returns the canonical form or raises `ValueError` with a French message, so the
same function serves pydantic validators, CSV imports and the FHIR adapter.
"""

from __future__ import annotations

import phonenumbers
from stdnum import luhn
from stdnum.exceptions import ValidationError


def parse_rpps(value: str) -> str:
    """RPPS: 11 digits, the last a Luhn check digit. A FHIR `8` prefix is accepted and removed."""
    digits = value.strip().replace(" ", "")
    if len(digits) == 12 and digits.startswith("8"):
        digits = digits[1:]
    if len(digits) != 11 or not digits.isdigit():
        raise ValueError("Le numéro RPPS doit comporter 11 chiffres.")
    try:
        luhn.validate(digits)
    except ValidationError:
        raise ValueError("Le numéro RPPS est invalide (clé de contrôle incorrecte).") from None
    return digits


def parse_adeli(value: str) -> str:
    """ADELI: 9 digits (department, profession, order number, check digit)."""
    digits = value.strip().replace(" ", "")
    if len(digits) == 10 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) != 9 or not digits.isdigit():
        raise ValueError("Le numéro ADELI doit comporter 9 chiffres.")
    return digits


def _finess_digits(value: str) -> str:
    # Corsica's 2A/2B department codes count as 2 then 0 for the check digit computation.
    return value[:1] + "0" + value[2:] if value[1:2] in ("A", "B") else value


def parse_finess(value: str) -> str:
    """FINESS: 9 characters (department first, 2A/2B for Corsica), the last a Luhn check digit."""
    text = value.strip().upper().replace(" ", "")
    if len(text) == 10 and text.startswith("1"):
        text = text[1:]
    body = _finess_digits(text)
    if len(text) != 9 or not body.isdigit():
        raise ValueError("Le numéro FINESS doit comporter 9 caractères (chiffres, ou 2A/2B).")
    try:
        luhn.validate(body)
    except ValidationError:
        raise ValueError("Le numéro FINESS est invalide (clé de contrôle incorrecte).") from None
    return text


def finess_with_check_digit(first_eight: str) -> str:
    return first_eight + luhn.calc_check_digit(_finess_digits(first_eight + "0")[:8])


def rpps_with_check_digit(first_ten: str) -> str:
    return first_ten + luhn.calc_check_digit(first_ten)


def parse_phone(value: str, region: str = "FR") -> str:
    """Any French or international notation -> E.164 (`+33612345678`)."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError("Numéro de téléphone illisible.") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("Numéro de téléphone invalide.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_mobile_phone(value: str, region: str = "FR") -> str:
    e164 = parse_phone(value, region)
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValueError("Un numéro de portable est attendu (pour les SMS).")
    return e164


def display_phone(e164: str) -> str:
    """French numbers the French way (`06 12 34 56 78`), others in international notation;
    nothing for no number (a directory entry imported without one)."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164)
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

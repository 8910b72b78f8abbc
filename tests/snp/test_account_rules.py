"""The account rules every caller shares (API, CLI, demo, SAS adapter), each naming its field."""

from __future__ import annotations

import pytest

from snp.auth.errors import PasswordTooShort
from snp.auth.rules import check_email, check_full_name, check_password, check_role
from snp.errors import BusinessRuleError


@pytest.mark.parametrize("value", ["notanemail", "a@b", "a@localhost", "@example.fr", "x@y@z.fr"])
def test_an_address_that_cannot_receive_mail_is_refused_on_email(value: str) -> None:
    with pytest.raises(BusinessRuleError) as refused:
        check_email(value)
    assert refused.value.loc == ["body", "email"]
    assert refused.value.msg.startswith("Adresse e-mail invalide")


def test_an_address_is_trimmed_and_lower_cased() -> None:
    assert check_email("  Anne.Martin@Example.FR ") == "anne.martin@example.fr"


def test_made_up_invalid_addresses_only_when_the_system_says_it_made_one() -> None:
    made_up = "sas-0123456789abcdef@compte-sas.invalid"
    assert check_email(made_up, placeholder=True) == made_up
    with pytest.raises(BusinessRuleError):
        check_email(made_up)


def test_password_name_and_role_rules() -> None:
    with pytest.raises(PasswordTooShort) as short:
        check_password("court")
    assert short.value.loc == ["body", "password"]
    assert check_password("dix lettres") == "dix lettres"
    assert check_full_name("  Dr   Anne  Martin ") == "Dr Anne Martin"
    with pytest.raises(BusinessRuleError) as blank:
        check_full_name("   ")
    assert blank.value.loc == ["body", "full_name"]
    with pytest.raises(BusinessRuleError) as unknown:
        check_role("admin")
    assert "Rôle inconnu" in unknown.value.msg

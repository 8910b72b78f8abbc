"""The rules every new or changed account obeys, whoever creates it (API, CLI, demo, SAS).

Each `check_*` returns the canonical value or raises a 422 naming the field, in French.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from snp.auth.errors import PasswordTooShort
from snp.auth.roles import Role
from snp.errors import BusinessRuleError

# Addresses the system makes up for accounts without one (RFC 2606 `.invalid`: never
# deliverable); accepted only when the caller says it made one (`placeholder=True`).
PLACEHOLDER_TLD = ".invalid"
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200


def check_email(value: str, *, placeholder: bool = False) -> str:
    text = value.strip()
    if placeholder and text.lower().endswith(PLACEHOLDER_TLD) and text.count("@") == 1:
        return text.lower()
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise BusinessRuleError(
            f"Adresse e-mail invalide : « {text} » (attendu : nom@domaine.fr).", ("body", "email")
        ) from None
    return checked.normalized.lower()


def check_password(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(
            f"Mot de passe trop court (au moins {MIN_PASSWORD_LENGTH} caractères).",
            ("body", "password"),
        )
    if len(value) > MAX_PASSWORD_LENGTH:
        raise BusinessRuleError(
            f"Mot de passe trop long (au plus {MAX_PASSWORD_LENGTH} caractères).",
            ("body", "password"),
        )
    return value


def check_full_name(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise BusinessRuleError("Le nom affiché est obligatoire.", ("body", "full_name"))
    if len(text) > 200:
        raise BusinessRuleError(
            "Le nom affiché est trop long (au plus 200 caractères).", ("body", "full_name")
        )
    return text


def check_role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise BusinessRuleError(
            f"Rôle inconnu : « {value} » (possibles : {choices}).", ("body", "role")
        ) from None


# The roles that read patient data: they log in with a second factor (TOTP or Pro Santé
# Connect) unless `SNP_MFA_REQUIRED=false`. The funder sees aggregates only: optional.
PATIENT_DATA_ROLES: frozenset[Role] = frozenset(
    {
        Role.OPERATOR,
        Role.REGULATOR,
        Role.EFFECTOR,
        Role.REFERRER,
        Role.SAS_REGULATOR,
        Role.COORDINATOR,
    }
)


def second_factor_required(role: Role | str, *, mfa_required: bool) -> bool:
    """Whether an account of `role` must enrol and give a second factor to log in."""
    return mfa_required and Role(role) in PATIENT_DATA_ROLES


def check_rpps(value: str) -> str:
    """An RPPS number: 11 digits (spaces ignored)."""
    text = "".join(value.split())
    if len(text) != 11 or not text.isdigit():
        raise BusinessRuleError(
            f"Numéro RPPS invalide : « {value} » (attendu : 11 chiffres).", ("body", "rpps")
        )
    return text

"""INT_R02: the regulator accounts the SAS platform creates and maintains.

`POST /fhir/Practitioner` creates an account (role `sas_regulator`, no e-mail verification, a
random password its owner replaces through a reset link); `PUT /fhir/Practitioner?identifier=
system|value` updates the account having that identifier, or creates it when unknown. An
account is known by its national id (IDNPS: `8`+RPPS or `0`+ADELI, stored prefixed) and/or its
SAS technical id (INTRN, a UUID); an update may attach the national id to an account created
with a technical id. `active: false` withdraws access (closes the open sessions); there is no
DELETE. Bodies are parsed with the `fhir.resources` R4B models: 400 when malformed, 422 when a
business rule refuses them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from fhir.resources.R4B.practitioner import Practitioner
from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum import luhn

from sas.fhir import (
    IDNPS_SYSTEM,
    PRACTITIONER_PROFILE,
    SAS_SYSTEM,
    BusinessRule,
    Malformed,
    id_type,
)
from sas.models import SasPractitionerAccount
from snp import audit
from snp.actor import Actor
from snp.auth import Account, Role, create_account, update_account_by_id
from snp.errors import Conflict, french_message

ENTITY = "sas_practitioner"


@dataclass(frozen=True, slots=True)
class PractitionerData:
    national_id: str | None  # prefixed
    technical_id: str | None
    family_name: str
    given_name: str
    email: str
    active: bool


@dataclass(frozen=True, slots=True)
class Saved:
    resource: dict[str, Any]
    account_id: int
    created: bool


def _national(value: str, loc: tuple[str | int, ...]) -> str:
    """A national id as the platform may send it -> prefixed (`8`+RPPS, `0`+ADELI)."""
    value = value.strip()
    if value.isdigit():
        if len(value) == 12 and value[0] == "8":
            value = value[1:]
        elif len(value) == 10 and value[0] == "0":
            return value
        if len(value) == 11:
            if not luhn.is_valid(value):
                raise BusinessRule("Numéro RPPS invalide (clé de contrôle).", loc)
            return "8" + value
        if len(value) == 9:
            return "0" + value
    raise BusinessRule("Identifiant national invalide (RPPS ou ADELI attendu).", loc)


def parse_body(raw: bytes) -> PractitionerData:
    """The account data of an INT_R02 Practitioner (400 malformed, 422 refused)."""
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("Le corps de la requête n'est pas un JSON valide.") from None
    if not isinstance(document, dict) or document.get("resourceType") != "Practitioner":
        raise Malformed("Ressource Practitioner attendue.", ("resourceType",))
    try:
        resource = Practitioner.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = [str(p) for p in first.get("loc", ())]
        raise Malformed(f"Practitioner invalide : {french_message(dict(first))}", where) from None
    source = resource.meta.source if resource.meta is not None else None
    if source is not None and source != SAS_SYSTEM:
        raise BusinessRule(f"meta.source inattendu (attendu {SAS_SYSTEM}).", ("meta", "source"))
    national: str | None = None
    technical: str | None = None
    for index, identifier in enumerate(resource.identifier or []):
        loc = ("identifier", index, "value")
        if not identifier.value:
            raise BusinessRule("Identifiant sans valeur.", loc)
        if identifier.system == IDNPS_SYSTEM:
            national = _national(identifier.value, loc)
        elif identifier.system == SAS_SYSTEM:
            technical = identifier.value.strip()
            if not 1 <= len(technical) <= 64:
                raise BusinessRule("Identifiant technique SAS invalide.", loc)
    if national is None and technical is None:
        raise BusinessRule(
            f"Un identifiant national ({IDNPS_SYSTEM}) ou technique SAS ({SAS_SYSTEM}) est "
            "obligatoire.",
            ("identifier",),
        )
    name = resource.name[0] if resource.name else None
    family = (name.family or "").strip() if name is not None else ""
    given = " ".join(g.strip() for g in (name.given or []) if g and g.strip()) if name else ""
    if not family:
        raise BusinessRule("Nom de famille obligatoire.", ("name", 0, "family"))
    if not given:
        raise BusinessRule("Prénom obligatoire.", ("name", 0, "given"))
    emails = [t.value for t in resource.telecom or [] if t.system == "email" and t.value]
    if not emails:
        raise BusinessRule("Adresse e-mail obligatoire (telecom email).", ("telecom",))
    try:
        email = validate_email(emails[0], check_deliverability=False).normalized
    except EmailNotValidError:
        raise BusinessRule("Adresse e-mail invalide.", ("telecom",)) from None
    active = True if resource.active is None else bool(resource.active)
    return PractitionerData(national, technical, family[:120], given[:120], email, active)


def parse_identifier_param(value: str | None) -> tuple[str, str]:
    """`system|value` of the conditional PUT -> ("national" | "technical", stored value)."""
    if not value:
        raise Malformed("Paramètre identifier obligatoire (system|value).", ("query", "identifier"))
    system, sep, ident = value.partition("|")
    if not sep or not ident.strip():
        raise Malformed("identifier doit s'écrire system|value.", ("query", "identifier"))
    if system == IDNPS_SYSTEM:
        return "national", _national(ident, ("query", "identifier"))
    if system == SAS_SYSTEM:
        return "technical", ident.strip()
    raise Malformed(f"Système d'identifiant non pris en charge : « {system} ».", ("identifier",))


def as_resource(
    account: SasPractitionerAccount, user: Account, data: PractitionerData
) -> dict[str, Any]:
    identifiers: list[dict[str, Any]] = []
    if account.national_id:
        identifiers.append(
            {"type": id_type("IDNPS"), "system": IDNPS_SYSTEM, "value": account.national_id}
        )
    if account.technical_id:
        identifiers.append(
            {"type": id_type("INTRN"), "system": SAS_SYSTEM, "value": account.technical_id}
        )
    name: dict[str, Any] = {"family": data.family_name, "given": [data.given_name]}
    return {
        "resourceType": "Practitioner",
        "id": str(account.id),
        "meta": {"profile": [PRACTITIONER_PROFILE], "source": SAS_SYSTEM},
        "identifier": identifiers,
        "active": account.active,
        "name": [name],
        "telecom": [{"system": "email", "value": user.email}],
    }


def _full_name(data: PractitionerData) -> str:
    return f"{data.given_name} {data.family_name}"[:200]


async def _find(
    session: AsyncSession, national: str | None, technical: str | None
) -> list[SasPractitionerAccount]:
    conditions = []
    if national:
        conditions.append(SasPractitionerAccount.national_id == national)
    if technical:
        conditions.append(SasPractitionerAccount.technical_id == technical)
    if not conditions:
        return []
    return list(await session.scalars(select(SasPractitionerAccount).where(or_(*conditions))))


async def _create(session: AsyncSession, actor: Actor, data: PractitionerData) -> Saved:
    if await _find(session, data.national_id, data.technical_id):
        raise BusinessRule("Un compte existe déjà pour cet identifiant.", ("identifier",))
    try:
        user = await create_account(
            session,
            actor,
            email=data.email,
            full_name=_full_name(data),
            role=Role.SAS_REGULATOR,
            active=data.active,
        )
    except Conflict as exc:
        raise BusinessRule(exc.msg, ("telecom",)) from None
    account = SasPractitionerAccount(
        user_id=user.id,
        national_id=data.national_id,
        technical_id=data.technical_id,
        active=data.active,
    )
    session.add(account)
    await session.flush()
    await audit.created(session, actor, ENTITY, account.id)
    return Saved(as_resource(account, user, data), account.id, True)


async def create_practitioner(session: AsyncSession, actor: Actor, raw: bytes) -> Saved:
    return await _create(session, actor, parse_body(raw))


async def upsert_practitioner(
    session: AsyncSession, actor: Actor, identifier: str | None, raw: bytes
) -> Saved:
    """The conditional PUT: update the account having `identifier`, or create it."""
    kind, value = parse_identifier_param(identifier)
    data = parse_body(raw)
    found = await _find(
        session, value if kind == "national" else None, value if kind == "technical" else None
    )
    if not found:
        carried = data.national_id if kind == "national" else data.technical_id
        if carried is not None and carried != value:
            raise BusinessRule(
                "L'identifiant de l'URL ne figure pas dans la ressource.", ("identifier",)
            )
        return await _create(session, actor, data)
    account = found[0]
    others = [
        a for a in await _find(session, data.national_id, data.technical_id) if a.id != account.id
    ]
    if others:
        raise BusinessRule(
            "Cet identifiant appartient déjà à un autre compte régulateur.", ("identifier",)
        )
    changed: list[str] = []
    if data.national_id and data.national_id != account.national_id:
        if account.national_id is not None:
            raise BusinessRule(
                "L'identifiant national d'un compte ne peut pas changer.", ("identifier",)
            )
        account.national_id = data.national_id
        changed.append("national_id")
    if data.technical_id and data.technical_id != account.technical_id:
        account.technical_id = data.technical_id
        changed.append("technical_id")
    if data.active != account.active:
        account.active = data.active
        changed.append("active")
    try:
        user, account_changes = await update_account_by_id(
            session,
            actor,
            account.user_id,
            email=data.email,
            full_name=_full_name(data),
            active=data.active,
        )
    except Conflict as exc:
        raise BusinessRule(exc.msg, ("telecom",)) from None
    changed += account_changes
    await session.flush()
    if changed:
        await audit.changed(session, actor, ENTITY, account.id, changed)
    return Saved(as_resource(account, user, data), account.id, False)


async def operator_of_user(session: AsyncSession, user_id: int | None) -> tuple[str, str] | None:
    """(IDNPS|INTRN, value) identifying a regulator to the platform, as received in INT_R02."""
    if user_id is None:
        return None
    account = await session.scalar(
        select(SasPractitionerAccount).where(SasPractitionerAccount.user_id == user_id)
    )
    if account is None:
        return None
    if account.national_id:
        return "IDNPS", account.national_id
    if account.technical_id:
        return "INTRN", account.technical_id
    return None

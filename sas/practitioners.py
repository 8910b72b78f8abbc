"""INT_R02: the regulator accounts the SAS platform creates and maintains.

`POST /fhir/Practitioner` creates an account (role `sas_regulator`, no e-mail verification, a
random password its owner replaces through « mot de passe oublié »); a POST of an account that
already exists updates it (idempotent). `PUT /fhir/Practitioner?identifier=system|value`
updates the account having that identifier, or creates it when unknown. An account is known by
its national id (IDNPS) and/or its SAS technical id (INTRN, a UUID), both stored exactly as
received — the platform is the authority on its regulators' ids (`810002673899` fails the RPPS
key, `3456780581/11242343` is longer than an RPPS: both are the guide's own examples). An update
may attach the national id to an account created with a technical id. `active: false` withdraws
access (closes the open sessions); there is no DELETE. The e-mail may be absent (the local
account then gets a placeholder address nobody can log in with until an update brings one).
Bodies are parsed with the `fhir.resources` R4B models: 400 when malformed, 422 when a business
rule refuses them. Accounts are read back as `FrPractitionerRegul`, with id `regul-<n>` (the
`Practitioner/<n>` ids are the effectors of the slot search).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from fhir.resources.R4B.practitioner import Practitioner
from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from sas.fhir import (
    IDNPS_SYSTEM,
    REGULATOR_PROFILE,
    SAS_SYSTEM,
    BusinessRule,
    Malformed,
    id_type,
)
from sas.models import SasPractitionerAccount
from snp import audit
from snp.actor import Actor
from snp.auth import Account, Role, create_account, get_account, update_account_by_id
from snp.errors import BusinessRuleError, Conflict, french_message

ENTITY = "sas_practitioner"
ID_PREFIX = "regul-"
MAX_ID_LENGTH = 64
PLACEHOLDER_DOMAIN = "compte-sas.invalid"  # RFC 2606: never deliverable, never a real login


@dataclass(frozen=True, slots=True)
class PractitionerData:
    national_id: str | None  # prefixed
    technical_id: str | None
    family_name: str
    given_name: str
    email: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class Saved:
    resource: dict[str, Any]
    account_id: int
    created: bool


def _received_id(value: str, loc: tuple[str | int, ...], label: str) -> str:
    """An identifier as the platform sent it (trimmed); only emptiness and length refused."""
    value = value.strip()
    if not value:
        raise BusinessRule(f"{label} sans valeur.", loc)
    if len(value) > MAX_ID_LENGTH:
        raise BusinessRule(f"{label} trop long (au plus {MAX_ID_LENGTH} caractères).", loc)
    return value


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
        if identifier.system == IDNPS_SYSTEM:
            national = _received_id(identifier.value or "", loc, "Identifiant national")
        elif identifier.system == SAS_SYSTEM:
            technical = _received_id(identifier.value or "", loc, "Identifiant technique SAS")
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
    # FrPractitionerRegul fixes telecom.system to email: a telecom without system is one.
    emails = [t.value for t in resource.telecom or [] if t.system in (None, "email") and t.value]
    email: str | None = None
    if emails:
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
        return "national", _received_id(ident, ("query", "identifier"), "Identifiant national")
    if system == SAS_SYSTEM:
        return "technical", _received_id(ident, ("query", "identifier"), "Identifiant technique")
    raise Malformed(f"Système d'identifiant non pris en charge : « {system} ».", ("identifier",))


def resource_id(account_id: int) -> str:
    return f"{ID_PREFIX}{account_id}"


def as_resource(account: SasPractitionerAccount, user: Account) -> dict[str, Any]:
    """The account as `FrPractitionerRegul` (identifiers as received; e-mail when known)."""
    identifiers: list[dict[str, Any]] = []
    if account.national_id:
        identifiers.append(
            {"type": id_type("IDNPS"), "system": IDNPS_SYSTEM, "value": account.national_id}
        )
    if account.technical_id:
        identifiers.append(
            {"type": id_type("INTRN"), "system": SAS_SYSTEM, "value": account.technical_id}
        )
    name: dict[str, Any] = {"family": account.family_name, "given": [account.given_name]}
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": resource_id(account.id),
        "meta": {"profile": [REGULATOR_PROFILE], "source": SAS_SYSTEM},
        "identifier": identifiers,
        "active": account.active,
        "name": [name],
    }
    if account.has_email:
        resource["telecom"] = [{"system": "email", "value": user.email}]
    return resource


def _placeholder_email() -> str:
    return f"sas-{uuid.uuid4().hex[:16]}@{PLACEHOLDER_DOMAIN}"


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
    try:
        user = await create_account(
            session,
            actor,
            email=data.email or _placeholder_email(),
            full_name=_full_name(data),
            role=Role.SAS_REGULATOR,
            active=data.active,
            placeholder_email=data.email is None,
        )
    except (Conflict, BusinessRuleError) as exc:
        raise BusinessRule(exc.msg, ("telecom",)) from None
    account = SasPractitionerAccount(
        user_id=user.id,
        national_id=data.national_id,
        technical_id=data.technical_id,
        active=data.active,
        has_email=data.email is not None,
        family_name=data.family_name,
        given_name=data.given_name,
    )
    session.add(account)
    await session.flush()
    await audit.created(session, actor, ENTITY, account.id)
    return Saved(as_resource(account, user), account.id, True)


async def create_practitioner(session: AsyncSession, actor: Actor, raw: bytes) -> Saved:
    """POST: a new account, or the update of the account already having one of its ids."""
    data = parse_body(raw)
    found = await _find(session, data.national_id, data.technical_id)
    if len(found) > 1:
        raise BusinessRule(
            "Ces identifiants désignent deux comptes régulateurs différents.", ("identifier",)
        )
    if found:
        return await _update(session, actor, found[0], data)
    return await _create(session, actor, data)


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
        if await _find(session, data.national_id, data.technical_id):
            raise BusinessRule(
                "Cet identifiant appartient déjà à un autre compte régulateur.", ("identifier",)
            )
        return await _create(session, actor, data)
    return await _update(session, actor, found[0], data)


async def _update(
    session: AsyncSession, actor: Actor, account: SasPractitionerAccount, data: PractitionerData
) -> Saved:
    others = [
        a for a in await _find(session, data.national_id, data.technical_id) if a.id != account.id
    ]
    if others:
        raise BusinessRule(
            "Cet identifiant appartient déjà à un autre compte régulateur.", ("identifier",)
        )
    changed: list[str] = []
    # The platform is the authority: a new national id replaces the old one (the FAQ's
    # « changement d'identifiant »); the account stays the same.
    for field, new in (("national_id", data.national_id), ("technical_id", data.technical_id)):
        if new and new != getattr(account, field):
            setattr(account, field, new)
            changed.append(field)
    for field, new_value in (
        ("active", data.active),
        ("family_name", data.family_name),
        ("given_name", data.given_name),
        ("has_email", data.email is not None or account.has_email),
    ):
        if getattr(account, field) != new_value:
            setattr(account, field, new_value)
            changed.append(field)
    try:
        user, account_changes = await update_account_by_id(
            session,
            actor,
            account.user_id,
            email=data.email,  # None: the address we have is kept
            full_name=_full_name(data),
            active=data.active,
        )
    except (Conflict, BusinessRuleError) as exc:
        raise BusinessRule(exc.msg, ("telecom",)) from None
    changed += account_changes
    await session.flush()
    if changed:
        await audit.changed(session, actor, ENTITY, account.id, changed)
    return Saved(as_resource(account, user), account.id, False)


async def read_practitioner(
    session: AsyncSession, actor: Actor, resource_id_: str
) -> dict[str, Any] | None:
    """`GET /fhir/Practitioner/regul-<n>`: the account, or None when no such id."""
    if not resource_id_.startswith(ID_PREFIX) or not resource_id_[len(ID_PREFIX) :].isdigit():
        return None
    account = await session.get(SasPractitionerAccount, int(resource_id_[len(ID_PREFIX) :]))
    if account is None:
        return None
    user = await get_account(session, account.user_id)
    assert user is not None  # the foreign key cascades
    await audit.read(session, actor, ENTITY, account.id)
    return as_resource(account, user)


async def find_regulators(
    session: AsyncSession, actor: Actor, kind: str, value: str
) -> list[dict[str, Any]]:
    """The regulator accounts having that national or technical id (0 or 1)."""
    found = await _find(
        session, value if kind == "national" else None, value if kind == "technical" else None
    )
    out = []
    for account in found:
        user = await get_account(session, account.user_id)
        assert user is not None  # the foreign key cascades
        await audit.read(session, actor, ENTITY, account.id)
        out.append(as_resource(account, user))
    return out


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


async def link_regulator(
    session: AsyncSession,
    actor: Actor,
    user_id: int,
    *,
    technical_id: str,
    family_name: str,
    given_name: str,
) -> None:
    """Link an existing local SAS regulator to a platform technical id (the demo's regulator;
    real accounts come from the platform through INT_R02). Nothing when already linked."""
    if await session.scalar(
        select(SasPractitionerAccount.id).where(SasPractitionerAccount.user_id == user_id)
    ):
        return
    account = SasPractitionerAccount(
        user_id=user_id,
        technical_id=technical_id,
        active=True,
        has_email=True,
        family_name=family_name,
        given_name=given_name,
    )
    session.add(account)
    await session.flush()
    await audit.created(session, actor, ENTITY, account.id)

"""What notifications needs to know from the other packages, in one place.

- The effector of an appointment (name, mobile, sites) comes from `agenda`.
- The patient's contact (mobile, initials and age, SMS consent) belongs to `regulation`, which
  keeps patient identity. What notifications needs is one function of this shape:

      async def get_contact(session: AsyncSession, request_id: int) -> PatientContact | None

  (None when the request is unknown). By default it is regulation's lean `regulation.get_contact`
  (initials, age, mobile, consent; the read is traced in the audit trail as the system
  `notifications`); `regulation_contact`, built on the full `regulation.get_request`, is the
  fallback shape; `use_contact_source` replaces it (tests, adapters). With no contact, the
  patient's messages are skipped (never an error) and the effector's SMS says the phone number
  is on the platform.
- The referrer of a request (origin, callback mobile, outcome) comes from `regulation.get_request`
  (`referral_of`), read as the system `notifications` too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
import regulation
from agenda import EffectorOut
from snp.actor import Actor
from snp.errors import NotFound

log = logging.getLogger(__name__)


class PatientContact(Protocol):
    """The minimum notifications needs about a request's patient."""

    @property
    def phone(self) -> str | None: ...  # E.164 mobile; None: no SMS

    @property
    def initials(self) -> str: ...  # "M. D."

    @property
    def age_label(self) -> str: ...  # "54 ans", "8 mois"

    @property
    def sms_consent(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Contact:
    """A plain `PatientContact` (tests, adapters)."""

    phone: str | None
    initials: str
    age_label: str
    sms_consent: bool = True


ContactSource = Callable[[AsyncSession, int], Awaitable[PatientContact | None]]


READER = Actor.system("notifications")


def initials(given_name: str, family_name: str) -> str:
    """`Jeanne Dupont` -> `J. D.`"""
    return " ".join(
        f"{name.strip()[0].upper()}." for name in (given_name, family_name) if name.strip()
    )


async def regulation_contact(session: AsyncSession, request_id: int) -> PatientContact | None:
    """The patient of a regulation request, from `regulation.get_request`."""
    try:
        request = await regulation.get_request(session, READER, request_id)
    except NotFound:
        return None
    return Contact(
        phone=request.phone or None,
        initials=initials(request.given_name, request.family_name),
        age_label=request.age_label,
        sms_consent=request.sms_consent,
    )


async def lean_contact(session: AsyncSession, request_id: int) -> PatientContact | None:
    """The patient of a regulation request, from regulation's lean `get_contact`."""
    return await regulation.get_contact(session, request_id, reader=READER)


DEFAULT_SOURCE: ContactSource = lean_contact
_contact_source: list[ContactSource] = [DEFAULT_SOURCE]


def use_contact_source(source: ContactSource | None) -> None:
    """Replace the function giving a request's patient contact (None: back to regulation's)."""
    _contact_source[0] = source or DEFAULT_SOURCE


async def patient_contact(session: AsyncSession, request_id: int | None) -> PatientContact | None:
    if request_id is None:
        return None
    return await _contact_source[0](session, request_id)


def patient_label(contact: PatientContact | None) -> str:
    if contact is None:
        return "non renseigné"
    return f"{contact.initials}, {contact.age_label}" if contact.age_label else contact.initials


@dataclass(frozen=True, slots=True)
class EffectorContact:
    id: int
    name: str  # "Dr Anne Martin"
    phone: str
    addresses: dict[int, str] = field(default_factory=dict)  # site id -> one-line address

    def address(self, site_id: int | None) -> str:
        if site_id is not None and site_id in self.addresses:
            return self.addresses[site_id]
        return next(iter(self.addresses.values()), "adresse communiquée par la plateforme")


def effector_contact_of(effector: EffectorOut) -> EffectorContact:
    title = "Dr " if effector.specialty_code.upper().startswith("SM") else ""
    return EffectorContact(
        id=effector.id,
        name=f"{title}{effector.given_name} {effector.family_name}",
        phone=effector.phone,
        addresses={s.id: f"{s.address_line}, {s.postal_code} {s.city}" for s in effector.sites},
    )


async def effector_contact(session: AsyncSession, effector_id: int) -> EffectorContact | None:
    """The effector's name, mobile and site addresses (None if unknown)."""
    try:
        effector = await agenda.get_effector(session, effector_id)
    except NotFound:
        log.warning("SMS to effector %d skipped: unknown effector", effector_id)
        return None
    return effector_contact_of(effector)


@dataclass(frozen=True, slots=True)
class Referral:
    """What the referrer's outcome SMS needs (no clinical detail)."""

    request_id: int
    origin: str
    referrer_phone: str | None
    patient_initials: str
    status: str
    outcome: str | None
    orientation: str | None
    consultation_at: datetime | None


async def referral_of(session: AsyncSession, request_id: int) -> Referral | None:
    """The request as its referrer's outcome SMS needs it (None when unknown)."""
    try:
        request = await regulation.get_request(session, READER, request_id)
    except NotFound:
        return None
    return Referral(
        request_id=request.id,
        origin=str(request.origin),
        referrer_phone=request.referrer_phone,
        patient_initials=initials(request.given_name, request.family_name),
        status=str(request.status),
        outcome=str(request.outcome) if request.outcome is not None else None,
        orientation=str(request.orientation) if request.orientation is not None else None,
        consultation_at=request.consultation_at,
    )

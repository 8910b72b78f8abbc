"""What a request needs from a slot (kinds, place, age), shared by matching, escalation and the
booking journey. Pure helpers plus the one read of the territory's communes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import KindNotPossible, NotAConsultation, RequestNotTriaged, UnknownValue
from regulation.models import Mobility, Orientation, RegulationRequest
from regulation.service.records import age_label, age_months, today_paris
from snp import territory
from snp.kit import distance_km
from snp.territory import CommuneOut

ConsultationKind = Literal["AMB", "HH", "VR"]
CONSULTATION_KINDS: tuple[ConsultationKind, ...] = get_args(ConsultationKind)
KIND_LABELS: dict[str, str] = {
    "AMB": "consultation au cabinet",
    "HH": "visite à domicile",
    "VR": "téléconsultation",
}
ORIENTATION_LABELS: dict[str, str] = {
    Orientation.PHARMACIST: "pharmacien",
    Orientation.ADVICE: "avis du médecin régulateur",
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where the patient is: their address's coordinates, or their commune's centre."""

    latitude: float
    longitude: float
    source: Literal["address", "commune"]
    label: str  # commune name (never the address): used in SMS broadcasts

    @property
    def point(self) -> tuple[float, float]:
        return self.latitude, self.longitude


@dataclass(frozen=True, slots=True)
class Need:
    """What a slot must offer this request."""

    request_id: int
    kinds: tuple[ConsultationKind, ...]  # compatible consultation kinds, preferred first
    place: Place | None
    age_months: int
    gp_rpps: str | None

    @property
    def point(self) -> tuple[float, float] | None:
        return self.place.point if self.place is not None else None


def compatible_kinds(
    orientation: str | None, mobility: str, forced: str | None = None
) -> tuple[ConsultationKind, ...]:
    """Consultation kinds a request may be booked into, preferred first.

    The protocol's orientation decides (AMB: at the practice, HH: home visit, VR:
    teleconsultation, where an in-person consultation is also acceptable), the patient's
    mobility adapts it (a patient who cannot travel gets a home visit instead of the practice).
    `forced` is the operator's explicit choice (e.g. after a regulator's advice)."""
    home = mobility == Mobility.NEEDS_HOME_VISIT
    if forced is not None:
        if forced not in CONSULTATION_KINDS:
            raise UnknownValue("Type de consultation inconnu.", ("query", "kind"))
        if forced == "AMB" and home:
            raise KindNotPossible(
                "Le patient ne peut pas se déplacer : choisissez une visite à domicile ou une "
                "téléconsultation.",
                ("query", "kind"),
            )
        return (forced,)
    if orientation == Orientation.AMB:
        return ("HH",) if home else ("AMB",)
    if orientation == Orientation.HH:
        return ("HH",)
    if orientation == Orientation.VR:
        return ("VR", "HH") if home else ("VR", "AMB")
    if orientation is None:
        raise RequestNotTriaged(
            "Triez la demande avant de chercher un créneau.", ("path", "request_id")
        )
    label = ORIENTATION_LABELS.get(orientation, orientation)
    raise NotAConsultation(
        f"L'orientation recommandée ({label}) ne passe pas par un créneau : choisissez un type "
        "de consultation pour chercher quand même.",
        ("query", "kind"),
    )


def place_from(row: RegulationRequest, communes: Sequence[CommuneOut]) -> Place | None:
    """The address's coordinates when known, else the commune's centre; labelled with the
    commune (the nearest one of the territory when only coordinates were given)."""
    commune = next((c for c in communes if c.insee_code == row.commune_insee), None)
    if row.latitude is not None and row.longitude is not None:
        point = (row.latitude, row.longitude)
        if commune is None and communes:
            commune = min(communes, key=lambda c: distance_km(point, (c.latitude, c.longitude)))
        label = commune.name if commune is not None else "Adresse du patient"
        return Place(point[0], point[1], "address", label)
    if commune is not None:
        return Place(commune.latitude, commune.longitude, "commune", commune.name)
    return None


async def patient_place(
    session: AsyncSession, row: RegulationRequest, *, label: bool = True
) -> Place | None:
    """See `place_from`. With `label=False` and coordinates given, the communes are not read
    (the place is then labelled « Adresse du patient » unless its commune is given)."""
    if not label and row.commune_insee is None and row.latitude is not None:
        return place_from(row, [])
    return place_from(row, await territory.list_communes(session))


async def need_of(
    session: AsyncSession,
    row: RegulationRequest,
    *,
    now: datetime,
    kind: str | None = None,
    place: Place | None = None,
) -> Need:
    return Need(
        request_id=row.id,
        kinds=compatible_kinds(row.orientation, row.mobility, kind),
        place=place if place is not None else await patient_place(session, row, label=False),
        age_months=age_months(row.birth_date, today_paris(now)),
        gp_rpps=row.gp_rpps,
    )


def initials(given_name: str, family_name: str) -> str:
    """`Jeanne Dupont` -> `J.D.` (the minimum an effector's calendar shows)."""
    letters = [next((c for c in name if c.isalpha()), "") for name in (given_name, family_name)]
    return "".join(f"{letter.upper()}." for letter in letters if letter)


def patient_label(row: RegulationRequest, now: datetime) -> str:
    """`J.D. 34 ans`: initials and age, what the appointment carries (never the full name)."""
    return (
        f"{initials(row.given_name, row.family_name)} {age_label(row.birth_date, today_paris(now))}"
    )

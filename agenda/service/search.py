"""Free-slot search: who can see a patient, where, when — fast at national scale.

Two queries whatever the number of results, no query per slot:
1. the slots: one indexed query on `slots` joined to `effectors` (active, specialty), reading
   narrow columns. Effectors given -> index `(effector_id, start_at)`; a distance limit -> the
   sites of the bounding box (subquery on the index `sites (latitude, longitude)`), then
   `(site_id, start_at)`, with an equirectangular distance filter and order in SQL; otherwise
   the partial index of open slots `(start_at, id)`.
2. the effectors and sites of the page, built once each however many slots they have.
The exact great-circle distance is computed in Python on the rows read.
Results are frozen dataclasses (cheap to build by the hundred); the API validates them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import and_, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import InvalidPeriod, MissingValue, UnknownValue
from agenda.models import Effector, Site, Slot, SlotStatus
from agenda.schemas import FreeSlot, FreeSlotEffector, FreeSlotSite, Kind, Visibility
from agenda.service.slot_rules import KIND_COLUMNS, VISIBILITY_COLUMNS, as_utc
from snp.db import utcnow
from snp.kit import distance_km

KM_PER_DEGREE_LATITUDE = 111.2
MAX_RESULTS = 1000
MAX_CANDIDATES = 5_000  # rows read near a point, before exact distances are computed
_APPROX_MARGIN = 0.01  # the SQL distance filter keeps 1 % more, the exact one decides


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within `km` of (lat, lon)."""
    dlat = km / KM_PER_DEGREE_LATITUDE
    cos_lat = math.cos(math.radians(min(89.0, abs(lat) + dlat)))
    dlon = min(180.0, km / (KM_PER_DEGREE_LATITUDE * max(cos_lat, 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _any_flag(columns: dict[str, str], codes: Collection[str], name: str) -> Any:
    unknown = set(codes) - columns.keys()
    if unknown:
        raise UnknownValue(
            f"Valeur inconnue : {', '.join(sorted(unknown))} (possibles : {', '.join(columns)}).",
            loc=["query", name],
        )
    return or_(*(getattr(Slot, columns[code]).is_(True) for code in sorted(set(codes))))


# Literally the predicate of the partial index `ix_slots_open_start_at` (SQLite uses a partial
# index only when the query repeats its predicate with the same constants, not parameters).
_OPEN = Slot.status.in_([literal_column("'free'"), literal_column("'held'")])

# The first query reads only these narrow columns (plus the site's position near a point).
_SLOT_COLUMNS = (
    Slot.id,
    Slot.start_at,
    Slot.end_at,
    Slot.kind_amb,
    Slot.kind_hh,
    Slot.kind_vr,
    Slot.vis_snp,
    Slot.vis_cpts,
    Slot.vis_pro,
    Slot.vis_public,
    Slot.shared_with_sas,
    Slot.reason,
    Slot.effector_id,
    Slot.site_id,
)
# Codes for every combination of flags, in the columns' order (AMB, HH, VR / SNP, CPTS, ...).
_KINDS: dict[tuple[bool, ...], tuple[Kind, ...]] = {
    flags: tuple(code for code, on in zip(get_args(Kind), flags, strict=True) if on)
    for flags in itertools.product((False, True), repeat=3)
}
_VISIBILITIES: dict[tuple[bool, ...], tuple[Visibility, ...]] = {
    flags: tuple(code for code, on in zip(get_args(Visibility), flags, strict=True) if on)
    for flags in itertools.product((False, True), repeat=4)
}


async def search_free_slots(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    kinds: Collection[str] | None = None,
    visibility: Collection[str] | None = None,
    effector_ids: Sequence[int] | None = None,
    specialty: str | None = None,
    near: tuple[float, float] | None = None,
    max_km: float | None = None,
    shared_with_sas_only: bool = False,
    limit: int = 100,
    offset: int = 0,
    order: Literal["start", "distance"] | None = None,
) -> list[FreeSlot]:
    """Bookable slots starting in [start, end) (and not yet started) of active effectors.

    Filters combine with AND; within `kinds` and `visibility` a slot needs any of the codes
    given. With `near` = (latitude, longitude) every result has `distance_km` (`max_km` keeps
    the closer ones). Sorted by start (then distance), or with `order="distance"` — the default
    when `near` is given — by distance then start. `limit` is capped at 1000.

    Two queries whatever the number of results: the slots (one indexed query joining effectors,
    and sites when filtering by distance), then the effectors and sites of the page.
    """
    start, end = as_utc(start, "start", "query"), as_utc(end, "end", "query")
    if end <= start:
        raise InvalidPeriod("La fin doit être après le début.", loc=["query", "end"])
    order = order or ("distance" if near is not None else "start")
    if near is None and (max_km is not None or order == "distance"):
        raise MissingValue(
            "Indiquez le point (latitude et longitude) d'où mesurer la distance.",
            loc=["query", "lat"],
        )
    if effector_ids is not None and not effector_ids:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    now = utcnow()
    columns: tuple[Any, ...] = _SLOT_COLUMNS
    if near is not None:
        columns = (*columns, Site.latitude, Site.longitude)
    query = (
        select(*columns)
        .join(Effector, Effector.id == Slot.effector_id)
        .where(
            Slot.start_at >= max(start, now),
            Slot.start_at < end,
            _OPEN,
            or_(
                Slot.status == SlotStatus.FREE,
                and_(Slot.status == SlotStatus.HELD, Slot.hold_expires_at <= now),
            ),
            Effector.active.is_(True),
        )
    )
    fetch = limit + offset
    if near is not None:
        query = query.join(Site, Site.id == Slot.site_id)
        # Equirectangular distance, in degrees of latitude squared: exact enough to filter and
        # order in SQL (no trigonometry needed there); Python then computes the haversine.
        lat0, lon0 = near
        d_lat = Site.latitude - lat0
        d_lon = (Site.longitude - lon0) * math.cos(math.radians(lat0))
        approx = d_lat * d_lat + d_lon * d_lon
        if max_km is not None:
            # Sites in the bounding box first (a subquery, so SQLite too starts from them), then
            # their slots through (site_id, start_at).
            min_lat, max_lat, min_lon, max_lon = bounding_box(lat0, lon0, max_km)
            in_box = select(Site.id).where(
                Site.latitude.between(min_lat, max_lat), Site.longitude.between(min_lon, max_lon)
            )
            query = query.where(
                Slot.site_id.in_(in_box),
                approx <= (max_km * (1 + _APPROX_MARGIN) / KM_PER_DEGREE_LATITUDE) ** 2,
            )
        # Rows within the margin but beyond `max_km` are dropped in Python: read a few more.
        fetch = min(MAX_CANDIDATES, 2 * fetch + 50)
        if order == "distance":
            query = query.order_by(approx)
    if kinds:
        query = query.where(_any_flag(KIND_COLUMNS, kinds, "kinds"))
    if visibility:
        query = query.where(_any_flag(VISIBILITY_COLUMNS, visibility, "visibility"))
    if effector_ids is not None:
        wanted = sorted(set(effector_ids))
        # Both sides of the join: PostgreSQL then reads just these effectors, not all of them.
        query = query.where(Slot.effector_id.in_(wanted), Effector.id.in_(wanted))
    if specialty:
        query = query.where(Effector.specialty_code == specialty)
    if shared_with_sas_only:
        query = query.where(Slot.shared_with_sas.is_(True))
    query = query.order_by(Slot.start_at, Slot.id).limit(fetch)
    # Core rows through the session's connection: no ORM entity loading is needed here.
    connection = await session.connection()
    rows = (await connection.execute(query)).all()
    ordered, distances = _page(rows, near, max_km, order)
    page = ordered[offset : offset + limit]
    if not page:
        return []
    details = await _details(session, {row.site_id for row in page})
    return _shape(page, distances, details)


def _page(
    rows: Sequence[Any], near: tuple[float, float] | None, max_km: float | None, order: str
) -> tuple[Sequence[Any], dict[int, float] | None]:
    """Rows in result order (filtered by exact distance near a point), and each site's distance."""
    if near is None:
        return rows, None
    distances: dict[int, float] = {}
    for row in rows:
        if row.site_id not in distances:
            distances[row.site_id] = round(distance_km(near, (row.latitude, row.longitude)), 2)
    kept = [r for r in rows if max_km is None or distances[r.site_id] <= max_km]
    if order == "distance":
        kept.sort(key=lambda r: (distances[r.site_id], r.start_at, r.id))
    else:
        kept.sort(key=lambda r: (r.start_at, distances[r.site_id], r.id))
    return kept, distances


async def _details(
    session: AsyncSession, site_ids: set[int]
) -> dict[int, tuple[FreeSlotEffector, FreeSlotSite]]:
    """Each site of the page with its effector, built once however many slots they have."""
    connection = await session.connection()
    rows = await connection.execute(
        select(
            Site.id,
            Site.name,
            Site.address_line,
            Site.postal_code,
            Site.city,
            Site.insee_code,
            Site.latitude,
            Site.longitude,
            Site.structure_id,
            Site.phone.label("site_phone"),
            Effector.id.label("effector_id"),
            Effector.national_id,
            Effector.family_name,
            Effector.given_name,
            Effector.profession,
            Effector.specialty_code,
            Effector.specialty_text,
            Effector.phone,
            Effector.home_visits,
            Effector.teleconsultation,
            Effector.min_patient_age_months,
            Effector.home_visit_radius_km,
        )
        .join(Effector, Effector.id == Site.effector_id)
        .where(Site.id.in_(sorted(site_ids)))
    )
    found: dict[int, tuple[FreeSlotEffector, FreeSlotSite]] = {}
    for r in rows:
        effector = FreeSlotEffector(
            id=r.effector_id,
            rpps=r.national_id,
            family_name=r.family_name,
            given_name=r.given_name,
            profession=r.profession,
            specialty_code=r.specialty_code,
            specialty_text=r.specialty_text,
            phone=r.phone,
            home_visits=r.home_visits,
            teleconsultation=r.teleconsultation,
            min_patient_age_months=r.min_patient_age_months,
            home_visit_radius_km=r.home_visit_radius_km,
        )
        site = FreeSlotSite(
            id=r.id,
            name=r.name,
            address_line=r.address_line,
            postal_code=r.postal_code,
            city=r.city,
            insee_code=r.insee_code,
            latitude=r.latitude,
            longitude=r.longitude,
            structure_id=r.structure_id,
            phone=r.site_phone,
        )
        found[r.id] = (effector, site)
    return found


def _shape(
    page: Sequence[Any],
    distances: dict[int, float] | None,
    details: dict[int, tuple[FreeSlotEffector, FreeSlotSite]],
) -> list[FreeSlot]:
    results: list[FreeSlot] = []
    append = results.append
    kinds, visibilities = _KINDS, _VISIBILITIES
    for row in page:
        # Unpacked in `_SLOT_COLUMNS` order: much faster than attribute access on each row.
        slot_id, start, end, amb, hh, vr, snp, cpts, pro, pub, sas, reason, _, site_id, *_ = row
        effector, site = details[site_id]
        append(
            FreeSlot(
                slot_id,
                start,
                end,
                kinds[amb, hh, vr],
                visibilities[snp, cpts, pro, pub],
                sas,
                reason,
                effector,
                site,
                distances[site_id] if distances is not None else None,
            )
        )
    return results

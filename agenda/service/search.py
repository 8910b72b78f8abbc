"""Free-slot search: who can see a patient, where, when — fast at national scale.

One or two queries whatever the number of results, no query per slot:
1. the slots: one indexed query on `slots` joined to `effectors` (active, specialty), reading
   narrow columns. Effectors given -> index `(effector_id, start_at)`; a distance limit -> the
   sites of the bounding box (subquery on the index `sites (latitude, longitude)`), then
   `(site_id, start_at)`, with an equirectangular distance filter and order in SQL; otherwise
   the partial index of open slots `(start_at, id)`.
2. the effectors and sites of the page, built once each however many slots they have. Near a
   point, where the sites are joined anyway, the first query reads them with the slots (one
   round trip less: matching searches this way); otherwise a second query reads them.
The exact great-circle distance is computed in Python on the rows read.
Each shape of search (which filters it uses) has its statement built once and reused with its
values (`_slots_query`): building and hashing a statement cost more than running it.
Results are frozen dataclasses (cheap to build by the hundred); the API validates them.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Literal, NamedTuple, get_args

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    and_,
    bindparam,
    literal_column,
    or_,
    select,
)
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


def _flags(columns: dict[str, str], codes: Collection[str] | None, name: str) -> tuple[str, ...]:
    """The columns of `codes` (sorted, any of them matches); raises a French 422 on an unknown
    code."""
    if not codes:
        return ()
    unknown = set(codes) - columns.keys()
    if unknown:
        raise UnknownValue(
            f"Valeur inconnue : {', '.join(sorted(unknown))} (possibles : {', '.join(columns)}).",
            loc=["query", name],
        )
    return tuple(columns[code] for code in sorted(set(codes)))


def _any_flag(columns: tuple[str, ...]) -> Any:
    return or_(*(getattr(Slot, column).is_(True) for column in columns))


# Literally the predicate of the partial index `ix_slots_open_start_at` (SQLite uses a partial
# index only when the query repeats its predicate with the same constants, not parameters).
_OPEN = Slot.status.in_([literal_column("'free'"), literal_column("'held'")])

# The first query reads only these narrow columns (plus the sites' details near a point).
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
# Each site of a page with its effector: what `FreeSlotSite` and `FreeSlotEffector` carry.
_DETAIL_COLUMNS = (
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
    Site.position_approximate,
    Effector.id.label("site_effector_id"),
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
_DETAILS = (
    select(*_DETAIL_COLUMNS)
    .join(Effector, Effector.id == Site.effector_id)
    .where(Site.id.in_(bindparam("site_ids", expanding=True)))
)
# Positions in a row of the slots query: `_SLOT_COLUMNS`, then near a point (where the sites
# are joined anyway) `_DETAIL_COLUMNS`, so that no second query is needed.
_ID, _START, _SITE_ID, _DETAIL = 0, 1, 13, 14
_LAT, _LON = _DETAIL + 6, _DETAIL + 7
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

    One or two queries whatever the number of results: the slots (one indexed query joining
    effectors, and sites near a point: their details and their effectors' then come with the
    slots), otherwise a second query for the effectors and sites of the page.
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
    shape = _Shape(
        near=near is not None,
        within=near is not None and max_km is not None,
        by_distance=near is not None and order == "distance",
        kinds=_flags(KIND_COLUMNS, kinds, "kinds"),
        visibility=_flags(VISIBILITY_COLUMNS, visibility, "visibility"),
        by_effectors=effector_ids is not None,
        by_specialty=bool(specialty),
        sas_only=shared_with_sas_only,
    )
    fetch = limit + offset
    values: dict[str, Any] = {"start": max(start, now), "end": end, "now": now}
    if near is not None:
        lat0, lon0 = near
        values.update(lat0=lat0, lon0=lon0, lon_scale=math.cos(math.radians(lat0)))
        if max_km is not None:
            min_lat, max_lat, min_lon, max_lon = bounding_box(lat0, lon0, max_km)
            values.update(
                min_lat=min_lat,
                max_lat=max_lat,
                min_lon=min_lon,
                max_lon=max_lon,
                max_approx=(max_km * (1 + _APPROX_MARGIN) / KM_PER_DEGREE_LATITUDE) ** 2,
            )
        # Rows within the margin but beyond `max_km` are dropped in Python: read a few more.
        fetch = min(MAX_CANDIDATES, 2 * fetch + 50)
    if effector_ids is not None:
        values["effector_ids"] = sorted(set(effector_ids))
    if specialty:
        values["specialty"] = specialty
    values["fetch"] = fetch
    # Core rows through the session's connection: no ORM entity loading is needed here.
    connection = await session.connection()
    rows = (await connection.execute(_slots_query(shape), values)).all()
    ordered, distances = _page(rows, near, max_km, order)
    page = ordered[offset : offset + limit]
    if not page:
        return []
    if near is not None:
        details = _details_of(page)
    else:
        details = await _details(session, {row[_SITE_ID] for row in page})
    return _shape(page, distances, details)


class _Shape(NamedTuple):
    """Which filters a search uses: one statement per shape, built once (`_slots_query`)."""

    near: bool
    within: bool  # near a point, within a distance
    by_distance: bool  # ordered by distance first
    kinds: tuple[str, ...]  # flag columns, any of them
    visibility: tuple[str, ...]
    by_effectors: bool
    by_specialty: bool
    sas_only: bool


@functools.lru_cache(maxsize=256)
def _slots_query(shape: _Shape) -> Select[Any]:
    """The slots query of a shape of search, its values as named parameters (`start`, `end`,
    `now`, `fetch`; near a point `lat0`, `lon0`, `lon_scale`, and within a distance the
    bounding box `min_lat`... `max_lon` and `max_approx`; `effector_ids`, `specialty`).
    Built once per shape and reused: SQLAlchemy then also reuses its cache key and compiled
    form, where building a statement anew for each search cost more than running it."""
    columns: tuple[Any, ...] = _SLOT_COLUMNS
    if shape.near:
        columns = (*columns, *_DETAIL_COLUMNS)
    query = (
        select(*columns)
        .join(Effector, Effector.id == Slot.effector_id)
        .where(
            Slot.start_at >= bindparam("start"),
            Slot.start_at < bindparam("end"),
            _OPEN,
            or_(
                Slot.status == SlotStatus.FREE,
                and_(Slot.status == SlotStatus.HELD, Slot.hold_expires_at <= bindparam("now")),
            ),
            Effector.active.is_(True),
        )
    )
    if shape.near:
        query = query.join(Site, Site.id == Slot.site_id)
        # Equirectangular distance, in degrees of latitude squared: exact enough to filter and
        # order in SQL (no trigonometry needed there); Python then computes the haversine.
        d_lat = Site.latitude - bindparam("lat0")
        d_lon = (Site.longitude - bindparam("lon0")) * bindparam("lon_scale")
        approx = d_lat * d_lat + d_lon * d_lon
        if shape.within:
            # Sites in the bounding box first (a subquery, so SQLite too starts from them), then
            # their slots through (site_id, start_at).
            in_box = select(Site.id).where(
                Site.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
                Site.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
            )
            query = query.where(Slot.site_id.in_(in_box), approx <= bindparam("max_approx"))
        if shape.by_distance:
            query = query.order_by(approx)
    if shape.kinds:
        query = query.where(_any_flag(shape.kinds))
    if shape.visibility:
        query = query.where(_any_flag(shape.visibility))
    if shape.by_effectors:
        wanted: BindParameter[int] = bindparam("effector_ids", expanding=True)
        # Both sides of the join: PostgreSQL then reads just these effectors, not all of them.
        query = query.where(Slot.effector_id.in_(wanted), Effector.id.in_(wanted))
    if shape.by_specialty:
        query = query.where(Effector.specialty_code == bindparam("specialty"))
    if shape.sas_only:
        query = query.where(Slot.shared_with_sas.is_(True))
    return query.order_by(Slot.start_at, Slot.id).limit(bindparam("fetch", type_=Integer))


def _page(
    rows: Sequence[Any], near: tuple[float, float] | None, max_km: float | None, order: str
) -> tuple[Sequence[Any], dict[int, float] | None]:
    """Rows in result order (filtered by exact distance near a point), and each site's distance."""
    if near is None:
        return rows, None
    distances: dict[int, float] = {}
    for row in rows:
        if row[_SITE_ID] not in distances:
            distances[row[_SITE_ID]] = round(distance_km(near, (row[_LAT], row[_LON])), 2)
    kept = [r for r in rows if max_km is None or distances[r[_SITE_ID]] <= max_km]
    if order == "distance":
        kept.sort(key=lambda r: (distances[r[_SITE_ID]], r[_START], r[_ID]))
    else:
        kept.sort(key=lambda r: (r[_START], distances[r[_SITE_ID]], r[_ID]))
    return kept, distances


async def _details(
    session: AsyncSession, site_ids: set[int]
) -> dict[int, tuple[FreeSlotEffector, FreeSlotSite]]:
    """Each site of the page with its effector (when the slots query did not read them)."""
    connection = await session.connection()
    rows = await connection.execute(_DETAILS, {"site_ids": sorted(site_ids)})
    return {row[0]: _built(row) for row in rows}


def _details_of(page: Sequence[Any]) -> dict[int, tuple[FreeSlotEffector, FreeSlotSite]]:
    """Each site of the page with its effector, from the rows of a search near a point (they
    carry `_DETAIL_COLUMNS`): built once per site however many slots it has."""
    found: dict[int, tuple[FreeSlotEffector, FreeSlotSite]] = {}
    for row in page:
        if row[_SITE_ID] not in found:
            found[row[_SITE_ID]] = _built(row[_DETAIL:])
    return found


def _built(detail: Sequence[Any]) -> tuple[FreeSlotEffector, FreeSlotSite]:
    """A site and its effector from values in `_DETAIL_COLUMNS` order (unpacked: much faster
    than attribute access on each row)."""
    (
        site_id,
        name,
        address_line,
        postal_code,
        city,
        insee_code,
        latitude,
        longitude,
        structure_id,
        site_phone,
        position_approximate,
        effector_id,
        national_id,
        family_name,
        given_name,
        profession,
        specialty_code,
        specialty_text,
        phone,
        home_visits,
        teleconsultation,
        min_patient_age_months,
        home_visit_radius_km,
    ) = detail
    effector = FreeSlotEffector(
        id=effector_id,
        rpps=national_id,
        family_name=family_name,
        given_name=given_name,
        profession=profession,
        specialty_code=specialty_code,
        specialty_text=specialty_text,
        phone=phone,
        home_visits=home_visits,
        teleconsultation=teleconsultation,
        min_patient_age_months=min_patient_age_months,
        home_visit_radius_km=home_visit_radius_km,
    )
    site = FreeSlotSite(
        id=site_id,
        name=name,
        address_line=address_line,
        postal_code=postal_code,
        city=city,
        insee_code=insee_code,
        latitude=latitude,
        longitude=longitude,
        structure_id=structure_id,
        phone=site_phone,
        position_approximate=bool(position_approximate),
    )
    return effector, site


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

"""What regulation reads of agenda's directory of effectors, cached briefly.

The escalation ladder needs every active effector with its sites' positions, and matching needs
the home-visit radius of the effectors whose slots offer a home visit. Neither is in
`agenda.FreeSlot`; both come from agenda's public functions (`list_effectors`,
`get_effector_profile`), which read whole profiles. The directory changes seldom, so what was
read is kept per database engine (one per app instance) for `DIRECTORY_TTL_SECONDS`: an
effector added, moved or deactivated within that delay may be missed or still solicited.
"""

from __future__ import annotations

import heapq
import math
import time
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import get_effector_profile, list_effectors
from regulation.service.needs import Place, distance_km
from snp.actor import Actor

DIRECTORY_PAGE = 1000
DIRECTORY_TTL_SECONDS = 60.0
READER = Actor.system("regulation.matching")  # profile reads are traced under this name


@dataclass(frozen=True, slots=True)
class Member:
    """An active effector, as the escalation ladder needs it."""

    id: int
    rpps: str
    places: tuple[tuple[float, float], ...]  # its sites' positions

    def km_from(self, place: Place | None) -> float:
        if place is None or not self.places:
            return math.inf
        return min(distance_km(place.point, p) for p in self.places)


@dataclass(frozen=True)
class Directory:
    """The active effectors, with their sites' positions laid out for fast nearest queries."""

    members: list[Member]
    site_latitudes: list[float] = field(default_factory=list)
    site_longitudes: list[float] = field(default_factory=list)
    site_members: list[int] = field(default_factory=list)  # index in `members`

    @classmethod
    def of(cls, members: list[Member]) -> Directory:
        directory = cls(members)
        for index, member in enumerate(members):
            for latitude, longitude in member.places:
                directory.site_latitudes.append(latitude)
                directory.site_longitudes.append(longitude)
                directory.site_members.append(index)
        return directory

    def nearest(self, place: Place | None, count: int) -> list[tuple[Member, float]]:
        """The `count` members nearest to `place` with their distance (km), nearest first.

        Ranked by a flat-earth distance over every site (cheap for thousands), then exactly
        among a margin of the nearest. Without a place: by id, at an infinite distance."""
        if place is None:
            return [(m, math.inf) for m in sorted(self.members, key=lambda m: m.id)[:count]]
        lat0, lon0 = place.point
        x_scale = math.cos(math.radians(lat0))
        flat = [
            (lat - lat0) ** 2 + ((lon - lon0) * x_scale) ** 2
            for lat, lon in zip(self.site_latitudes, self.site_longitudes, strict=True)
        ]
        shortlist: dict[int, Member] = {}
        for site in heapq.nsmallest(2 * count + 50, range(len(flat)), key=flat.__getitem__):
            member = self.members[self.site_members[site]]
            shortlist.setdefault(member.id, member)
        ranked = sorted((m.km_from(place), m.id, m) for m in shortlist.values())
        return [(m, km) for km, _, m in ranked[:count]]


@dataclass
class _Cache:
    directory: tuple[float, Directory] | None = None
    # effector id -> (when read, home-visit radius in km or None: no home visits)
    radii: dict[int, tuple[float, float | None]] = field(default_factory=dict)


_caches: weakref.WeakKeyDictionary[object, _Cache] = weakref.WeakKeyDictionary()


def _cache(session: AsyncSession) -> _Cache:
    key = session.get_bind()
    found = _caches.get(key)
    if found is None:
        found = _caches[key] = _Cache()
    return found


def _fresh(read_at: float) -> bool:
    return time.monotonic() - read_at < DIRECTORY_TTL_SECONDS


async def active_members(session: AsyncSession) -> Directory:
    """The directory's active effectors (`agenda.list_effectors`, page by page)."""
    cache = _cache(session)
    if cache.directory is not None and _fresh(cache.directory[0]):
        return cache.directory[1]
    members: list[Member] = []
    offset = 0
    while True:
        page = await list_effectors(session, limit=DIRECTORY_PAGE, offset=offset)
        members += [
            Member(e.id, e.rpps, tuple((s.latitude, s.longitude) for s in e.sites))
            for e in page.items
            if e.active
        ]
        offset += DIRECTORY_PAGE
        if not page.items or offset >= page.total:
            break
    directory = Directory.of(members)
    cache.directory = (time.monotonic(), directory)
    return directory


async def home_visit_radii(
    session: AsyncSession, effector_ids: Collection[int], default_km: float
) -> dict[int, float | None]:
    """Each effector's home-visit radius (km; `default_km` when they set none), or None when
    they make no home visits. Read from their profile once per cache period."""
    cache = _cache(session)
    found: dict[int, float | None] = {}
    for effector_id in sorted(set(effector_ids)):
        known = cache.radii.get(effector_id)
        if known is None or not _fresh(known[0]):
            profile = await get_effector_profile(session, READER, effector_id)
            radius = (profile.home_visit_radius_km or default_km) if profile.home_visits else None
            known = cache.radii[effector_id] = (time.monotonic(), radius)
        found[effector_id] = known[1]
    return found


def forget_directory() -> None:
    """Drop what was read (tests that change the directory between two reads)."""
    _caches.clear()

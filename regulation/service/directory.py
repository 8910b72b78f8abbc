"""What regulation reads of agenda's directory of effectors, cached briefly.

The escalation ladder needs every active effector with its sites' positions, from agenda's
public `list_effectors`, which reads whole profiles. The directory changes seldom, so what was
read is kept per database engine (one per app instance) for `DIRECTORY_TTL_SECONDS`: an
effector added, moved or deactivated within that delay may be missed or still solicited.
(Matching needs nothing from here: the home-visit radius comes with `agenda.FreeSlot`.)
"""

from __future__ import annotations

import heapq
import math
import time
import weakref
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import list_effectors
from regulation.service.needs import Place
from snp.kit import EARTH_RADIUS_KM, PageParams, distance_km

DIRECTORY_PAGE = 1000
DIRECTORY_TTL_SECONDS = 60.0


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


CELL_DEGREES = 0.2  # the grid of sites: cells of 0.2° (about 22 km north-south)
KM_PER_RADIAN = EARTH_RADIUS_KM


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL_DEGREES), math.floor(longitude / CELL_DEGREES)


@dataclass(frozen=True)
class Directory:
    """The active effectors, their sites laid out on a grid for exact nearest queries."""

    members: list[Member]
    # grid cell -> the sites in it: (latitude, longitude, index in `members`)
    grid: dict[tuple[int, int], list[tuple[float, float, int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, members: list[Member]) -> Directory:
        directory = cls(members)
        for index, member in enumerate(members):
            for latitude, longitude in member.places:
                cell = _cell(latitude, longitude)
                directory.grid.setdefault(cell, []).append((latitude, longitude, index))
        return directory

    def nearest(self, place: Place | None, count: int) -> list[tuple[Member, float]]:
        """The `count` members nearest to `place` with their distance (km, to their nearest
        site), nearest first (ties by id). Without a place: by id, at an infinite distance.

        Exact, reading few sites: the grid's cells are visited in square rings around the
        place; once the `count`-th distance found is below the distance to the part of the
        grid not visited yet (a lower bound, `_reach`), nothing else can enter."""
        if place is None:
            return [(m, math.inf) for m in sorted(self.members, key=lambda m: m.id)[:count]]
        if count <= 0 or not self.grid:
            return []
        lat0, lon0 = place.point
        row0, col0 = _cell(lat0, lon0)
        rows = [r for r, _ in self.grid]
        cols = [c for _, c in self.grid]
        last_ring = max(row0 - min(rows), max(rows) - row0, col0 - min(cols), max(cols) - col0)
        best: dict[int, float] = {}  # index in `members` -> km to its nearest site
        for ring in range(max(0, last_ring) + 1):
            for cell in _ring(row0, col0, ring):
                for latitude, longitude, index in self.grid.get(cell, ()):
                    km = distance_km((lat0, lon0), (latitude, longitude))
                    if km < best.get(index, math.inf):
                        best[index] = km
            if len(best) >= count:
                kth = heapq.nsmallest(count, best.values())[-1]
                if kth < _reach(lat0, lon0, row0, col0, ring):
                    break
        ranked = sorted((km, self.members[i].id, i) for i, km in best.items())[:count]
        return [(self.members[i], km) for km, _, i in ranked]


def _ring(row0: int, col0: int, ring: int) -> list[tuple[int, int]]:
    """The cells at Chebyshev distance `ring` from (row0, col0)."""
    if ring == 0:
        return [(row0, col0)]
    top, bottom = row0 - ring, row0 + ring
    cells = [(r, c) for r in (top, bottom) for c in range(col0 - ring, col0 + ring + 1)]
    cells += [(r, c) for c in (col0 - ring, col0 + ring) for r in range(top + 1, bottom)]
    return cells


def _reach(lat0: float, lon0: float, row0: int, col0: int, ring: int) -> float:
    """A lower bound (km) of the distance from (lat0, lon0) to any point outside the cells
    within `ring` of its own: the great-circle distance is at least the latitude difference
    (R·Δφ), and, between latitudes within the band, at least 2R·asin(√(cos φ0·cos φmax)·
    sin(Δλ/2)) (haversine formula with its latitude term dropped)."""
    south, north = (row0 - ring) * CELL_DEGREES, (row0 + ring + 1) * CELL_DEGREES
    west, east = (col0 - ring) * CELL_DEGREES, (col0 + ring + 1) * CELL_DEGREES
    by_latitude = math.radians(min(lat0 - south, north - lat0)) * KM_PER_RADIAN
    widest = min(90.0, max(abs(south), abs(north)))
    scale = math.sqrt(max(0.0, math.cos(math.radians(lat0)) * math.cos(math.radians(widest))))
    half = math.radians(min(lon0 - west, east - lon0, 180.0)) / 2
    by_longitude = 2 * KM_PER_RADIAN * math.asin(min(1.0, scale * math.sin(half)))
    return min(by_latitude, by_longitude)


@dataclass
class _Cache:
    directory: tuple[float, Directory] | None = None


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
        page = await list_effectors(session, page=PageParams(DIRECTORY_PAGE, offset))
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


def forget_directory() -> None:
    """Drop what was read (tests that change the directory between two reads)."""
    _caches.clear()

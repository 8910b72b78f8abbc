"""The escalation ladder's nearest effectors (`Directory.nearest`): exact, whatever the layout,
although it reads only the grid cells around the patient."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from regulation.service.directory import Directory, Member
from regulation.service.needs import Place
from snp.kit import distance_km

# Sites spread from Corsica to the Channel, some members with several sites, some with none.
LATITUDES = st.floats(min_value=41.0, max_value=51.5, allow_nan=False)
LONGITUDES = st.floats(min_value=-5.5, max_value=9.8, allow_nan=False)
POINTS = st.tuples(LATITUDES, LONGITUDES)


def place(point: tuple[float, float]) -> Place:
    return Place(point[0], point[1], "address", "Redon")


def brute_force(members: list[Member], at: Place, count: int) -> list[tuple[int, float]]:
    """Every site measured: the reference."""
    measured = [
        (min(distance_km(at.point, p) for p in m.places), m.id) for m in members if m.places
    ]
    return [(member_id, km) for km, member_id in sorted(measured)[:count]]


@settings(max_examples=150, deadline=None)
@given(
    sites=st.lists(st.lists(POINTS, min_size=0, max_size=3), min_size=0, max_size=60),
    at=POINTS,
    count=st.integers(min_value=0, max_value=70),
)
def test_nearest_is_exactly_the_brute_force_ranking(
    sites: list[list[tuple[float, float]]], at: tuple[float, float], count: int
) -> None:
    members = [Member(n + 1, f"{n:011d}", tuple(places)) for n, places in enumerate(sites)]
    directory = Directory.of(members)

    found = [(m.id, km) for m, km in directory.nearest(place(at), count)]

    expected = brute_force(members, place(at), count)
    assert [m for m, _ in found] == [m for m, _ in expected]
    assert all(math.isclose(a, b) for (_, a), (_, b) in zip(found, expected, strict=True))


def test_a_member_counts_at_its_nearest_site_and_members_without_sites_are_left_out() -> None:
    redon = (47.6519, -2.0845)
    members = [
        Member(1, "1", ((48.1113, -1.6800),)),  # Rennes, about 60 km
        Member(2, "2", ((47.2184, -1.5536), (47.6600, -2.0900))),  # Nantes, and next door
        Member(3, "3", ()),  # no site: no position
    ]

    found = Directory.of(members).nearest(place(redon), 5)

    assert [m.id for m, _ in found] == [2, 1]
    assert found[0][1] < 2
    assert 55 < found[1][1] < 65


def test_without_a_place_members_come_by_id() -> None:
    members = [Member(5, "5", ((47.0, -2.0),)), Member(2, "2", ()), Member(9, "9", ())]

    found = Directory.of(members).nearest(None, 2)

    assert [(m.id, km) for m, km in found] == [(2, math.inf), (5, math.inf)]

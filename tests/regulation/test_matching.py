"""Matching on hand-built cases: exact order and the reasons each candidate gives.

Default weights: score = minutes until the slot + 2 × km + 20 per patient that day + 4 per
patient that week; travel margin 30 min, farthest practice 40 km, 2 slots per effector.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation import propose_candidates
from regulation.models import Mobility, Orientation
from regulation.schemas_booking import CandidatesOut
from snp.actor import Actor
from snp.auth.roles import Role
from snp.errors import BusinessRuleError
from snp.identifiers import rpps_with_check_digit
from snp.settings import Settings
from tests.factories import create_user
from tests.regulation.builders import (
    REDON,
    base_now,
    booked,
    daytime,
    effector,
    north_of,
    same_day,
    slot,
    triaged_request,
)
from tests.regulation.conftest import actor_of

pytestmark = pytest.mark.usefixtures("communes")

GP_RPPS = rpps_with_check_digit("1234567890")
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
async def operator(session: AsyncSession) -> Actor:
    return actor_of(await create_user(session, Role.OPERATOR))


@pytest.fixture
def settings(app: FastAPI) -> Settings:
    value: Settings = app.state.settings
    return value


async def candidates(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    now: datetime,
    settings: Settings,
    **options: object,
) -> CandidatesOut:
    result = await propose_candidates(
        session,
        actor,
        request_id,
        now=now,
        settings=settings,
        **options,  # type: ignore[arg-type]
    )
    await session.commit()
    return result


def summary(result: CandidatesOut) -> list[tuple[str, str, int, float | None, float]]:
    """(effector, kind, delay, km, score) of each candidate, in rank order."""
    return [
        (
            c.effector.name.removeprefix("Dr Anne "),
            c.kind,
            c.delay_minutes,
            c.distance_km,
            c.score,
        )
        for c in result.items
    ]


async def test_the_nearest_within_the_time_distance_trade_off_comes_first(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    near_late = await effector(session, "Loin-Tard", north_of(REDON, 2))
    far_early = await effector(session, "Loin-Tot", north_of(REDON, 20))
    next_door = await effector(session, "Voisin", north_of(REDON, 1))
    too_far = await effector(session, "Hors-Rayon", north_of(REDON, 50))
    here = await effector(session, "Ici", REDON)
    await slot(session, near_late, now + timedelta(minutes=120))
    await slot(session, far_early, now + timedelta(minutes=60))
    await slot(session, next_door, now + timedelta(minutes=90))
    await slot(session, too_far, now + timedelta(minutes=40))  # beyond 40 km
    await slot(session, here, now + timedelta(minutes=20))  # inside the travel margin
    await slot(session, here, now + timedelta(hours=25))  # after the 24 h deadline
    await slot(session, here, now + timedelta(minutes=45), kinds=frozenset({"VR"}))  # not AMB
    await slot(session, here, now + timedelta(minutes=70), visibility=frozenset({"PRO"}))
    request_id = await triaged_request(session, now=now)

    result = await candidates(session, operator, request_id, now, settings)

    assert summary(result) == [
        ("Voisin", "AMB", 90, 1.0, 92.0),
        ("Loin-Tot", "AMB", 60, 20.0, 100.0),
        ("Loin-Tard", "AMB", 120, 2.0, 124.0),
    ]
    assert [c.rank for c in result.items] == [1, 2, 3]
    first = result.items[0]
    assert first.explanation == (
        "Dans 1 h 30 · à 1 km · aucun patient SNP confié ce jour ni cette semaine"
    )
    assert first.score_details.startswith("score 92 = 90 (délai) + 2 (distance) + 0 (charge)")
    assert (first.score_parts.delay, first.score_parts.distance, first.score_parts.load) == (
        90.0,
        2.0,
        0.0,
    )
    assert result.fits_deadline is True
    assert result.escalation is None
    assert result.kinds == ["AMB"]
    assert result.window_start == now + timedelta(minutes=30)
    assert result.place is not None
    assert result.place.source == "address"
    assert all(not c.after_deadline for c in result.items)


async def test_effectors_already_given_patients_that_day_or_week_are_penalised(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    busy = await effector(session, "Charge", REDON)
    quiet = await effector(session, "Calme", REDON)
    start = daytime(now)  # 10:00, Monday to Saturday: the week goes on after it
    delay = round((start - now).total_seconds() / 60)
    await slot(session, busy, start)
    await slot(session, quiet, start)
    await booked(session, busy, start + timedelta(minutes=40))
    await booked(session, busy, start + timedelta(minutes=80))
    await booked(session, quiet, start + timedelta(days=1))  # the next day, same week
    hours = (start - now).total_seconds() / 3600 + 2
    request_id = await triaged_request(session, now=now, deadline_hours=hours)

    result = await candidates(session, operator, request_id, now, settings)

    assert summary(result) == [
        ("Calme", "AMB", delay, 0.0, delay + 4.0),  # 4 × 1 patient that week
        ("Charge", "AMB", delay, 0.0, delay + 48.0),  # 20 × 2 that day + 4 × 2 that week
    ]
    assert [(c.load_day, c.load_week) for c in result.items] == [(0, 1), (2, 2)]
    assert result.items[1].explanation.endswith(
        "déjà 2 patients SNP ce jour, 2 patients cette semaine"
    )
    assert result.items[1].score_details.startswith(
        f"score {delay + 48} = {delay} (délai) + 0 (distance) + 48 (charge)"
    )


async def test_at_most_two_slots_of_one_effector_are_proposed(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    prolific = await effector(session, "Prolixe", REDON)
    other = await effector(session, "Autre", north_of(REDON, 30))
    for minutes in (40, 60, 80):
        await slot(session, prolific, now + timedelta(minutes=minutes))
    await slot(session, other, now + timedelta(minutes=100))
    request_id = await triaged_request(session, now=now)

    result = await candidates(session, operator, request_id, now, settings)

    assert summary(result) == [
        ("Prolixe", "AMB", 40, 0.0, 40.0),
        ("Prolixe", "AMB", 60, 0.0, 60.0),
        ("Autre", "AMB", 100, 30.0, 160.0),
    ]


async def test_a_home_visit_only_within_the_effectors_radius(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    home = frozenset({"HH"})
    within = await effector(
        session, "Rayon5-a3km", north_of(REDON, 3), home_visits=True, home_visit_radius_km=5
    )
    outside = await effector(
        session, "Rayon5-a8km", north_of(REDON, 8), home_visits=True, home_visit_radius_km=5
    )
    no_visits = await effector(session, "SansVisite", north_of(REDON, 1))
    default_radius = await effector(session, "Rayon10", north_of(REDON, 9), home_visits=True)
    practice = await effector(session, "Cabinet", REDON)
    await slot(session, within, now + timedelta(minutes=60), kinds=home)
    await slot(session, outside, now + timedelta(minutes=45), kinds=home)
    await slot(session, no_visits, now + timedelta(minutes=45), kinds=home)
    await slot(session, default_radius, now + timedelta(minutes=50), kinds=frozenset({"AMB", "HH"}))
    await slot(session, practice, now + timedelta(minutes=35))  # the patient cannot travel
    request_id = await triaged_request(session, now=now, mobility=Mobility.NEEDS_HOME_VISIT)

    result = await candidates(session, operator, request_id, now, settings)

    assert result.kinds == ["HH"]
    assert summary(result) == [
        ("Rayon5-a3km", "HH", 60, 3.0, 66.0),
        ("Rayon10", "HH", 50, 9.0, 68.0),  # no radius set: the default 10 km
    ]
    assert result.items[0].explanation.startswith("Dans 1 h · visite à domicile, cabinet à 3 km · ")


async def test_teleconsultation_when_the_protocol_allows_it_ignores_distance_in_the_territory(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    remote = await effector(session, "Distant", north_of(REDON, 45), teleconsultation=True)
    elsewhere = await effector(session, "Ailleurs", north_of(REDON, 80), teleconsultation=True)
    local = await effector(session, "Local", REDON)
    both = await effector(session, "Mixte", north_of(REDON, 5), teleconsultation=True)
    await slot(session, remote, now + timedelta(minutes=45), kinds=frozenset({"VR"}))
    await slot(session, elsewhere, now + timedelta(minutes=35), kinds=frozenset({"VR"}))
    await slot(session, local, now + timedelta(minutes=40))
    await slot(session, both, now + timedelta(minutes=60), kinds=frozenset({"AMB", "VR"}))
    request_id = await triaged_request(session, now=now, orientation=Orientation.VR)

    result = await candidates(session, operator, request_id, now, settings)

    assert result.kinds == ["VR", "AMB"]
    assert summary(result) == [
        ("Local", "AMB", 40, 0.0, 40.0),
        ("Distant", "VR", 45, 45.0, 45.0),  # 45 km: the distance does not count
        ("Mixte", "VR", 60, 5.0, 60.0),  # a teleconsultation scores better than 60 + 10
    ]
    assert "téléconsultation : distance sans effet" in result.items[1].explanation

    amb_only = await triaged_request(session, now=now)  # orientation AMB: no teleconsultation
    result = await candidates(session, operator, amb_only, now, settings)
    assert summary(result) == [
        ("Local", "AMB", 40, 0.0, 40.0),
        ("Mixte", "AMB", 60, 5.0, 70.0),
    ]


async def test_an_effector_who_sees_no_young_children_is_not_proposed_for_one(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    adults_only = await effector(session, "Adultes", REDON, min_patient_age_months=16 * 12)
    everyone = await effector(session, "Tous", north_of(REDON, 3))
    await slot(session, adults_only, now + timedelta(minutes=40))
    await slot(session, everyone, now + timedelta(minutes=60))
    child = await triaged_request(session, now=now, age_years=5)
    adult = await triaged_request(session, now=now, age_years=40)

    assert [c[0] for c in summary(await candidates(session, operator, child, now, settings))] == [
        "Tous"
    ]
    assert [c[0] for c in summary(await candidates(session, operator, adult, now, settings))] == [
        "Adultes",
        "Tous",
    ]


async def test_nothing_before_the_deadline_gives_later_slots_and_the_escalation_ladder(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    gp = await effector(session, "Traitant", north_of(REDON, 30), rpps=GP_RPPS)
    later = await effector(session, "Plus-Tard", REDON)
    neighbour = await effector(session, "Voisine", north_of(REDON, 10))
    far = await effector(session, "Lointaine", north_of(REDON, 25))
    await slot(session, later, now + timedelta(hours=5))  # after the 2 h deadline
    await slot(session, later, now + timedelta(hours=60))  # beyond the 48 h searched after it
    request_id = await triaged_request(
        session, now=now, deadline_hours=2, gp_rpps=GP_RPPS, commune_insee="35236"
    )

    result = await candidates(session, operator, request_id, now, settings)

    assert result.fits_deadline is False
    assert summary(result) == [("Plus-Tard", "AMB", 300, 0.0, 300.0)]
    assert result.items[0].after_deadline is True
    assert result.items[0].explanation.startswith("Dans 5 h (après l'échéance) · à 0 km")
    assert result.message is not None
    assert result.message.startswith("Aucun créneau avant l'échéance")
    assert result.window_end == now + timedelta(hours=2 + 48)
    ladder = result.escalation
    assert ladder is not None
    assert ladder.place == "Redon"
    steps = [(s.step, s.available, s.effector_ids, s.timeout_minutes) for s in ladder.steps]
    assert steps == [
        ("gp", True, [gp[0]], 15),
        ("nearby", True, [later[0], neighbour[0]], 15),  # within 15 km, nearest first
        ("cpts", True, [far[0]], 15),  # everyone else (the GP is already asked)
    ]
    assert [s.label for s in ladder.steps] == [
        "Médecin traitant du patient",
        "Effecteurs proches du patient",
        "Toute la CPTS",
    ]


async def test_the_gp_step_explains_why_it_is_not_possible(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    await effector(session, "Seule", north_of(REDON, 30))
    unknown_gp = await triaged_request(session, now=now, deadline_hours=2, gp_rpps=GP_RPPS)
    no_gp = await triaged_request(session, now=now, deadline_hours=2)

    first = await candidates(session, operator, unknown_gp, now, settings)
    second = await candidates(session, operator, no_gp, now, settings)

    assert first.items == []
    assert first.message is not None
    assert first.message.startswith("Aucun créneau disponible")
    assert first.escalation is not None
    assert second.escalation is not None
    gp_first, nearby, everyone = first.escalation.steps
    assert (gp_first.available, gp_first.reason) == (
        False,
        "Le médecin traitant n'est pas membre de la CPTS (ou inactif).",
    )
    assert (nearby.available, nearby.reason) == (
        False,
        "Aucun effecteur à moins de 15 km du patient.",
    )
    assert everyone.available is True
    assert second.escalation.steps[0].reason == "Médecin traitant non renseigné (RPPS)."


async def test_a_request_must_be_triaged_into_a_consultation(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    here = await effector(session, "Ici", REDON)
    await slot(session, here, now + timedelta(minutes=40))
    pharmacist = await triaged_request(session, now=now, orientation=Orientation.PHARMACIST)
    untriaged = await triaged_request(session, now=now, triaged_at=None)

    with pytest.raises(BusinessRuleError) as refused:
        await candidates(session, operator, pharmacist, now, settings)
    assert refused.value.msg.startswith("L'orientation recommandée (pharmacien)")
    await session.rollback()
    with pytest.raises(BusinessRuleError, match="Triez la demande"):
        await candidates(session, operator, untriaged, now, settings)
    await session.rollback()
    forced = await candidates(session, operator, pharmacist, now, settings, kind="AMB")
    assert summary(forced) == [("Ici", "AMB", 40, 0.0, 40.0)]


async def test_loads_count_patients_given_not_cancelled_ones(session: AsyncSession) -> None:
    now = base_now()
    first = await effector(session, "Une", REDON)
    second = await effector(session, "Deux", REDON)
    start = now + timedelta(hours=2)
    kept = await booked(session, first, start)
    cancelled = await booked(session, first, same_day(start, 30))
    await agenda.cancel(session, cancelled, by="patient", reason="Ne peut pas venir")
    await session.commit()
    day_start = start - timedelta(hours=1)
    counts = await agenda.count_booked_by_effector(
        session, [first[0], second[0]], day_start, day_start + timedelta(hours=3)
    )
    assert counts == {first[0]: 1, second[0]: 0}
    assert kept
    assert await agenda.count_booked_by_effector(session, [], day_start, start) == {}


async def test_a_teleconsultation_request_keeps_each_kind_within_its_own_distance(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    """One search serves both kinds (over the teleconsultation's 50 km): a practice 45 km
    away is still too far to go to, but may see the patient by video."""
    now = base_now()
    practice_45 = await effector(session, "Cabinet45", north_of(REDON, 45))
    video_or_practice_45 = await effector(
        session, "Mixte45", north_of(REDON, 45), teleconsultation=True
    )
    video_55 = await effector(session, "Video55", north_of(REDON, 55), teleconsultation=True)
    practice_10 = await effector(session, "Cabinet10", north_of(REDON, 10))
    await slot(session, practice_45, now + timedelta(minutes=35))  # AMB only: too far
    await slot(
        session, video_or_practice_45, now + timedelta(minutes=50), kinds=frozenset({"AMB", "VR"})
    )
    await slot(session, video_55, now + timedelta(minutes=40), kinds=frozenset({"VR"}))
    await slot(session, practice_10, now + timedelta(minutes=40))
    request_id = await triaged_request(session, now=now, orientation=Orientation.VR)

    result = await candidates(session, operator, request_id, now, settings)

    assert summary(result) == [
        ("Mixte45", "VR", 50, 45.0, 50.0),
        ("Cabinet10", "AMB", 40, 10.0, 60.0),
    ]


async def test_a_patient_who_cannot_travel_gets_home_visits_or_teleconsultations(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = base_now()
    visits = await effector(
        session, "Visites", north_of(REDON, 4), home_visits=True, home_visit_radius_km=6
    )
    video = await effector(session, "Video", north_of(REDON, 30), teleconsultation=True)
    practice = await effector(session, "Cabinet", REDON)
    await slot(session, visits, now + timedelta(minutes=60), kinds=frozenset({"HH"}))
    await slot(session, video, now + timedelta(minutes=80), kinds=frozenset({"VR"}))
    await slot(session, practice, now + timedelta(minutes=35))  # cannot go there
    request_id = await triaged_request(
        session, now=now, orientation=Orientation.VR, mobility=Mobility.NEEDS_HOME_VISIT
    )

    result = await candidates(session, operator, request_id, now, settings)

    assert result.kinds == ["VR", "HH"]
    assert summary(result) == [("Visites", "HH", 60, 4.0, 68.0), ("Video", "VR", 80, 30.0, 80.0)]


@pytest.mark.parametrize("orientation", [Orientation.AMB, Orientation.VR])
async def test_the_growing_search_finds_exactly_the_best_of_every_slot(
    session: AsyncSession, operator: Actor, settings: Settings, orientation: Orientation
) -> None:
    """Matching reads slots in a region that grows (nearer and sooner first) and loads only
    for slots that may still enter the top 10: the result is the best 10 of every slot, as a
    full scan scores them (here: 30 effectors within 60 km, 3 slots each over 30 hours, with
    patients already given to some)."""
    rng = random.Random(20261123)
    now = base_now()
    people = []
    for n in range(30):
        km = rng.uniform(0, 60)
        person = await effector(session, f"E{n:02d}", north_of(REDON, km), teleconsultation=True)
        people.append((person, km))
        # Starts 25 minutes apart at least: an effector's slots do not overlap.
        *starts, taken = (now + timedelta(minutes=m) for m in rng.sample(range(35, 1800, 25), 4))
        for start in starts:
            kinds = rng.choice([frozenset({"AMB"}), frozenset({"VR"}), frozenset({"AMB", "VR"})])
            await slot(session, person, start, kinds=kinds)
        if n % 3 == 0:
            await booked(session, person, taken)
    request_id = await triaged_request(session, now=now, orientation=orientation)

    result = await candidates(session, operator, request_id, now, settings)

    wanted = {"AMB"} if orientation == Orientation.AMB else {"AMB", "VR"}
    free = await agenda.search_free_slots(
        session,
        start=now + timedelta(minutes=30),
        end=now + timedelta(hours=24),
        visibility=["SNP", "CPTS"],
        near=REDON,
        limit=1000,
    )
    reference = []
    for found in free:
        options = []
        for kind in sorted(wanted & set(found.kinds)):
            limit = 50.0 if kind == "VR" else 40.0
            if found.distance_km is not None and found.distance_km <= limit:
                km = 0.0 if kind == "VR" else found.distance_km
                options.append((2 * km, kind))
        if options:
            reference.append((found, min(options)))

    async def load(found: agenda.FreeSlot) -> float:
        """20 min per patient that day, 4 per patient that week (Monday to Sunday, Paris)."""
        day = found.start_at.astimezone(PARIS).date()
        monday = day - timedelta(days=day.weekday())
        bounds = [
            datetime(d.year, d.month, d.day, tzinfo=PARIS)
            for d in (day, day + timedelta(days=1), monday, monday + timedelta(days=7))
        ]
        ids = [found.effector.id]
        that_day = await agenda.count_booked_by_effector(session, ids, bounds[0], bounds[1])
        that_week = await agenda.count_booked_by_effector(session, ids, bounds[2], bounds[3])
        return 20.0 * that_day.get(ids[0], 0) + 4.0 * that_week.get(ids[0], 0)

    scored = sorted(
        [
            (
                (f.start_at - now).total_seconds() / 60 + cost + await load(f),
                f.start_at,
                f.id,
                f.effector.id,
            )
            for f, (cost, _) in reference
        ]
    )
    best: list[int] = []
    per_effector: dict[int, int] = {}
    for _, _, slot_id, effector_id in scored:
        if per_effector.get(effector_id, 0) < 2:
            per_effector[effector_id] = per_effector.get(effector_id, 0) + 1
            best.append(slot_id)
    assert len(result.items) == 10
    assert [c.slot_id for c in result.items] == best[:10]

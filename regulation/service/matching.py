"""Matching: the best candidate slots for a request, each explaining its rank.

Built on `agenda`'s public search (`agenda.search_free_slots`) and load count
(`agenda.count_booked_by_effector_in_periods`), never its models.

A slot is a candidate when it is free, visible to the `SNP` or `CPTS` channel, starts after now
plus the travel margin and before the request's deadline, offers a consultation kind the request
may take (`needs.compatible_kinds`: the protocol's orientation adapted to the patient's
mobility; a home visit only when the patient lives within the effector's home-visit radius), and
its effector sees patients of that age. Candidates are ranked by a score in minutes, lower first:

    score = delay + km_minutes × distance + day_load_minutes × patients that day
                                          + week_load_minutes × patients that week

- delay: minutes from now to the slot's start;
- distance: kilometres from the patient to the practice (to the effector's practice for a home
  visit; not counted for a teleconsultation);
- load: SNP patients the effector was already given on the slot's day (Europe/Paris) and in its
  week (Monday to Sunday), so patients spread fairly across effectors.

Ties go to the earlier slot. At most `regulation_match_per_effector` slots of one effector are
proposed. When nothing fits the deadline, the best slots of the following
`regulation_after_deadline_hours` are proposed (`after_deadline`) with the escalation ladder.

Search at national scale, exactly, in few queries (`Matcher.gather`): slots are read in a region
that grows, within `radius` km of the patient and starting before `until`: at first every slot
within `regulation_match_max_km` (`regulation_home_visit_max_km` for home visits;
teleconsultations: within `regulation_teleconsultation_max_km`, the territory, where the
distance does not count; a teleconsultation with an in-person alternative: one search for
both) starting within 3 hours (home visits, which are few: the whole window), or, when that
fills agenda's largest page (a dense territory), within 10 km. A slot not read scores at least
`first delay + km_minutes × radius` (farther) or the delay of `until` (later), so once the k-th
best score is below both bounds nothing else can enter the top k; else the region grows to
what the k-th score asks for, up to the deadline. (Only a territory so dense that 1,000 slots
fill the region needed gets the best of its earliest 1,000.) Every slot read first gets a base
score without its load, a lower bound; effectors' loads (one query for every day and week
concerned, `agenda.count_booked_by_effector_in_periods`) are read only for the slots whose base
score could still enter the top k, best first (`Matcher.ranked`), and a slot is completed with
its load only while it may still enter. The home-visit radius comes with the search's result
(`FreeSlotEffector.home_visit_radius_km`): nothing is read per effector.

Cost (issue 12: the remaining time was Python): a search is 4 statements (the request, the
slots with their sites and effectors, the loads, the audit row) whatever the territory; scores
and rank keys are computed once per slot (`scored`), the Paris day of each start once
(`Loads.day_of`), and the ranking of the last list is reused (`Matcher.ranked`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import (
    FreeSlot,
    FreeSlotEffector,
    count_booked_by_effector_in_periods,
    search_free_slots,
)
from regulation.errors import RequestNotOpen, RequestNotTriaged
from regulation.models import RegulationRequest, RequestStatus
from regulation.schemas_booking import (
    CandidateEffector,
    CandidateOut,
    CandidateSite,
    CandidatesOut,
    MatchWeights,
    PatientPlace,
    ScoreParts,
)
from regulation.service import escalation
from regulation.service.gates import ensure_bookable
from regulation.service.needs import ConsultationKind, Need, need_of
from regulation.service.records import ENTITY, ensure_open, get_row
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.kit import PARIS
from snp.settings import Settings, settings_of

VISIBLE_TO = ("SNP", "CPTS")  # the channels regulation books for
MAX_LIMIT = 50
PAGE = 1000  # agenda's largest page
DENSE_RADIUS_KM = 10.0
FIRST_WINDOW = timedelta(hours=3)  # slots read at first: starting within 3 hours
FIRST_BATCH = 200  # slots whose loads are read first (then all that may still enter)
NEXT_BATCH = 500
MATCHABLE = (RequestStatus.RECEIVED, RequestStatus.WAITING, RequestStatus.CLAIMED)


@dataclass(frozen=True, slots=True)
class Weights:
    km_minutes: float
    day_load_minutes: float
    week_load_minutes: float

    @classmethod
    def of(cls, settings: Settings) -> Weights:
        return cls(
            settings.regulation_match_km_minutes,
            settings.regulation_match_day_load_minutes,
            settings.regulation_match_week_load_minutes,
        )


class Scored(NamedTuple):
    """A slot that fits, with the terms of its score and its rank (`order`, lower first: the
    score to a millionth of a minute, then the earlier slot, then the slot id). Built by
    `scored`, which computes both once (they are compared many times)."""

    slot: FreeSlot
    kind: ConsultationKind
    distance_km: float | None
    delay: float  # minutes
    distance_cost: float
    load_day: int
    load_week: int
    load_cost: float
    score: float
    order: tuple[float, datetime, int]


def scored(
    slot: FreeSlot,
    kind: ConsultationKind,
    distance_km: float | None,
    delay: float,
    distance_cost: float,
    load_day: int = 0,
    load_week: int = 0,
    load_cost: float = 0.0,
) -> Scored:
    score = delay + distance_cost + load_cost
    order = (round(score, 6), slot.start_at, slot.id)
    return Scored(
        slot, kind, distance_km, delay, distance_cost, load_day, load_week, load_cost, score, order
    )


_ORDER = attrgetter("order")


def top(items: Iterable[Scored], limit: int, per_effector: int) -> list[Scored]:
    """The best `limit`, at most `per_effector` slots of one effector, best first."""
    best: dict[int, Scored] = {}
    for item in items:  # one entry per slot: the kind that scores best
        known = best.get(item.slot.id)
        if known is None or item.order < known.order:
            best[item.slot.id] = item
    chosen: list[Scored] = []
    taken: dict[int, int] = {}
    for item in sorted(best.values(), key=_ORDER):
        effector = item.slot.effector.id
        if taken.get(effector, 0) >= per_effector:
            continue
        taken[effector] = taken.get(effector, 0) + 1
        chosen.append(item)
        if len(chosen) >= limit:
            break
    return chosen


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _day_bounds(day: date, days: int = 1) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    end_day = day + timedelta(days=days)
    return start, datetime(end_day.year, end_day.month, end_day.day, tzinfo=PARIS)


class Loads:
    """Patients already given to effectors, per day and week (Europe/Paris), read in bulk: one
    query for every day and week a batch of slots needs."""

    def __init__(self, session: AsyncSession, weights: Weights) -> None:
        self.session = session
        self.by_day = weights.day_load_minutes > 0  # a count that weighs nothing is not read
        self.by_week = weights.week_load_minutes > 0
        self.day: dict[tuple[int, date], int] = {}
        self.week: dict[tuple[int, date], int] = {}
        self._days: dict[datetime, tuple[date, date]] = {}  # start -> (Paris day, its Monday)

    def day_of(self, moment: datetime) -> tuple[date, date]:
        """The Europe/Paris day of `moment` and the Monday of its week (slots share starts)."""
        known = self._days.get(moment)
        if known is None:
            day = moment.astimezone(PARIS).date()
            known = self._days[moment] = (day, _monday(day))
        return known

    async def ensure(self, slots: Iterable[FreeSlot]) -> None:
        days: dict[date, set[int]] = {}
        weeks: dict[date, set[int]] = {}
        for slot in slots:
            day, monday = self.day_of(slot.start_at)
            effector = slot.effector.id
            if self.by_day and (effector, day) not in self.day:
                days.setdefault(day, set()).add(effector)
            if self.by_week and (effector, monday) not in self.week:
                weeks.setdefault(monday, set()).add(effector)
        if not days and not weeks:
            return
        wanted: list[tuple[dict[tuple[int, date], int], date, set[int]]] = [
            *((self.day, day, ids) for day, ids in sorted(days.items())),
            *((self.week, monday, ids) for monday, ids in sorted(weeks.items())),
        ]
        periods = [_day_bounds(key, 1 if table is self.day else 7) for table, key, _ in wanted]
        everyone = set().union(*(ids for _, _, ids in wanted))
        counts = await count_booked_by_effector_in_periods(self.session, everyone, periods)
        for n, (table, key, ids) in enumerate(wanted):
            table.update(((e, key), counts[e][n]) for e in ids)

    def of(self, slot: FreeSlot) -> tuple[int, int]:
        day, monday = self.day_of(slot.start_at)
        effector = slot.effector.id
        return self.day.get((effector, day), 0), self.week.get((effector, monday), 0)


def home_visit_reach(effector: FreeSlotEffector, settings: Settings) -> float | None:
    """How far from their practice the effector goes for a home visit (km; their radius, the
    CPTS's default when they set none, never beyond the farthest home visit proposed), or None
    when they make no home visits. Carried by the search's result: nothing more to read."""
    if not effector.home_visits:
        return None
    radius = effector.home_visit_radius_km or settings.regulation_home_visit_default_radius_km
    return min(radius, settings.regulation_home_visit_max_km, settings.regulation_match_max_km)


class Matcher:
    """One request's candidate search.

    Slots read are first scored without their effector's load: that base score is a lower
    bound. Loads are then read only for the slots whose base score could still enter the top
    `limit`, best first, in batches, until the k-th score is below every base score left
    (`ranked`)."""

    def __init__(
        self, session: AsyncSession, need: Need, settings: Settings, now: datetime, limit: int
    ) -> None:
        self.session, self.need, self.settings, self.now = session, need, settings, now
        self.limit = limit
        self.per_effector = settings.regulation_match_per_effector
        self.weights = Weights.of(settings)
        self.loads = Loads(session, self.weights)
        self.completed: dict[tuple[int, str], Scored] = {}
        self.last_ranked: tuple[list[Scored], list[Scored]] | None = None
        self.max_km: dict[ConsultationKind, float] = {  # farthest slot of each kind
            "AMB": settings.regulation_match_max_km,
            "HH": min(settings.regulation_match_max_km, settings.regulation_home_visit_max_km),
            "VR": settings.regulation_teleconsultation_max_km,
        }

    # -- scoring -------------------------------------------------------------------------------

    def minutes_until(self, moment: datetime) -> float:
        return (moment - self.now).total_seconds() / 60

    def reaches(self, slot: FreeSlot, kind: ConsultationKind) -> bool:
        """Whether the slot, as a consultation of `kind`, is close enough to the patient."""
        distance = slot.distance_km
        if kind == "HH":  # within the effector's home-visit radius
            reach = home_visit_reach(slot.effector, self.settings)
            return reach is not None and distance is not None and distance <= reach
        return distance is None or distance <= self.max_km[kind]

    def fit(self, slot: FreeSlot, kinds: Sequence[ConsultationKind]) -> Scored | None:
        """The slot with its base score for the best of `kinds` it offers and may serve as
        (ties to the kind listed first), or None."""
        minimum = slot.effector.min_patient_age_months
        if minimum is not None and self.need.age_months < minimum:
            return None
        distance = slot.distance_km
        kind: ConsultationKind | None = None
        km = 0.0
        for option in kinds:
            if option not in slot.kinds or not self.reaches(slot, option):
                continue
            option_km = distance if distance is not None and option != "VR" else 0.0
            if kind is None or option_km < km:
                kind, km = option, option_km
        if kind is None:
            return None
        return scored(
            slot, kind, distance, self.minutes_until(slot.start_at), self.weights.km_minutes * km
        )

    def complete(self, item: Scored) -> Scored:
        """`item` with its load (read before)."""
        key = (item.slot.id, item.kind)
        done = self.completed.get(key)
        if done is None:
            load_day, load_week = self.loads.of(item.slot)
            w = self.weights
            done = self.completed[key] = scored(
                item.slot,
                item.kind,
                item.distance_km,
                item.delay,
                item.distance_cost,
                load_day,
                load_week,
                w.day_load_minutes * load_day + w.week_load_minutes * load_week,
            )
        return done

    async def ranked(self, items: list[Scored]) -> list[Scored]:
        """The best `limit` of `items` (base scores), exactly, reading few loads:
        first those of the best `FIRST_BATCH` slots, then of every slot whose base score is
        still below the k-th score found (at most `NEXT_BATCH` at a time). The answer for the
        last list ranked is kept: the search (`gather`) and the proposal rank the same list."""
        if self.last_ranked is not None and self.last_ranked[0] is items:
            return self.last_ranked[1]
        best = await self._ranked(items)
        self.last_ranked = (items, best)
        return best

    async def _ranked(self, items: list[Scored]) -> list[Scored]:
        pending = sorted(items, key=_ORDER)
        resolved: list[Scored] = []
        best: list[Scored] = []
        size = FIRST_BATCH
        while pending:
            threshold = best[-1].score if len(best) >= self.limit else math.inf
            within = sum(1 for s in pending if s.score <= threshold)
            if not within:
                break  # nothing left can enter: its base score is already too high
            batch, pending = pending[: min(within, size)], pending[min(within, size) :]
            await self.loads.ensure(s.slot for s in batch)
            best = self._add(resolved, batch, best)
            size = NEXT_BATCH
        return best

    def _add(self, resolved: list[Scored], batch: list[Scored], best: list[Scored]) -> list[Scored]:
        """The best of `resolved` and `batch` (base scores, in rank order; their loads read),
        completing the batch only as far as a slot may still enter: one whose base rank is past
        the k-th completed one cannot (its load only adds, and adding slots only lowers the
        k-th), so it is left out of `resolved` for good. Same answer as completing them all."""
        step = 2 * self.limit
        for first in range(0, len(batch), step):
            if len(best) >= self.limit and batch[first].order > best[-1].order:
                break
            resolved += [self.complete(s) for s in batch[first : first + step]]
            best = top(resolved, self.limit, self.per_effector)
        return best

    def base_kth(self, items: Iterable[Scored]) -> float:
        """A lower bound of the k-th score, without reading anything."""
        best = top(items, self.limit, self.per_effector)
        return best[-1].score if len(best) >= self.limit else math.inf

    async def kth(self, items: list[Scored], bound: float) -> float:
        """The k-th score when it may be within `bound` (else its lower bound, above it)."""
        low = self.base_kth(items)
        if low > bound:
            return low  # loads only add: no need to read them to know it is above
        best = await self.ranked(items)
        return best[-1].score if len(best) >= self.limit else math.inf

    # -- searches ------------------------------------------------------------------------------

    async def _search(
        self,
        start: datetime,
        end: datetime,
        kinds: Sequence[ConsultationKind],
        *,
        max_km: float | None,
        page: int,
    ) -> list[FreeSlot]:
        return await search_free_slots(
            self.session,
            start=start,
            end=end,
            kinds=kinds,
            visibility=VISIBLE_TO,
            near=self.need.point,
            max_km=max_km if self.need.point is not None else None,
            limit=page,
            order="start",
        )

    def _fitting(
        self, slots: Iterable[FreeSlot], kinds: Sequence[ConsultationKind]
    ) -> list[Scored]:
        return [item for s in slots if (item := self.fit(s, kinds)) is not None]

    async def gather(
        self,
        start: datetime,
        end: datetime,
        kinds: Sequence[ConsultationKind],
        *,
        max_km: float,
        distance_counts: bool,
    ) -> list[Scored]:
        """The slots of `kinds` in [start, end) that may enter the top `limit`.

        Read in a region that grows: slots within `radius` km starting before `until`. A slot
        not read is farther (it scores at least first delay + km_minutes × radius) or later
        (at least the delay of `until`), so once the k-th score is below both bounds nothing
        else can enter; else the region grows to what the k-th score asks for."""
        k = self.weights.km_minutes if distance_counts and self.need.point is not None else 0.0
        radius = max_km  # a dense territory fills the page: then from DENSE_RADIUS_KM out
        # Home visits are few (slots offering them, near the patient): the whole window at once.
        until = end if list(kinds) == ["HH"] else min(end, start + FIRST_WINDOW)
        first_delay = self.minutes_until(start)
        while True:
            slots = await self._search(start, until, kinds, max_km=radius, page=PAGE)
            if len(slots) >= PAGE and k > 0 and radius > DENSE_RADIUS_KM:
                radius = DENSE_RADIUS_KM
                continue
            items = self._fitting(slots, kinds)
            far = first_delay + k * radius if k > 0 and radius < max_km else math.inf
            late = self.minutes_until(until) if until < end else math.inf
            full = len(slots) >= PAGE
            if full:  # a very dense territory: the earliest PAGE slots of the region
                late = min(late, self.minutes_until(slots[-1].start_at))
            bound = min(far, late)
            if math.isinf(bound):
                return items
            kth = await self.kth(items, bound)
            if kth <= bound or (full and kth > late):
                return items  # exact; or the best of a full page (approximate)
            if math.isinf(kth):  # too few slots fit so far: as far and as late as allowed
                radius, until = max_km, end
                continue
            if kth > far:
                radius = min(max_km, max(1.25 * radius, (kth - first_delay) / k))
            if kth > late:
                until = min(
                    end, max(until + FIRST_WINDOW / 2, self.now + timedelta(minutes=kth + 1))
                )

    async def candidates(self, start: datetime, end: datetime) -> list[Scored]:
        """Every slot read in [start, end) that may fit, with its base score.

        One kind: its region grows by distance and time (`gather`). A teleconsultation with
        an in-person alternative: one search for both kinds, over the larger of their areas
        (a teleconsultation's distance does not count, so that region grows by time only;
        `fit` keeps each kind within its own distance)."""
        if end <= start:
            return []
        kinds = [
            k
            for k in self.need.kinds
            if k != "HH" or self.need.point is not None  # a home visit needs the place
        ]
        if not kinds:
            return []
        if len(kinds) == 1:
            return await self.gather(
                start, end, kinds, max_km=self.max_km[kinds[0]], distance_counts=kinds != ["VR"]
            )
        max_km = max(self.max_km[k] for k in kinds)
        return await self.gather(start, end, kinds, max_km=max_km, distance_counts=False)

    async def resolve(self, item: Scored) -> Scored:
        """One slot completed with its load."""
        await self.loads.ensure([item.slot])
        return self.complete(item)


# -- shaping -----------------------------------------------------------------------------------


def _minutes_text(minutes: float) -> str:
    whole = max(0, round(minutes))
    if whole < 60:
        return f"{whole} min"
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _patients(count: int) -> str:
    return f"{count} patient{'s' if count > 1 else ''}"


def explain(item: Scored, *, after_deadline: bool, offered_first: bool) -> str:
    """Why the candidate ranks where it does, in French."""
    parts = [f"Dans {_minutes_text(item.delay)}"]
    if after_deadline:
        parts[0] += " (après l'échéance)"
    if item.kind == "VR":
        parts.append("téléconsultation : distance sans effet")
    elif item.distance_km is None:
        parts.append("distance inconnue")
    elif item.kind == "HH":
        parts.append(f"visite à domicile, cabinet à {_number(item.distance_km)} km")
    else:
        parts.append(f"à {_number(item.distance_km)} km")
    if item.kind != "VR" and item.distance_km is not None and item.slot.site.position_approximate:
        parts[-1] += " (position approximative : centre de la commune)"
    if item.load_day or item.load_week:
        parts.append(
            f"déjà {_patients(item.load_day)} SNP ce jour, {_patients(item.load_week)} "
            "cette semaine"
        )
    else:
        parts.append("aucun patient SNP confié ce jour ni cette semaine")
    parts.append(
        f"score {_number(item.score)} = {_number(item.delay)} (délai) + "
        f"{_number(item.distance_cost)} (distance) + {_number(item.load_cost)} (charge)"
    )
    text = " · ".join(parts)
    return f"Créneau libéré proposé en priorité · {text}" if offered_first else text


def candidate_out(
    rank: int, item: Scored, need: Need, *, after_deadline: bool, offered_first: bool
) -> CandidateOut:
    slot, effector, site = item.slot, item.slot.effector, item.slot.site
    title = "Dr " if effector.specialty_code.upper().startswith("SM") else ""
    return CandidateOut(
        rank=rank,
        slot_id=slot.id,
        start_at=slot.start_at,
        end_at=slot.end_at,
        kind=item.kind,
        kinds=list(slot.kinds),
        effector=CandidateEffector(
            id=effector.id,
            name=f"{title}{effector.given_name} {effector.family_name}",
            profession=effector.profession,
            specialty_text=effector.specialty_text,
            phone=effector.phone,
            is_patient_gp=need.gp_rpps is not None and effector.rpps == need.gp_rpps,
        ),
        site=CandidateSite(
            id=site.id,
            name=site.name,
            address_line=site.address_line,
            postal_code=site.postal_code,
            city=site.city,
            latitude=site.latitude,
            longitude=site.longitude,
            position_approximate=site.position_approximate,
        ),
        delay_minutes=max(0, round(item.delay)),
        distance_km=round(item.distance_km, 1) if item.distance_km is not None else None,
        load_day=item.load_day,
        load_week=item.load_week,
        score=round(item.score, 1),
        score_parts=ScoreParts(
            delay=round(item.delay, 1),
            distance=round(item.distance_cost, 1),
            load=round(item.load_cost, 1),
        ),
        after_deadline=after_deadline,
        offered_first=offered_first,
        explanation=explain(item, after_deadline=after_deadline, offered_first=offered_first),
    )


def _matchable(row: RegulationRequest) -> datetime:
    ensure_open(row)
    if row.status not in MATCHABLE:
        raise RequestNotOpen("Demande déjà orientée.")
    if row.triaged_at is None or row.deadline_at is None:
        raise RequestNotTriaged(
            "Triez la demande avant de chercher un créneau.", ("path", "request_id")
        )
    ensure_bookable(row)  # e.g. a regulator's advice still awaited
    return row.deadline_at


async def propose_candidates(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    *,
    limit: int = 10,
    now: datetime | None = None,
    kind: ConsultationKind | None = None,
    settings: Settings | None = None,
) -> CandidatesOut:
    """The best `limit` slots for the request (see the module's docstring for the score).

    With nothing before the deadline: the best later slots, flagged `after_deadline`, and the
    escalation ladder. A freed slot offered to this request comes first when it still fits."""
    settings = settings or settings_of(session)
    now = now or utcnow()
    limit = max(1, min(limit, MAX_LIMIT))
    row = await get_row(session, request_id)
    deadline = _matchable(row)
    need = await need_of(session, row, now=now, kind=kind)
    await audit.read(session, actor, ENTITY, row.id)
    matcher = Matcher(session, need, settings, now, limit)
    start = now + timedelta(minutes=settings.regulation_travel_margin_minutes)
    found = await matcher.candidates(start, deadline)
    best = await matcher.ranked(found)
    fits_deadline = bool(best)
    end = deadline
    if not best:
        later = max(start, deadline)
        end = later + timedelta(hours=settings.regulation_after_deadline_hours)
        found = await matcher.candidates(later, end)
        best = await matcher.ranked(found)
    raw_offered = next((s for s in found if s.slot.id == row.offered_slot_id), None)
    offered = await matcher.resolve(raw_offered) if raw_offered is not None else None
    if offered is not None:
        best = [offered, *[s for s in best if s.slot.id != offered.slot.id]][:limit]
    items = [
        candidate_out(
            rank,
            item,
            need,
            after_deadline=item.slot.start_at >= deadline,
            offered_first=offered is not None and item is offered,
        )
        for rank, item in enumerate(best, start=1)
    ]
    ladder = None
    message = None
    if not fits_deadline:
        ladder = await escalation.ladder(session, row, settings=settings)
        message = (
            "Aucun créneau avant l'échéance : voici les premiers créneaux après, et l'escalade "
            "possible (médecin traitant, effecteurs proches, toute la CPTS)."
            if items
            else "Aucun créneau disponible : lancez l'escalade (médecin traitant, effecteurs "
            "proches, toute la CPTS)."
        )
    place = need.place
    return CandidatesOut(
        request_id=row.id,
        generated_at=now,
        deadline_at=deadline,
        window_start=start,
        window_end=max(end, start),
        kinds=list(need.kinds),
        place=PatientPlace(
            latitude=place.latitude,
            longitude=place.longitude,
            source=place.source,
            label=place.label,
        )
        if place is not None
        else None,
        weights=MatchWeights(
            travel_margin_minutes=settings.regulation_travel_margin_minutes,
            km_minutes=settings.regulation_match_km_minutes,
            day_load_minutes=settings.regulation_match_day_load_minutes,
            week_load_minutes=settings.regulation_match_week_load_minutes,
            max_km=settings.regulation_match_max_km,
            home_visit_max_km=settings.regulation_home_visit_max_km,
            teleconsultation_max_km=settings.regulation_teleconsultation_max_km,
            per_effector=settings.regulation_match_per_effector,
        ),
        fits_deadline=fits_deadline,
        message=message,
        items=items,
        escalation=ladder,
    )

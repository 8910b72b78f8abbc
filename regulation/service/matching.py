"""Matching: the best candidate slots for a request, each explaining its rank.

Built on `agenda`'s public search (`agenda.search_free_slots`) and load count
(`agenda.count_booked_by_effector`), never its models.

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
distance does not count) starting within 3 hours, or, when that fills agenda's largest page (a
dense territory), within 10 km. A slot not read scores at least `first delay + km_minutes ×
radius` (farther) or the delay of `until` (later), so once the k-th best score is below both
bounds nothing else can enter the top k; else the region grows to what the k-th score asks for,
up to the deadline. (Only a territory so dense that 1,000 slots fill the region needed gets the
best of its earliest 1,000.) Every slot read first gets a base score without its load, a lower
bound; effectors' loads (`agenda.count_booked_by_effector`, one query per day and per week
concerned) and home-visit radii are read only for the slots whose base score could still enter
the top k, best first (`Matcher.ranked`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import FreeSlot, count_booked_by_effector, search_free_slots
from regulation.errors import RequestNotOpen
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
from regulation.service.directory import home_visit_radii
from regulation.service.needs import ConsultationKind, Need, need_of
from regulation.service.records import ENTITY, ensure_open, get_row
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import BusinessRuleError
from snp.settings import Settings, get_settings

PARIS = ZoneInfo("Europe/Paris")
VISIBLE_TO = ("SNP", "CPTS")  # the channels regulation books for
MAX_LIMIT = 50
PAGE = 1000  # agenda's largest page
DENSE_RADIUS_KM = 10.0
FIRST_WINDOW = timedelta(hours=3)  # slots read at first: starting within 3 hours
FIRST_BATCH = 200  # slots whose loads are read first (then all that may still enter)
NEXT_BATCH = 500
_NOT_GIVEN = object()
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


@dataclass(frozen=True, slots=True)
class Scored:
    """A slot that fits, with the terms of its score."""

    slot: FreeSlot
    kind: ConsultationKind
    distance_km: float | None
    delay: float  # minutes
    distance_cost: float
    load_day: int
    load_week: int
    load_cost: float

    @property
    def score(self) -> float:
        return self.delay + self.distance_cost + self.load_cost

    @property
    def order(self) -> tuple[float, datetime, int]:
        return (round(self.score, 6), self.slot.start_at, self.slot.id)


def top(scored: Iterable[Scored], limit: int, per_effector: int) -> list[Scored]:
    """The best `limit`, at most `per_effector` slots of one effector, best first."""
    best: dict[int, Scored] = {}
    for item in scored:  # one entry per slot: the kind that scores best
        known = best.get(item.slot.id)
        if known is None or item.order < known.order:
            best[item.slot.id] = item
    chosen: list[Scored] = []
    taken: dict[int, int] = {}
    for item in sorted(best.values(), key=lambda s: s.order):
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
    """Patients already given to effectors, per day and week (Europe/Paris), read in bulk."""

    def __init__(self, session: AsyncSession, weights: Weights) -> None:
        self.session = session
        self.by_day = weights.day_load_minutes > 0  # a count that weighs nothing is not read
        self.by_week = weights.week_load_minutes > 0
        self.day: dict[tuple[int, date], int] = {}
        self.week: dict[tuple[int, date], int] = {}

    async def ensure(self, slots: Iterable[FreeSlot]) -> None:
        days: dict[date, set[int]] = {}
        weeks: dict[date, set[int]] = {}
        for slot in slots:
            day = slot.start_at.astimezone(PARIS).date()
            effector = slot.effector.id
            if self.by_day and (effector, day) not in self.day:
                days.setdefault(day, set()).add(effector)
            if self.by_week and (effector, _monday(day)) not in self.week:
                weeks.setdefault(_monday(day), set()).add(effector)
        for day, ids in sorted(days.items()):
            counts = await count_booked_by_effector(self.session, ids, *_day_bounds(day))
            self.day.update(((e, day), n) for e, n in counts.items())
        for monday, ids in sorted(weeks.items()):
            counts = await count_booked_by_effector(self.session, ids, *_day_bounds(monday, 7))
            self.week.update(((e, monday), n) for e, n in counts.items())

    def of(self, slot: FreeSlot) -> tuple[int, int]:
        day = slot.start_at.astimezone(PARIS).date()
        effector = slot.effector.id
        return self.day.get((effector, day), 0), self.week.get((effector, _monday(day)), 0)


class Radii:
    """Home-visit radius of effectors (km; None: no home visits), read only for the slots
    offering a home visit that could enter the top.

    `agenda.FreeSlotEffector` does not carry the radius yet (asked of agenda): until it does,
    it is read from the effectors' profiles (`directory.home_visit_radii`); once it does, the
    search's own value is used and nothing more is read."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.default = settings.regulation_home_visit_default_radius_km
        self.known: dict[int, float | None] = {}

    def learn(self, slot: FreeSlot) -> None:
        """Take the radius from the search's result when agenda gives it."""
        effector = slot.effector
        given = getattr(effector, "home_visit_radius_km", _NOT_GIVEN)
        if given is not _NOT_GIVEN and effector.id not in self.known:
            radius = cast(float | None, given) or self.default
            self.known[effector.id] = radius if effector.home_visits else None

    async def ensure(self, effector_ids: Collection[int]) -> None:
        missing = set(effector_ids) - self.known.keys()
        if missing:
            self.known.update(await home_visit_radii(self.session, missing, self.default))

    def of(self, effector_id: int) -> float | None:
        return self.known.get(effector_id)


class Matcher:
    """One request's candidate search.

    Slots read are first scored without their effector's load (and, for a home visit, without
    checking the effector's radius): that base score is a lower bound. Loads and radii are then
    read only for the slots whose base score could still enter the top `limit`, best first, in
    batches, until the k-th score is below every base score left (`ranked`)."""

    def __init__(
        self, session: AsyncSession, need: Need, settings: Settings, now: datetime, limit: int
    ) -> None:
        self.session, self.need, self.settings, self.now = session, need, settings, now
        self.limit = limit
        self.per_effector = settings.regulation_match_per_effector
        self.weights = Weights.of(settings)
        self.loads = Loads(session, self.weights)
        self.completed: dict[tuple[int, str], Scored | None] = {}
        self.radii = Radii(session, settings)

    # -- scoring -------------------------------------------------------------------------------

    def minutes_until(self, moment: datetime) -> float:
        return (moment - self.now).total_seconds() / 60

    def fit(self, slot: FreeSlot, kinds: Sequence[ConsultationKind]) -> Scored | None:
        """The slot with its base score for the first of `kinds` it offers, or None."""
        minimum = slot.effector.min_patient_age_months
        if minimum is not None and self.need.age_months < minimum:
            return None
        kind = next((k for k in kinds if k in slot.kinds), None)
        if kind is None:
            return None
        distance = slot.distance_km
        if kind == "HH":
            if distance is None or not slot.effector.home_visits:
                return None
            self.radii.learn(slot)
        km = distance if distance is not None and kind != "VR" else 0.0
        return Scored(
            slot=slot,
            kind=kind,
            distance_km=distance,
            delay=self.minutes_until(slot.start_at),
            distance_cost=self.weights.km_minutes * km,
            load_day=0,
            load_week=0,
            load_cost=0.0,
        )

    def complete(self, item: Scored) -> Scored | None:
        """`item` with its load (read before), or None: a home visit beyond the radius."""
        key = (item.slot.id, item.kind)
        if key not in self.completed:
            self.completed[key] = self._complete(item)
        return self.completed[key]

    def _complete(self, item: Scored) -> Scored | None:
        if item.kind == "HH":
            radius = self.radii.of(item.slot.effector.id)
            if radius is None or item.distance_km is None or item.distance_km > radius:
                return None
        load_day, load_week = self.loads.of(item.slot)
        w = self.weights
        return dataclasses.replace(
            item,
            load_day=load_day,
            load_week=load_week,
            load_cost=w.day_load_minutes * load_day + w.week_load_minutes * load_week,
        )

    async def ranked(self, items: Iterable[Scored]) -> list[Scored]:
        """The best `limit` of `items` (base scores), exactly, reading few loads and radii:
        first those of the best `FIRST_BATCH` slots, then of every slot whose base score is
        still below the k-th score found (at most `NEXT_BATCH` at a time)."""
        pending = sorted(items, key=lambda s: s.order)
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
            await self.radii.ensure({s.slot.effector.id for s in batch if s.kind == "HH"})
            resolved += [full for s in batch if (full := self.complete(s)) is not None]
            best = top(resolved, self.limit, self.per_effector)
            size = NEXT_BATCH
        return best

    def base_kth(self, items: Iterable[Scored]) -> float:
        """A lower bound of the k-th score, without reading anything."""
        best = top(items, self.limit, self.per_effector)
        return best[-1].score if len(best) >= self.limit else math.inf

    async def kth(self, items: Sequence[Scored], bound: float) -> float:
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
        until = min(end, start + FIRST_WINDOW)
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
        """Every slot read in [start, end) that may fit, with its base score."""
        if end <= start:
            return []
        found: list[Scored] = []
        in_person = [k for k in self.need.kinds if k != "VR"]
        if in_person == ["HH"] and self.need.point is not None:  # a home visit needs the place
            max_km = min(
                self.settings.regulation_match_max_km, self.settings.regulation_home_visit_max_km
            )
            found += await self.gather(start, end, ["HH"], max_km=max_km, distance_counts=True)
        elif in_person == ["AMB"]:
            found += await self.gather(
                start,
                end,
                ["AMB"],
                max_km=self.settings.regulation_match_max_km,
                distance_counts=True,
            )
        if "VR" in self.need.kinds:
            found += await self.gather(
                start,
                end,
                ["VR"],
                max_km=self.settings.regulation_teleconsultation_max_km,
                distance_counts=False,
            )
        return found

    async def resolve(self, item: Scored) -> Scored | None:
        """One slot completed with its load (and radius check)."""
        await self.loads.ensure([item.slot])
        if item.kind == "HH":
            await self.radii.ensure([item.slot.effector.id])
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
        raise BusinessRuleError(
            "Triez la demande avant de chercher un créneau.", ("path", "request_id")
        )
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
    settings = settings or get_settings()
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

"""Indicator queries over the read model (never across packages).

The grouped counts come from `figures` (monthly rollups for whole months, rows for the rest);
they are folded into the dashboard here, in Python. Definitions (also the exports' and the
annual report's):

- Period: Paris calendar days; requests by day of receipt, consultations by day of the
  appointment, slots by day of the slot.
- National indicator: consultations registered = appointments whose outcome is `fulfilled`;
  growth = (this period - same period a year earlier) / same period a year earlier.
- Delays: whole minutes from the request's receipt, rounded up; "within 24 h" is <= 1440 min,
  i.e. a consultation exactly 24 h after the request counts. Percentiles use the nearest-rank
  method: the p-th percentile of n sorted values is the value of rank ceil(p * n) (1-based), so
  the median of an even count is the lower middle value.
- SNP fee: a fulfilled consultation of a regulated request (with a request), of a patient whose
  declared GP is not the effector, starting within 48 h (2880 min) of the request, and among the
  first `weekly_cap` such consultations of the effector in the Paris week (Monday-Sunday,
  by start time) counted over all their consultations whatever the other filters. The rank is
  stored on each consultation when written (`IndAppointment.fee_rank`), so eligible =
  candidates - those ranked over the cap.
- ED: requests sent by emergency departments handled in town (advice, slot, teleconsultation,
  pharmacist; a slot only when the patient was seen: no-shows and cancellations excluded);
  ED visits avoided = those + the other requests handled in town whose patient answered they
  would otherwise have gone to the emergency department (same exclusion).
- Consultations registered (national indicator, ACI indicator 5, the GPs' statements): by
  consultation date, never after today; "Demandes orientées vues en consultation" (delays)
  counts slot-oriented requests by request date: a different label for a different count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from indicators import labels, periods, rollups
from indicators.figures import Figures, collect
from indicators.models import MISSED_SQL, IndAppointment, IndAppointmentMonth, IndRequest
from indicators.periods import bucket, buckets, shift_year
from indicators.schemas import (
    Count,
    Dashboard,
    Delays,
    EffectorRow,
    EmergencyBlock,
    Filters,
    NationalIndicator,
    PeriodCount,
    RequestsBlock,
    Satisfaction,
    SlotsBlock,
    SnpFee,
    SupplyDemand,
    SupplyDemandRow,
)
from indicators.timeutil import paris
from snp.db import utcnow
from snp.settings import Settings, settings_of

MINUTES_24H = 24 * 60
MINUTES_48H = 48 * 60
TOWN_OUTCOMES = ("slot_booked", "medical_advice", "teleconsultation", "pharmacist")


# -- helpers ------------------------------------------------------------------------------------


def nearest_rank(
    histogram: Iterable[tuple[int, int]], numerator: int, denominator: int
) -> int | None:
    """The (numerator/denominator)-th percentile of values given as (value, count) pairs, by
    the nearest-rank method: the value of rank ceil(p * n) in ascending order."""
    pairs = sorted((v, c) for v, c in histogram if c > 0)
    total = sum(c for _, c in pairs)
    if total == 0:
        return None
    rank = max(1, -(-numerator * total // denominator))
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= rank:
            return value
    return pairs[-1][0]


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def growth(current: int, previous: int) -> float | None:
    return round(100 * (current - previous) / previous, 1) if previous else None


def _counts(table: dict[str, str], values: dict[str, int]) -> list[Count]:
    keys = [k for k in table if values.get(k)] + sorted(k for k in values if k not in table)
    return [Count(key=k, label=labels.label(table, k), count=values[k]) for k in keys]


# -- blocks -------------------------------------------------------------------------------------


async def fulfilled_by_day(
    session: AsyncSession, f: Filters, start: date, end: date
) -> Counter[date]:
    """Consultations registered per Paris day of [start, end] (whole months: their first day)."""
    out: Counter[date] = Counter()
    days: tuple[tuple[date, date], ...] = ((start, end),)
    if periods.uses_rollups(f):
        parts = periods.split_settled(start, end, paris(utcnow()).date())
        days = parts.days
        if parts.first_month is not None and parts.last_month is not None:
            m = IndAppointmentMonth
            statement = (
                select(m.month, func.sum(m.appointments))
                .where(
                    m.status == "fulfilled", m.month.between(parts.first_month, parts.last_month)
                )
                .group_by(m.month)
            )
            out.update({month: int(n) for month, n in await session.execute(statement)})
    a = IndAppointment
    for first, last in days:
        statement = (
            select(a.start_date, func.count())
            .where(a.status == "fulfilled", *periods.appointment_filters(f, first, last))
            .group_by(a.start_date)
        )
        out.update({day: n for day, n in await session.execute(statement)})
    return out


def _bucket_bounds(key_day: date, granularity: str) -> tuple[date, date]:
    """First and last day of the month, quarter or year holding `key_day`."""
    if granularity == "year":
        return date(key_day.year, 1, 1), date(key_day.year, 12, 31)
    first_month = key_day.month if granularity == "month" else (key_day.month - 1) // 3 * 3 + 1
    months = 1 if granularity == "month" else 3
    first = date(key_day.year, first_month, 1)
    following = date(
        first.year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1
    )
    return first, following - timedelta(days=1)


async def national_indicator(
    session: AsyncSession, f: Filters, today: date | None = None
) -> NationalIndicator:
    """Consultations registered by consultation date, never after today (a consultation dated
    in the future is not one yet), against the same days a year earlier: a partial period
    (cut by the filter, or running) is compared like with like, and flagged."""
    today = today or paris(utcnow()).date()
    until = max(f.start, min(f.end, today))
    counted_end = until if f.end > today else f.end
    previous_start, previous_end = shift_year(f.start, -1), shift_year(counted_end, -1)
    current: Counter[str] = Counter()
    previous: Counter[str] = Counter()
    if f.start <= today:
        for day, count in (await fulfilled_by_day(session, f, f.start, counted_end)).items():
            current[bucket(day, f.granularity)[0]] += count
    for day, count in (await fulfilled_by_day(session, f, previous_start, previous_end)).items():
        previous[bucket(shift_year(day, 1), f.granularity)[0]] += count
    periods_ = []
    for key, period_label in buckets(f.start, f.end, f.granularity):
        first, last = _bucket_bounds(_bucket_day(key, f.granularity), f.granularity)
        partial = first < f.start or last > f.end or last > today
        periods_.append(
            PeriodCount(
                period=key,
                label=period_label,
                consultations=current[key],
                previous_year=previous[key],
                growth_percent=growth(current[key], previous[key]),
                partial=partial,
            )
        )
    total, total_previous = sum(current.values()), sum(previous.values())
    return NationalIndicator(
        consultations=total,
        previous_year=total_previous,
        growth_percent=growth(total, total_previous),
        periods=periods_,
        data_until=min(f.end, today),
        partial=any(p.partial for p in periods_),
    )


def _bucket_day(key: str, granularity: str) -> date:
    if granularity == "month":
        return date(int(key[:4]), int(key[5:7]), 1)
    if granularity == "quarter":
        return date(int(key[:4]), (int(key[-1]) - 1) * 3 + 1, 1)
    return date(int(key), 1, 1)


def requests_block(f: Filters, agg: Figures) -> tuple[RequestsBlock, EmergencyBlock]:
    by_origin: dict[str, int] = defaultdict(int)
    by_channel: dict[str, int] = defaultdict(int)
    by_outcome: dict[str, int] = defaultdict(int)
    ed_referrals = ed_in_town = would_go = 0
    for (origin, channel, outcome, would_go_to_ed), count in agg.combos.items():
        by_origin[origin] += count
        by_channel[channel] += count
        by_outcome[outcome or "open"] += count
        in_town = outcome in TOWN_OUTCOMES
        if origin == "emergency_department":
            ed_referrals += count
            ed_in_town += count if in_town else 0
        elif in_town and would_go_to_ed:
            would_go += count
    per_bucket: dict[str, int] = defaultdict(int)
    for day, count in agg.request_days.items():
        per_bucket[bucket(day, f.granularity)[0]] += count
    by_period = [
        Count(key=key, label=period_label, count=per_bucket[key])
        for key, period_label in buckets(f.start, f.end, f.granularity)
    ]
    block = RequestsBlock(
        total=sum(by_origin.values()),
        by_origin=_counts(labels.ORIGINS, by_origin),
        by_channel=_counts(labels.CHANNELS, by_channel),
        by_outcome=_counts(labels.OUTCOMES, by_outcome),
        by_period=by_period,
    )
    emergency = EmergencyBlock(
        ed_referrals=ed_referrals,
        ed_referrals_handled_in_town=ed_in_town,
        would_have_gone_to_ed=would_go,
        ed_visits_avoided=ed_in_town + would_go,
    )
    return block, emergency


async def without_missed_consultations(
    session: AsyncSession, f: Filters, block: EmergencyBlock
) -> EmergencyBlock:
    """A request booked in a slot avoided an emergency visit only if the patient was seen:
    no-shows and cancelled appointments come off (few rows, through the index on outcome)."""
    r = IndRequest
    statement = (
        select(r.origin, func.count())
        .where(
            # Written as the partial index's predicate (constants, not parameters) so that
            # PostgreSQL reads that small index only.
            text(MISSED_SQL),
            (r.origin == "emergency_department") | r.would_go_to_ed.is_(True),
            *periods.request_filters(f, f.start, f.end),
        )
        .group_by(r.origin)
    )
    counts: Counter[bool] = Counter()
    for origin, n in await session.execute(statement):
        counts[origin == "emergency_department"] += int(n)
    in_town = block.ed_referrals_handled_in_town - counts.get(True, 0)
    would_go = block.would_have_gone_to_ed - counts.get(False, 0)
    return EmergencyBlock(
        ed_referrals=block.ed_referrals,
        ed_referrals_handled_in_town=in_town,
        would_have_gone_to_ed=would_go,
        ed_visits_avoided=in_town + would_go,
    )


def delays_block(agg: Figures) -> Delays:
    slot_requests = sum(agg.slot_requests.values())
    seen = [(m, c) for m, c in agg.slot_requests.items() if m is not None]
    within_24 = sum(c for m, c in seen if m <= MINUTES_24H)
    within_48 = sum(c for m, c in seen if m <= MINUTES_48H)
    return Delays(
        slot_requests=slot_requests,
        consulted=sum(c for _, c in seen),
        within_24h=within_24,
        within_48h=within_48,
        share_24h_percent=percent(within_24, slot_requests),
        share_48h_percent=percent(within_48, slot_requests),
        median_minutes=nearest_rank(seen, 1, 2),
        p90_minutes=nearest_rank(seen, 9, 10),
        callbacks=sum(agg.callbacks.values()),
        callback_median_minutes=nearest_rank(agg.callbacks.items(), 1, 2),
        callback_p90_minutes=nearest_rank(agg.callbacks.items(), 9, 10),
    )


async def over_cap(session: AsyncSession, f: Filters, weekly_cap: int) -> Counter[int]:
    """Fee candidates ranked over the weekly cap, per effector: rare, found through the index
    on `fee_rank`."""
    a = IndAppointment
    statement = (
        select(a.effector_id, func.count())
        .where(a.fee_rank > weekly_cap, *periods.appointment_filters(f, f.start, f.end))
        .group_by(a.effector_id)
    )
    return Counter({effector_id: n for effector_id, n in await session.execute(statement)})


def snp_fee(agg: Figures, over: Counter[int], weekly_cap: int) -> tuple[SnpFee, dict[int, int]]:
    by_effector = {e: v[4] - over[e] for e, v in agg.effectors.items() if v[4] - over[e] > 0}
    eligible = sum(by_effector.values())
    fulfilled = sum(agg.fulfilled_fee_class.values())
    own, candidates = agg.fulfilled_fee_class["own"], agg.fulfilled_fee_class["candidate"]
    fee = SnpFee(
        weekly_cap=weekly_cap,
        fulfilled=fulfilled,
        eligible=eligible,
        not_eligible_own_patient=own,
        not_eligible_delay=fulfilled - own - candidates,
        not_eligible_cap=candidates - eligible,
    )
    return fee, by_effector


async def effector_rows(
    session: AsyncSession, agg: Figures, fee_by: dict[int, int]
) -> list[EffectorRow]:
    names = await agenda.effector_names(session, sorted(agg.effectors))
    rows = [
        EffectorRow(
            effector_id=e,
            name=names.get(e, f"Effecteur {e}"),
            offered=v[5],
            booked=v[1],
            seen=v[2],
            noshows=v[3],
            snp_fee_eligible=fee_by.get(e, 0),
        )
        for e, v in sorted(agg.effectors.items())
    ]
    rows.sort(key=lambda r: (-r.seen, r.name))
    return rows


def slots_block(agg: Figures) -> SlotsBlock:
    by_status = agg.statuses
    offered = sum(v[0] for v in agg.supply_hours.values())
    booked_now = sum(v[1] for v in agg.supply_hours.values())
    by_effector = agg.effectors.values()
    fulfilled, noshow = by_status["fulfilled"], by_status["noshow"]
    return SlotsBlock(
        offered=offered,
        offered_recurring=sum(v[6] for v in by_effector),
        offered_imported=sum(v[7] for v in by_effector),
        booked_now=booked_now,
        free=sum(v[2] for v in agg.supply_hours.values()),
        appointments=sum(by_status.values()),
        fulfilled=fulfilled,
        noshow=noshow,
        cancelled=by_status["cancelled"],
        rescheduled=by_status["rescheduled"],
        pending=by_status["booked"],
        fill_rate_percent=percent(booked_now, offered),
        noshow_rate_percent=percent(noshow, fulfilled + noshow),
        sent_to_ed=agg.fulfilled_after_care["emergency"],
        hospitalised=agg.fulfilled_after_care["hospitalised"],
        by_status=_counts(labels.APPOINTMENT_STATUSES, {k: v for k, v in by_status.items() if v}),
    )


def supply_demand_block(agg: Figures) -> SupplyDemand:
    hours: dict[int, list[int]] = {h: [0, 0, 0] for h in range(24)}
    communes: dict[str, list[int]] = {}
    for hour, count in agg.request_hours.items():
        hours.setdefault(hour, [0, 0, 0])[0] += count
    for commune, count in agg.request_communes.items():
        communes.setdefault(commune or "?", [0, 0, 0])[0] += count
    for hour, (o, _, fr) in agg.supply_hours.items():
        hours.setdefault(hour, [0, 0, 0])
        hours[hour][1] += o
        hours[hour][2] += fr
    for commune, (o, _, fr) in agg.supply_communes.items():
        communes.setdefault(commune, [0, 0, 0])
        communes[commune][1] += o
        communes[commune][2] += fr
    return SupplyDemand(
        by_hour=[
            SupplyDemandRow(key=str(h), label=f"{h:02d} h", requests=r, offered=o, free=fr)
            for h, (r, o, fr) in sorted(hours.items())
        ],
        by_commune=[
            SupplyDemandRow(
                key=c, label=c if c != "?" else "Non renseignée", requests=r, offered=o, free=fr
            )
            for c, (r, o, fr) in sorted(communes.items())
        ],
    )


def satisfaction_block(agg: Figures) -> Satisfaction:
    scores = agg.satisfaction
    answers = sum(scores.values())
    return Satisfaction(
        answers=answers,
        average=round(sum(s * c for s, c in scores.items()) / answers, 2) if answers else None,
        distribution=[
            Count(key=str(s), label=f"{s}/5", count=int(scores.get(s, 0))) for s in range(1, 6)
        ],
    )


async def compute_dashboard(
    session: AsyncSession, filters: Filters, settings: Settings | None = None
) -> Dashboard:
    """Every indicator of the dashboard for these filters, from the read model."""
    await rollups.flush(session)  # this transaction's own writes, if any
    settings = settings or settings_of(session)
    cap = settings.snp_fee_weekly_cap
    national = await national_indicator(session, filters)
    agg = await collect(session, filters)
    requests, emergency = requests_block(filters, agg)
    emergency = await without_missed_consultations(session, filters, emergency)
    fee, fee_by = snp_fee(agg, await over_cap(session, filters, cap), cap)
    return Dashboard(
        filters=filters,
        computed_at=utcnow(),
        national=national,
        requests=requests,
        delays=delays_block(agg),
        slots=slots_block(agg),
        effectors=await effector_rows(session, agg, fee_by),
        emergency=emergency,
        supply_demand=supply_demand_block(agg),
        snp_fee=fee,
        satisfaction=satisfaction_block(agg),
    )

"""The ACI indicators this platform computes itself, over a contract year up to a day, from the
dashboard's figures (one definition per label: see `queries`):

- `snp_consultations` (national indicator 5): consultations registered, i.e. appointments
  recorded as seen, counted by their Paris consultation date, never after the day counted;
- `ed_visits_avoided`: emergency visits avoided (estimate, see `queries`);
- `share_seen_24h`: share (%) of the slot-oriented requests seen within 24 h;
- `requests_handled`: requests received (any origin and channel), by date of receipt;
- `slots_offered`: SNP slots offered in the agendas, by slot date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from indicators import rollups
from indicators.queries import compute_dashboard, fulfilled_by_day
from indicators.schemas import Filters

COUNT_METRICS = frozenset(
    {"snp_consultations", "ed_visits_avoided", "requests_handled", "slots_offered"}
)


async def platform_values(
    session: AsyncSession, start: date, until: date, metrics: Iterable[str]
) -> dict[str, float]:
    wanted = set(metrics)
    if not wanted:
        return {}
    f = Filters(start=start, end=until, granularity="year")
    if wanted == {"snp_consultations"}:  # the usual contract: only the monthly rollups are read
        await rollups.flush(session)
        return {
            "snp_consultations": float(
                sum((await fulfilled_by_day(session, f, start, until)).values())
            )
        }
    d = await compute_dashboard(session, f)
    values: dict[str, float | None] = {
        "snp_consultations": d.national.consultations,
        "ed_visits_avoided": d.emergency.ed_visits_avoided,
        "share_seen_24h": d.delays.share_24h_percent,
        "requests_handled": d.requests.total,
        "slots_offered": d.slots.offered,
    }
    return {k: float(v) for k, v in values.items() if k in wanted and v is not None}

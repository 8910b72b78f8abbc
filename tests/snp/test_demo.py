"""The demo territory is valid, deterministic and can be loaded any number of times."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector, Site
from composition import demo
from snp.auth.models import User
from snp.auth.roles import Role
from snp.auth.service import verify_password
from snp.db import Database
from snp.identifiers import parse_finess, parse_mobile_phone, parse_rpps
from snp.kit import PARIS
from snp.territory.models import Commune
from telephony.models import CallbackTask, PhoneCall
from tests.factories import login


def test_the_demo_data_is_deterministic_and_valid() -> None:
    first, second = demo.demo_effectors(), demo.demo_effectors()
    assert first == second
    assert len(first) == 30
    assert len({e.rpps for e in first}) == 30
    for effector in first:
        assert parse_rpps(effector.rpps) == effector.rpps
        assert parse_mobile_phone(effector.phone) == effector.phone
        assert effector.sites
        for site in effector.sites:
            assert site.structure_id is not None
            assert parse_finess(site.structure_id[1:])
    assert parse_finess(demo.CPTS_FINESS) == demo.CPTS_FINESS
    codes = {c.insee_code for c in demo.COMMUNES}
    assert len(codes) == len(demo.COMMUNES) >= 10
    assert {s.insee_code for e in first for s in e.sites} <= codes


async def _counts(session: AsyncSession) -> tuple[int, ...]:
    counts = []
    for model in (User, Commune, Effector, Site):
        counts.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return tuple(counts)


async def test_loading_twice_changes_nothing_and_gives_one_account_per_role(
    database: Database,
) -> None:
    async with database.transaction() as session:
        await demo.load(session)
    async with database.sessionmaker() as session:
        first = await _counts(session)
    async with database.transaction() as session:
        await demo.load(session)
    async with database.sessionmaker() as session:
        assert await _counts(session) == first
        users = (await session.scalars(select(User))).all()
        linked = await session.scalar(select(Effector).where(Effector.user_id.is_not(None)))
    assert Counter(u.role for u in users) == Counter(r.value for r in Role)
    assert all(verify_password(u.password_hash, demo.DEMO_PASSWORD) for u in users)
    assert first[1:] == (12, 30, first[3])
    effector_account = next(u for u in users if u.role == Role.EFFECTOR)
    assert linked is not None
    assert linked.user_id == effector_account.id


async def test_the_demo_phone_line_has_a_plausible_call_history(
    database: Database, client: httpx.AsyncClient
) -> None:
    async with database.transaction() as session:
        await demo.load(session)
    async with database.sessionmaker() as session:
        calls = int(await session.scalar(select(func.count()).select_from(PhoneCall)) or 0)
        tasks = int(await session.scalar(select(func.count()).select_from(CallbackTask)) or 0)
        numbers = set(await session.scalars(select(PhoneCall.from_number)))
    async with database.transaction() as session:
        await demo.load(session)  # rewritten, not added to
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PhoneCall)) == calls
        assert await session.scalar(select(func.count()).select_from(CallbackTask)) == tasks
    assert all(n.startswith("+3326191") for n in numbers)  # the range reserved for fiction

    await login(client, "coordination@demo.cpts-snp.fr", demo.DEMO_PASSWORD)
    today = datetime.now(PARIS).date()
    response = await client.get(
        "/api/indicators/calls",
        params={"start": str(today - timedelta(days=28)), "end": str(today)},
    )
    assert response.status_code == 200, response.text
    figures = response.json()
    # Four weeks of a CPTS line: a few hundred calls, nearly all while the line is open.
    assert 250 <= figures["received"] <= 800
    assert 0 < figures["out_of_hours"] < figures["received"] * 0.15
    assert figures["answered"] > figures["in_hours"] * 0.85
    assert 0.8 <= figures["answered_within_60s_rate"] < 1
    assert 0.02 <= figures["abandonment_rate"] <= 0.15
    assert 30 <= figures["mean_wait_seconds"] <= 60
    assert figures["became_requests"] > figures["answered"] / 2
    # Office hours and weekdays: nobody calls at night, Sunday is the quietest day.
    assert sum(figures["by_hour"][0:7]) == 0
    assert figures["by_hour"][9] > figures["by_hour"][13]
    assert figures["by_weekday"][6] < min(figures["by_weekday"][0:5]) / 3
    # The missed callers became callback tasks, called back within hours by the operator.
    assert figures["missed_called_back"] >= figures["abandoned"] > 0
    assert figures["missed_still_open"] == 0
    assert 5 <= figures["mean_callback_delay_minutes"] <= 24 * 60
    assert figures["callbacks_reached"] > 0
    [operator] = figures["per_operator"]
    assert operator["name"] == "Camille Opératrice"
    assert operator["answered"] == figures["answered"]

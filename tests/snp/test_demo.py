"""The demo territory is valid, deterministic and can be loaded any number of times."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector, Site
from composition import demo
from snp.auth.models import User
from snp.auth.roles import Role
from snp.auth.service import verify_password
from snp.db import Database
from snp.identifiers import parse_finess, parse_mobile_phone, parse_rpps
from snp.territory.models import Commune


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

"""What the SAS sees of changed hours on one date: the pattern's slots of that date leave its
search, the new hours' slots come in (nothing special: they are slots like the others)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agenda.service import overrides
from snp import territory
from snp.kit import PARIS
from tests.agenda.slot_factories import create_effector, in_days
from tests.agenda.supply_helpers import COORDINATOR, HORIZON, every_day_14_15
from tests.agenda.test_date_overrides import morning
from tests.sas.conftest import CPTS_FINESS, period
from tests.sas.fake_platform import PlatformDriver
from tests.sas.test_search import ident, resources


async def test_the_sas_search_follows_the_changed_hours(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    await territory.set_cpts(
        session, name="CPTS du Pays de Redon", finess=CPTS_FINESS, phone="02 99 00 00 00"
    )
    effector = await create_effector(session, family_name="Martin")
    await every_day_14_15(session, effector)

    async def starts_on_day_2() -> list[str]:
        start, end = period(2, 2)
        response = await driver.search_slots([ident(effector)], start, end)
        assert response.status_code == 200, response.text
        return sorted(s["start"] for s in resources(response.json(), "Slot"))

    def at(hour: int, minute: int = 0) -> str:
        return in_days(2, hour, minute).astimezone(PARIS).isoformat(timespec="seconds")

    assert await starts_on_day_2() == [at(14), at(14, 20), at(14, 40)]

    await overrides.create_override(
        session, COORDINATOR, morning(effector, 2, (9, 10), slot_minutes=30), horizon_days=HORIZON
    )
    await session.commit()

    assert await starts_on_day_2() == [at(9), at(9, 30)]

"""A SAS appointment moved by the GP or an operator reaches the platform as a PUT of the same
appointment with the new times (the platform never keeps a time that no longer holds)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from sas import client as sas_client
from snp.actor import Actor
from snp.auth.roles import Role
from tests.agenda.slot_factories import create_slot, in_days
from tests.sas.fake_platform import FakeSasPlatform, PlatformDriver
from tests.sas.test_outbox import book_as_regulator, regulator_logged_in


async def test_a_moved_sas_appointment_is_put_with_its_new_times(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    later = await create_slot(session, booked.effector, in_days(2, 16))
    operator = Actor(user_id=None, email="operator@test", role=Role.OPERATOR)

    await agenda.move_appointment(
        session, booked.appointment_id, later.id, actor=operator, reason="Demande du patient"
    )
    await session.commit()
    async with sas_client.http_client(app.state.settings) as http:
        await sas_client.dispatch_until_idle(app.state.db.sessionmaker, http, app.state.settings)

    assert [p.method for p in sas_platform.received] == ["POST", "PUT"]
    assert sas_platform.statuses(booked.appointment_id) == ["booked", "booked"]
    assert sas_platform.creations == 1
    current = sas_platform.appointments[booked.appointment_id]
    assert current["start"] == in_days(2, 16).isoformat(timespec="seconds")

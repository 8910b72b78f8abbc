"""A booking made by a SAS regulator keeps the patient's age band (from the birth date the SAS
booking form asks for), so the indicators' age-band figures count SAS bookings too."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.roles import Role
from snp.db import utcnow
from tests.agenda.slot_factories import create_effector, create_slot, in_days
from tests.factories import logged_in_as
from tests.sas.test_booking_api import booking, ready_regulator


async def test_a_sas_booking_records_the_patients_age_band(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session, family_name="Martin")
    slots = [await create_slot(session, effector, in_days(1, hour)) for hour in (9, 10)]
    await ready_regulator(client, session)
    today = utcnow().date()
    births = {slots[0].id: "1940-02-01", slots[1].id: str(today - timedelta(days=400))}
    for slot_id, birth_date in births.items():
        body = booking(slot_id)
        body["patient"]["birth_date"] = birth_date
        booked = await client.post(f"/api/sas/effectors/{effector.id}/bookings", json=body)
        assert booked.status_code == 201, booked.text

    await logged_in_as(client, session, Role.COORDINATOR)
    period = {"start": str(date(today.year, 1, 1)), "end": str(today + timedelta(days=1))}
    records = await client.get("/api/indicators/records", params=period | {"origin": "sas"})
    assert records.status_code == 200, records.text
    assert sorted(r["age_band"] for r in records.json()["items"]) == ["elderly", "infant"]
    exported = await client.get(
        "/api/indicators/export.csv", params=period | {"origin": "sas", "table": "records"}
    )
    assert exported.status_code == 200, exported.text
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    cells = {cell for row in rows[1:] for cell in row}
    assert {"Personne de 75 ans et plus", "Nourrisson de 3 mois à 2 ans"} <= cells

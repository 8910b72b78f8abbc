"""Figures that agree, each inconsistency found in the dashboard with its test: consultations
dated in the future do not count, partial periods are flagged and compared with the same days a
year earlier, "passages aux urgences évités" excludes no-shows and cancellations, and the
exports speak French (age bands, file names) with real dates in XLSX."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import httpx
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from indicators.queries import compute_dashboard
from indicators.schemas import Filters
from indicators.sync import appointment_values, request_values, write_appointment, write_request
from snp.auth.roles import Role
from snp.kit import PARIS
from tests.factories import logged_in_as
from tests.indicators import dataset
from tests.indicators.dataset import REDON, Appt, Req


async def add(session: AsyncSession, *requests: Req) -> None:
    for r in requests:
        facts = dataset._request_facts(r)
        appt = None
        if r.appt:
            appt = dataset._appointment_facts(dataset.appointment_id(r.id), r.id, r.appt, r.origin)
        await write_request(session, r.id, request_values(facts, appt))
        if appt is not None:
            await write_appointment(session, appt.appointment_id, appointment_values(appt, facts))
    await session.commit()


def this_year() -> Filters:
    today = datetime.now(PARIS).date()
    return Filters(start=date(today.year, 1, 1), end=date(today.year, 12, 31))


async def test_a_consultation_dated_in_the_future_is_not_counted(session: AsyncSession) -> None:
    await dataset.load(session)
    await session.commit()
    before = await compute_dashboard(session, this_year())
    now = datetime.now(PARIS).replace(second=0, microsecond=0)
    tomorrow = now + timedelta(days=1)
    await add(session, Req(900, now, "patient_call", REDON, "slot_booked", Appt(1, tomorrow)))
    after = await compute_dashboard(session, this_year())
    assert after.national.consultations == before.national.consultations
    assert after.national.data_until == now.date()
    # Every table agrees: not a patient seen, nor a consultation for the SNP fee.
    assert after.slots.fulfilled == before.slots.fulfilled
    assert after.snp_fee.fulfilled == before.snp_fee.fulfilled
    assert sum(e.seen for e in after.effectors) == sum(e.seen for e in before.effectors)


async def test_partial_periods_are_flagged_and_compared_on_the_same_days(
    session: AsyncSession,
) -> None:
    await dataset.load(session)
    await session.commit()
    today = datetime.now(PARIS).date()
    national = (await compute_dashboard(session, this_year())).national
    assert national.partial  # the year is running
    current = next(p for p in national.periods if p.period == f"{today.year}-{today.month:02d}")
    assert current.partial
    past = [p for p in national.periods if p.period < f"{today.year}-{today.month:02d}"]
    assert past
    assert not any(p.partial for p in past)
    # A month cut by the filter is partial too.
    cut = Filters(start=date(2026, 1, 10), end=date(2026, 1, 31))
    assert (await compute_dashboard(session, cut)).national.periods[0].partial


async def test_emergency_visits_avoided_exclude_no_shows_and_cancellations(
    session: AsyncSession,
) -> None:
    await dataset.load(session)
    await session.commit()
    f = Filters(start=date(2026, 1, 1), end=date(2026, 11, 30))
    before = (await compute_dashboard(session, f)).emergency
    when = datetime(2026, 2, 3, 9, tzinfo=PARIS)
    await add(
        session,
        # Sent by the emergency department, booked, did not come.
        Req(
            901,
            when,
            "emergency_department",
            REDON,
            "slot_booked",
            Appt(1, when + timedelta(hours=3), "noshow"),
        ),
        # Would have gone to the ED, booked, then cancelled.
        Req(
            902,
            when,
            "patient_call",
            REDON,
            "slot_booked",
            Appt(2, when + timedelta(hours=4), "cancelled"),
            would_go=True,
        ),
        # Would have gone to the ED, booked and seen: one visit avoided.
        Req(
            903,
            when,
            "patient_call",
            REDON,
            "slot_booked",
            Appt(3, when + timedelta(hours=5)),
            would_go=True,
        ),
    )
    after = (await compute_dashboard(session, f)).emergency
    assert after.ed_referrals == before.ed_referrals + 1
    assert after.ed_referrals_handled_in_town == before.ed_referrals_handled_in_town
    assert after.ed_visits_avoided == before.ed_visits_avoided + 1


async def test_exports_speak_french_and_xlsx_dates_are_dates(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    params = {"start": "2026-01-01", "end": "2026-01-31", "table": "records"}
    response = await client.get("/api/indicators/export.xlsx", params=params)
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert (
        'filename="indicateurs-demandes-pseudonymisees-2026-01-01-2026-01-31.xlsx"' in disposition
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert isinstance(first["Reçue le"], datetime)
    assert first["Reçue le"].strftime("%d/%m/%Y %H:%M") == "05/01/2026 09:00"  # Paris time
    assert first["Tranche d'âge"] == "Adulte de 15 à 75 ans"
    national = await client.get(
        "/api/indicators/export.xlsx", params=params | {"table": "national"}
    )
    notes = load_workbook(io.BytesIO(national.content))["Définitions"]
    definitions = {row[0]: row[1] for row in notes.iter_rows(min_row=2, values_only=True)}
    assert "par date de consultation" in str(definitions["Consultations"])
    csv_text = (await client.get("/api/indicators/export.csv", params=params)).content.decode(
        "utf-8-sig"
    )
    assert "05/01/2026 09:00" in csv_text


def test_every_exported_table_states_what_it_counts() -> None:
    from indicators.exports import DEFINITIONS, TABLES

    assert set(DEFINITIONS) == set(TABLES)
    assert all(DEFINITIONS[t] for t in TABLES)


async def test_consultations_count_the_same_in_every_table_by_consultation_date(
    session: AsyncSession,
) -> None:
    """Found: "Consultations réalisées" 114 in one table and 110 in another for the same month
    (one counted by request date, the other by consultation date). A request received on the
    last evening of a month and seen the next morning counts in the next month everywhere."""
    await dataset.load(session)
    await session.commit()
    march, april = (
        Filters(start=date(2026, 3, 1), end=date(2026, 3, 31)),
        Filters(start=date(2026, 4, 1), end=date(2026, 4, 30)),
    )
    before = [await compute_dashboard(session, f) for f in (march, april)]
    received = datetime(2026, 3, 31, 22, tzinfo=PARIS)
    seen = Appt(1, datetime(2026, 4, 1, 9, tzinfo=PARIS))
    await add(session, Req(904, received, "patient_call", REDON, "slot_booked", seen))
    after = [await compute_dashboard(session, f) for f in (march, april)]
    for month, (old, new) in enumerate(zip(before, after, strict=True)):
        added = [0, 1][month]  # counted in April, the consultation's month, not in March
        assert new.national.consultations == old.national.consultations + added
        assert new.slots.fulfilled == old.slots.fulfilled + added
        assert sum(e.seen for e in new.effectors) == sum(e.seen for e in old.effectors) + added
        # The same label, the same figure, in every table of the dashboard.
        seen_by_effectors = sum(e.seen for e in new.effectors)
        assert new.national.consultations == new.slots.fulfilled == seen_by_effectors
    # ... and through the per-row path (a filter) as through the monthly rollups.
    by_effector = await compute_dashboard(session, april.model_copy(update={"effector_id": 1}))
    (row,) = [e for e in after[1].effectors if e.effector_id == 1]
    assert by_effector.slots.fulfilled == row.seen

"""Inputs that used to make 500s: each is now a clear 4xx, decided at the edge in one place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.roles import Role
from snp.deps import public
from tests.factories import logged_in_as

HUGE = [2**31, 2**63, 2**64 + 1]
OUT_OF_RANGE = "Date hors limites (années 1000 à 2999)."


def messages(response: httpx.Response) -> list[tuple[list[object], str]]:
    return [(d["loc"], d["msg"]) for d in response.json()["detail"]]


@pytest.mark.parametrize("value", HUGE)
async def test_ids_beyond_32_bits_in_a_path_are_unknown(
    client: httpx.AsyncClient, session: AsyncSession, value: int
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    for path in (
        f"/api/agenda/effectors/{value}",
        f"/api/regulation/requests/{value}",
        f"/api/agenda/slots/{value}/hold",
    ):
        method = "POST" if path.endswith("hold") else "GET"
        response = await client.request(method, path)
        assert response.status_code == 404, (path, response.text)


async def test_integers_beyond_32_bits_in_a_query_or_a_body_are_refused_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    query = await client.get("/api/notifications/broadcasts", params={"request_id": 2**63})
    assert query.status_code == 422
    assert messages(query) == [
        (["query", "request_id"], "Doit être inférieur ou égal à 2147483647.")
    ]
    body = await client.post(
        "/api/agenda/slots",
        json={
            "site_id": 2**63,
            "start_at": "2030-01-01T10:00:00+01:00",
            "end_at": "2030-01-01T10:20:00+01:00",
        },
    )
    assert body.status_code == 422
    assert messages(body) == [(["body", "site_id"], "Nombre hors limites (au plus 2147483647).")]


async def test_nul_bytes_are_refused_in_bodies_queries_and_paths(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    assert (await client.get("/assets/%00")).status_code == 404  # no login needed
    assert (await client.get("/assets/x%00.js")).status_code == 404
    await logged_in_as(client, session, Role.OPERATOR)
    body = await client.post(
        "/api/regulation/requests", json={"family_name": "Du\x00pont", "given_name": "Marie"}
    )
    assert body.status_code == 422
    assert messages(body) == [(["body", "family_name"], "Caractère nul interdit dans un texte.")]
    query = await client.get("/api/agenda/effectors", params={"q": "a\x00b"})
    assert query.status_code == 422
    assert messages(query) == [(["query", "q"], "Caractère nul interdit dans un texte.")]
    form = await client.post(
        "/api/notifications/twilio/inbound", data={"From": "+33612345678", "Body": "OUI\x00"}
    )
    assert form.status_code == 422


async def test_a_csv_that_is_neither_utf8_nor_windows_1252_is_refused_clearly(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    data = "rpps,family_name\n10000000009,Dupont\x81\n".encode("latin-1")
    response = await client.post(
        "/api/agenda/effectors/import", files={"file": ("annuaire.csv", data, "text/csv")}
    )
    assert response.status_code == 422
    [(loc, msg)] = messages(response)
    assert loc == ["file"]
    assert msg.startswith("Fichier illisible : octet 0x81 en position 36")


def paris_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


async def test_absurd_dates_are_refused_with_clear_messages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    year_9999 = await client.post(
        "/api/agenda/slots",
        json={
            "site_id": 1,
            "start_at": "9999-01-01T10:00:00+01:00",
            "end_at": "9999-01-01T10:20:00+01:00",
        },
    )
    assert year_9999.status_code == 422
    assert messages(year_9999)[0] == (
        ["body", "start_at"],
        "Date hors limites (années 1000 à 2999).",
    )
    in_2100 = await client.post(
        "/api/agenda/slots",
        json={
            "site_id": 1,
            "start_at": "2100-01-01T10:00:00+01:00",
            "end_at": "2100-01-01T10:20:00+01:00",
        },
    )
    assert in_2100.status_code == 422
    assert messages(in_2100)[0] == (
        ["body", "start_at"],
        "L'horaire du créneau est trop loin dans l'avenir (au plus 3660 jours).",
    )
    long_slot = await client.post(
        "/api/agenda/slots",
        json={
            "site_id": 1,
            "start_at": paris_iso(soon),
            "end_at": paris_iso(soon + timedelta(days=59)),
        },
    )
    assert long_slot.status_code == 422
    assert messages(long_slot) == [(["body", "end_at"], "Un créneau dure au plus 24 heures.")]
    absence = await client.post(
        "/api/agenda/absences",
        json={"effector_id": 1, "start_date": "2026-12-24", "end_date": "9999-12-31"},
    )
    assert absence.status_code == 422
    assert messages(absence)[0][0] == ["body", "end_date"]
    callback = await client.post(
        "/api/regulation/requests",
        json={
            "family_name": "Dupont",
            "given_name": "Marie",
            "birth_date": "1986-03-14",
            "sex": "female",
            "phone": "06 12 34 56 78",
            "callback_at": "1970-01-01T10:00:00+01:00",
        },
    )
    assert callback.status_code == 422
    assert messages(callback) == [
        (["body", "callback_at"], "L'heure de rappel est trop loin dans le passé.")
    ]


async def test_an_unexpected_error_is_a_json_500_that_keeps_the_connection(app: FastAPI) -> None:
    @app.get("/api/test-broken", dependencies=[Depends(public)])
    async def broken() -> None:
        raise RuntimeError("bug")

    app.router.routes.insert(0, app.router.routes.pop())  # before the web UI's catch-all

    # Not re-raised to the server (uvicorn closes a keep-alive connection on a raised error).
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/test-broken")
        assert response.status_code == 500
        assert response.json()["detail"][0]["msg"].startswith("Erreur interne du serveur")
        assert (await client.get("/healthz")).status_code == 200


async def test_repeated_integer_query_values_and_naive_search_times_are_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    window = {"start": "2030-01-01T00:00:00+01:00", "end": "2030-01-02T00:00:00+01:00"}
    huge = await client.get(
        "/api/agenda/slots/free", params={**window, "effector_id": ["1", str(2**40)]}
    )
    assert huge.status_code == 422
    assert messages(huge)[0][0] == ["query", "effector_id"]
    naive = await client.get(
        "/api/agenda/slots/free",
        params={"start": "2030-01-01T00:00:00", "end": "2030-01-02T00:00:00"},
    )
    assert naive.status_code == 422
    far = await client.get(
        "/api/agenda/slots/free",
        params={"start": "0001-01-01T00:00:00+01:00", "end": "9999-12-31T23:59:59-01:00"},
    )
    assert far.status_code == 422
    assert messages(far) == [
        (["query", "start"], OUT_OF_RANGE),
        (["query", "end"], OUT_OF_RANGE),
    ]


async def test_a_csv_with_a_stray_carriage_return_is_a_line_error_not_a_crash(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.post(
        "/api/agenda/effectors/import",
        files={"file": ("annuaire.csv", b"\r\xc3\x87Sc[}", "text/csv")},
    )
    assert response.status_code == 422

import httpx


async def test_healthz_reports_the_database(client: httpx.AsyncClient, db_url: str) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["dialect"] == ("postgresql" if db_url.startswith("postgresql") else "sqlite")

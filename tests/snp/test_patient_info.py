"""The public patient information notice: open without login, names the CPTS and says how
long identity data is kept and how to exercise one's rights."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from snp import territory
from snp.identifiers import finess_with_check_digit


async def test_the_notice_is_public_and_tells_the_retention_and_the_rights(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await territory.set_cpts(
        session,
        name="CPTS <Pays de Redon>",
        finess=finess_with_check_digit("35000917"),
        phone="02 99 00 00 00",
    )
    await session.commit()
    page = await client.get("/informations-patients")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "CPTS &lt;Pays de Redon&gt;" in text  # escaped
    assert "effacés 12 mois après" in text
    assert "Répondez STOP" in text
    assert "02 99 00 00 00" in text
    assert "<script" not in text

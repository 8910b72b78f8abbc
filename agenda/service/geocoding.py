"""Refining the sites placed at their commune's centre (`position_approximate`) with a geocoder.

`SNP_GEOCODER=ban`: the Base Adresse Nationale's batch endpoint (`/search/csv/`, URL in
`SNP_GEOCODER_URL`) receives a CSV of addresses (`columns` = the address parts, `postcode` and
`citycode` to stay in the right commune) and answers the same rows with `latitude`,
`longitude`, `result_score`. A result at or above `SNP_GEOCODER_MIN_SCORE` replaces the
commune's centre and clears the flag; the others stay approximate (and say so).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass

import httpx
from sqlalchemy import select

from agenda.errors import GeocoderFailed
from agenda.models import Site
from snp.db import Database
from snp.settings import Settings

log = logging.getLogger(__name__)

BATCH_SITES = 1000


@dataclass(frozen=True, slots=True)
class GeocoderOptions:
    url: str
    timeout_seconds: float
    min_score: float

    @classmethod
    def from_settings(cls, settings: Settings) -> GeocoderOptions:
        return cls(
            settings.geocoder_url, settings.geocoder_timeout_seconds, settings.geocoder_min_score
        )


@dataclass(frozen=True, slots=True)
class Position:
    latitude: float
    longitude: float
    score: float


def _request_csv(sites: list[tuple[int, str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["site_id", "adresse", "postcode", "citycode"])
    writer.writerows(sites)
    return out.getvalue().encode("utf-8")


async def geocode(
    client: httpx.AsyncClient, options: GeocoderOptions, sites: list[tuple[int, str, str, str]]
) -> dict[int, Position]:
    """One batch (site id, address line, postal code, INSEE code) -> positions found."""
    try:
        response = await client.post(
            options.url,
            files={"data": ("adresses.csv", _request_csv(sites), "text/csv")},
            data={"columns": "adresse", "postcode": "postcode", "citycode": "citycode"},
            timeout=options.timeout_seconds,
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise GeocoderFailed(
            f"Géocodeur injoignable ou en erreur : {type(exc).__name__}."
        ) from None
    found: dict[int, Position] = {}
    for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))):
        try:
            position = Position(
                float(row["latitude"]), float(row["longitude"]), float(row["result_score"])
            )
            site_id = int(row["site_id"])
        except (KeyError, TypeError, ValueError):
            continue  # no result for this address: it stays approximate
        if position.score >= options.min_score:
            found[site_id] = position
    return found


async def refine_approximate_sites(database: Database, options: GeocoderOptions) -> int:
    """Geocode every approximate site with an address, by batches; how many were refined."""
    refined = 0
    last_id = 0
    async with httpx.AsyncClient() as client:
        while True:
            async with database.transaction() as session:
                rows = (
                    await session.execute(
                        select(Site.id, Site.address_line, Site.postal_code, Site.insee_code)
                        .where(
                            Site.position_approximate.is_(True),
                            Site.address_line != "",
                            Site.id > last_id,
                        )
                        .order_by(Site.id)
                        .limit(BATCH_SITES)
                    )
                ).all()
            if not rows:
                return refined
            last_id = rows[-1][0]
            positions = await geocode(client, options, [(r[0], r[1], r[2], r[3]) for r in rows])
            async with database.transaction() as session:
                for site in await session.scalars(select(Site).where(Site.id.in_(positions))):
                    position = positions[site.id]
                    site.latitude, site.longitude = position.latitude, position.longitude
                    site.position_approximate = False
                    refined += 1
            log.info("geocoder: %d of %d approximate sites refined", len(positions), len(rows))

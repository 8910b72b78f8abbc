"""The communes of the territory from the official files a coordinator downloads.

Accepted, recognised by their header names (any case, accents, separator `,` `;` or tab):
- our own template: `insee_code,name,postal_code,latitude,longitude`;
- « Base officielle des codes postaux » with coordinates (data.gouv.fr, one row per commune and
  postal code): `code_commune_INSEE,nom_commune_postal,code_postal,libelle_acheminement,ligne_5,
  latitude,longitude,code_commune,article,nom_commune,nom_commune_complet,...`;
- « Communes de France » (data.gouv.fr, one row per commune): `code_insee,nom_standard,...,
  code_postal,codes_postaux,...,latitude_centre,longitude_centre,...`;
- La Poste's `Code_commune_INSEE;Nom_commune;Code_postal;...;coordonnees_gps` ("lat, lon").

The national files hold every commune of France: `keep` names the departments (`35`, `2A`,
`971`) or communes (INSEE codes) of the territory. Rows of one INSEE code are merged (their
postal codes gathered). The file is read as a stream; a preview says what would be added,
changed and left unchanged before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit
from snp.actor import Actor
from snp.csv_import import (
    CsvError,
    CsvImportError,
    CsvRow,
    CsvStream,
    ErrorTally,
    normalise_header,
    parse_float_in,
)
from snp.territory.models import Commune
from snp.territory.schemas import CommuneChange, CommuneOut, CommunesPreview

# Header names, normalised (lower case, no accents, `_` between words), best first.
_ALIASES: dict[str, tuple[str, ...]] = {
    "insee_code": ("insee_code", "code_commune_insee", "code_insee", "codgeo", "insee"),
    "name": (
        "name",
        "nom_commune_complet",
        "nom_standard",
        "nom_commune",
        "nom_officiel",
        "libelle",
        "nom",
        "nom_commune_postal",
    ),
    "postal_code": ("postal_code", "code_postal", "codes_postaux", "cp"),
    "latitude": ("latitude", "latitude_centre", "latitude_mairie", "lat"),
    "longitude": ("longitude", "longitude_centre", "longitude_mairie", "lon", "lng"),
    "coordinates": ("coordonnees_gps", "coordonnees_geographiques", "geo_point_2d"),
}
_INSEE = re.compile(r"(\d{5}|2[AB]\d{3})")
_POSTAL = re.compile(r"\d{5}")
_LATITUDE = parse_float_in(-90, 90, "latitude")
_LONGITUDE = parse_float_in(-180, 180, "longitude")
SHOWN_CHANGES = 500
# The postal name differs between the rows of one commune (one per postal code): not an error.
_POSTAL_NAME = "nom_commune_postal"


def _columns(header: Sequence[str]) -> dict[str, str]:
    """Our field -> the file's column for it."""
    by_normal = {normalise_header(h): h for h in header}
    found: dict[str, str] = {}
    for fieldname, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in by_normal:
                found[fieldname] = by_normal[alias]
                break
    return found


def parse_keep(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Departments (2-3 characters) and INSEE codes (5) separated by commas or spaces."""
    tokens = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    kept: list[str] = []
    for token in tokens:
        code = token.strip().upper()
        if not re.fullmatch(r"\d{2,3}|2[AB]|\d{5}|2[AB]\d{3}", code):
            raise ValueError(
                f"« {token} » : département (35, 2A, 971) ou code INSEE (35236) attendu"
            )
        kept.append(code)
    return tuple(kept)


def _insee(value: str) -> str:
    code = value.strip().upper()
    if code.isdigit() and len(code) == 4:  # a spreadsheet dropped the leading zero
        code = "0" + code
    if not _INSEE.fullmatch(code):
        raise ValueError("code INSEE attendu sur 5 caractères (ex. 35236, 2A004)")
    return code


def _postal_codes(value: str) -> list[str]:
    codes = []
    for token in re.split(r"[\s,;/|]+", value.strip()):
        if not token:
            continue
        code = "0" + token if token.isdigit() and len(token) == 4 else token
        if not _POSTAL.fullmatch(code):
            raise ValueError("code postal attendu sur 5 chiffres")
        codes.append(code)
    if not codes:
        raise ValueError("valeur obligatoire")
    return codes


@dataclass(slots=True)
class ParsedCommune:
    line: int
    insee_code: str
    name: str
    postal_codes: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None

    def values(self) -> dict[str, object]:
        return {
            "name": self.name,
            "postal_code": self.postal_codes[0],
            "postal_codes": " ".join(self.postal_codes),
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def read_communes(stream: TextIO, keep: Sequence[str] = ()) -> list[ParsedCommune]:
    """The communes kept from an official file, merged by INSEE code; raises `CsvImportError`
    (first errors and a count per kind) on any error of a kept row."""
    tally = ErrorTally()
    csv_stream = CsvStream(stream)
    if csv_stream.header_error is not None:
        raise CsvImportError.of(_with(tally, csv_stream.header_error))
    columns = _columns(csv_stream.header)
    for needed in ("insee_code", "name", "postal_code"):
        if needed not in columns:
            tally.add(CsvError(1, needed, "colonne manquante dans l'en-tête"))
    if not ({"latitude", "longitude"} <= columns.keys() or "coordinates" in columns):
        tally.add(CsvError(1, "latitude", "colonnes des coordonnées manquantes dans l'en-tête"))
    if tally:
        raise CsvImportError.of(tally)
    communes: dict[str, ParsedCommune] = {}
    rows = 0
    for item in csv_stream.rows(width=None):
        if isinstance(item, CsvError):
            tally.add(item)
            continue
        rows += 1
        _merge(item, columns, keep, communes, tally)
    if not rows:
        tally.add(CsvError(2, "*", "le fichier ne contient aucune ligne de données"))
    for commune in communes.values():
        if commune.latitude is None or commune.longitude is None:
            tally.add(CsvError(commune.line, "latitude", "coordonnées du centre manquantes"))
    if not communes and not tally:
        tally.add(CsvError(1, "*", "aucune commune du fichier n'est dans le territoire choisi"))
    if tally:
        raise CsvImportError.of(tally)
    return list(communes.values())


def _with(tally: ErrorTally, error: CsvError) -> ErrorTally:
    tally.add(error)
    return tally


def _merge(
    row: CsvRow,
    columns: dict[str, str],
    keep: Sequence[str],
    communes: dict[str, ParsedCommune],
    tally: ErrorTally,
) -> None:
    def cell(name: str) -> str:
        return row.values.get(columns.get(name, ""), "") or ""

    line = row.line
    errors: list[CsvError] = []
    code = ""
    try:
        code = _insee(cell("insee_code"))
    except ValueError as exc:
        errors.append(CsvError(line, columns["insee_code"], str(exc)))
        if keep:  # whether the row is in the territory is unknown: only that is said
            tally.extend(errors)
            return
    if keep and not any(code.startswith(k) for k in keep):
        return
    postal: list[str] = []
    try:
        postal = _postal_codes(cell("postal_code"))
    except ValueError as exc:
        errors.append(CsvError(line, columns["postal_code"], str(exc)))
    latitude, longitude = _coordinates(cell, columns, line, errors)
    name = " ".join(cell("name").split())
    if not name:
        errors.append(CsvError(line, columns["name"], "valeur obligatoire"))
    elif len(name) > 120:
        errors.append(CsvError(line, columns["name"], "trop long (au plus 120 caractères)"))
    if errors:
        tally.extend(errors)
        return
    commune = communes.setdefault(code, ParsedCommune(line, code, name))
    if commune.name != name and "name" in columns and columns["name"] != _POSTAL_NAME:
        tally.add(
            CsvError(
                line, columns["name"], f"diffère de la ligne {commune.line} pour le même code INSEE"
            )
        )
        return
    commune.postal_codes.extend(p for p in postal if p not in commune.postal_codes)
    if commune.latitude is None and latitude is not None:
        commune.latitude, commune.longitude = latitude, longitude


def _coordinates(
    cell: Callable[[str], str], columns: dict[str, str], line: int, errors: list[CsvError]
) -> tuple[float | None, float | None]:
    if "latitude" in columns and "longitude" in columns:
        raw = (cell("latitude"), cell("longitude"))
        labels = (columns["latitude"], columns["longitude"])
    else:
        pair = [p for p in re.split(r"[,;\s]+", cell("coordinates")) if p]
        if not pair:
            return None, None
        raw = (pair[0], pair[1] if len(pair) > 1 else "")
        labels = (columns["coordinates"], columns["coordinates"])
    if not raw[0] and not raw[1]:
        return None, None  # some postal-code rows have none; another row of the commune may
    try:
        return _LATITUDE(raw[0]), _LONGITUDE(raw[1])
    except ValueError as exc:
        errors.append(CsvError(line, labels[0] if "latitude" in str(exc) else labels[1], str(exc)))
        return None, None


async def preview_communes(
    session: AsyncSession, communes: Sequence[ParsedCommune]
) -> CommunesPreview:
    """What applying would do: communes added, changed (with the fields), unchanged."""
    existing = await _existing(session, [c.insee_code for c in communes])
    added: list[CommuneOut] = []
    changed: list[CommuneChange] = []
    unchanged = 0
    for commune in communes:
        row = existing.get(commune.insee_code)
        if row is None:
            added.append(_out(commune))
            continue
        fields = [k for k, v in commune.values().items() if getattr(row, k) != v]
        if fields:
            changed.append(CommuneChange(commune=_out(commune), fields=fields))
        else:
            unchanged += 1
    return CommunesPreview(
        added_count=len(added),
        changed_count=len(changed),
        unchanged_count=unchanged,
        added=added[:SHOWN_CHANGES],
        changed=changed[:SHOWN_CHANGES],
    )


async def apply_communes(
    session: AsyncSession, actor: Actor, communes: Sequence[ParsedCommune]
) -> CommunesPreview:
    """Add and update the communes (idempotent: a second run changes nothing); audited."""
    preview = await preview_communes(session, communes)
    existing = await _existing(session, [c.insee_code for c in communes])
    for commune in communes:
        row = existing.get(commune.insee_code)
        if row is None:
            session.add(Commune(insee_code=commune.insee_code, **commune.values()))
        else:
            for key, value in commune.values().items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
    await session.flush()
    if preview.added_count or preview.changed_count:
        await audit.record(
            session,
            actor,
            "import",
            "communes",
            "territory",
            f"{preview.added_count} ajoutée(s), {preview.changed_count} modifiée(s)",
        )
    return preview


async def _existing(session: AsyncSession, codes: list[str]) -> dict[str, Commune]:
    found: dict[str, Commune] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        found.update(
            {
                c.insee_code: c
                for c in await session.scalars(select(Commune).where(Commune.insee_code.in_(chunk)))
            }
        )
    return found


def _out(commune: ParsedCommune) -> CommuneOut:
    return CommuneOut(
        insee_code=commune.insee_code,
        name=commune.name,
        postal_code=commune.postal_codes[0],
        postal_codes=commune.postal_codes,
        latitude=commune.latitude or 0.0,
        longitude=commune.longitude or 0.0,
    )

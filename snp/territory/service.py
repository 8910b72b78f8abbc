"""The territory: the CPTS record and its communes (loaded by the demo or a CSV import)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit
from snp.actor import Actor
from snp.csv_import import (
    CsvError,
    CsvImportError,
    CsvRejected,
    iter_checked,
    parse_float_in,
    read_rows,
    text_stream,
)
from snp.errors import BusinessRuleError
from snp.identifiers import display_phone, parse_finess, parse_phone
from snp.territory import communes_import
from snp.territory.models import Commune, Cpts
from snp.territory.schemas import CommuneOut, CommunesPreview, CptsOut, ImportReport, TerritoryOut

COMMUNE_COLUMNS = ("insee_code", "name", "postal_code", "latitude", "longitude")
_INSEE = re.compile(r"(\d{5}|2[AB]\d{3})")
_POSTAL = re.compile(r"\d{5}")
_DEPARTMENT = re.compile(r"0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5]|2A|2B|97[1-6]")


def parse_department(value: str) -> str:
    code = value.strip().upper()
    if not _DEPARTMENT.fullmatch(code):
        raise ValueError("département attendu : 01 à 95, 2A, 2B ou 971 à 976")
    return code


def parse_insee_code(value: str) -> str:
    code = value.strip().upper()
    if not _INSEE.fullmatch(code):
        raise ValueError("code INSEE attendu sur 5 caractères (ex. 35236, 2A004)")
    return code


def parse_postal_code(value: str) -> str:
    code = value.strip()
    if not _POSTAL.fullmatch(code):
        raise ValueError("code postal attendu sur 5 chiffres")
    return code


@dataclass(frozen=True, slots=True)
class CommuneData:
    insee_code: str
    name: str
    postal_code: str
    latitude: float
    longitude: float


def _checked(field: str, parse: Callable[[str], str], value: str) -> str:
    try:
        return parse(value)
    except ValueError as exc:
        raise BusinessRuleError(str(exc), ("body", field)) from None


def _text(field: str, label: str, value: str | None, max_length: int) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > max_length:
        raise BusinessRuleError(
            f"{label} est trop long (au plus {max_length} caractères).", ("body", field)
        )
    return text or None


async def set_cpts(
    session: AsyncSession,
    *,
    name: str,
    finess: str,
    phone: str,
    address: str | None = None,
    actor: Actor | None = None,
) -> Cpts:
    """Create or replace the CPTS identity (one row; idempotent). Every field is checked before
    anything is written: a clear 422 naming the field (FINESS with its check digit, phone)."""
    clean_name = _text("name", "Le nom de la CPTS", name, 200)
    if clean_name is None:
        raise BusinessRuleError("Le nom de la CPTS est obligatoire.", ("body", "name"))
    values = {
        "name": clean_name,
        "finess": _checked("finess", parse_finess, finess),
        "phone": _checked("phone", parse_phone, phone),
        "address": _text("address", "L'adresse", address, 300),
    }
    actor = actor or Actor.system("territory")
    cpts = await session.scalar(select(Cpts).limit(1))
    if cpts is None:
        cpts = Cpts(**values)
        session.add(cpts)
        await session.flush()
        await audit.created(session, actor, "cpts", cpts.id)
        return cpts
    changed = [field for field, value in values.items() if getattr(cpts, field) != value]
    for field in changed:
        setattr(cpts, field, values[field])
    if changed:
        await session.flush()
        await audit.changed(session, actor, "cpts", cpts.id, changed)
    return cpts


async def set_territory_area(
    session: AsyncSession, actor: Actor, *, name: str, department: str
) -> None:
    """Name the territory the CPTS serves and its department (the CPTS must exist)."""
    clean_name = _text("territory_name", "Le nom du territoire", name, 200)
    if clean_name is None:
        raise BusinessRuleError("Le nom du territoire est obligatoire.", ("body", "territory_name"))
    code = _checked("department", parse_department, department)
    cpts = await session.scalar(select(Cpts).limit(1))
    if cpts is None:
        raise BusinessRuleError("Renseignez d'abord l'identité de la CPTS.", ("body", "name"))
    changed = [
        field
        for field, value in (("territory_name", clean_name), ("department", code))
        if getattr(cpts, field) != value
    ]
    cpts.territory_name, cpts.department = clean_name, code
    if changed:
        await session.flush()
        await audit.changed(session, actor, "cpts", cpts.id, changed)


async def get_cpts(session: AsyncSession) -> CptsOut | None:
    cpts = await session.scalar(select(Cpts).limit(1))
    if cpts is None:
        return None
    return CptsOut(
        name=cpts.name,
        finess=cpts.finess,
        phone=cpts.phone,
        phone_display=display_phone(cpts.phone),
        address=cpts.address,
        territory_name=cpts.territory_name,
        department=cpts.department,
    )


async def list_communes(session: AsyncSession) -> list[CommuneOut]:
    rows = await session.scalars(select(Commune).order_by(Commune.name))
    return [CommuneOut.model_validate(c) for c in rows]


async def get_territory(session: AsyncSession) -> TerritoryOut | None:
    cpts = await get_cpts(session)
    if cpts is None:
        return None
    return TerritoryOut(cpts=cpts, communes=await list_communes(session))


async def commune_codes(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(Commune.insee_code)))


async def upsert_communes(session: AsyncSession, communes: list[CommuneData]) -> ImportReport:
    existing = {
        c.insee_code: c
        for c in await session.scalars(
            select(Commune).where(Commune.insee_code.in_([c.insee_code for c in communes]))
        )
    }
    created = updated = unchanged = 0
    for data in communes:
        row = existing.get(data.insee_code)
        if row is None:
            session.add(Commune(**_as_dict(data)))
            created += 1
            continue
        changes = {k: v for k, v in _as_dict(data).items() if getattr(row, k) != v}
        if changes:
            for key, value in changes.items():
                setattr(row, key, value)
            updated += 1
        else:
            unchanged += 1
    await session.flush()
    return ImportReport(created=created, updated=updated, unchanged=unchanged)


def _as_dict(data: CommuneData) -> dict[str, object]:
    return asdict(data)


def parse_communes_csv(text: str) -> list[CommuneData]:
    """Every row checked; raises `CsvImportError` listing every problem, or returns them all."""
    rows, errors = read_rows(text, COMMUNE_COLUMNS)
    parsed: list[CommuneData] = []
    seen: dict[str, int] = {}
    for row in iter_checked(rows, errors):
        code = row.check("insee_code", parse_insee_code)
        name = row.required("name")
        postal = row.check("postal_code", parse_postal_code)
        lat = row.check("latitude", parse_float_in(-90, 90, "latitude"))
        lon = row.check("longitude", parse_float_in(-180, 180, "longitude"))
        if code is not None and code in seen:
            errors.append(
                CsvError(row.row.line, "insee_code", f"code INSEE déjà présent ligne {seen[code]}")
            )
            continue
        if code is not None:
            seen[code] = row.row.line
        if code and name and postal and lat is not None and lon is not None:
            parsed.append(CommuneData(code, name, postal, lat, lon))
    if errors:
        raise CsvImportError(sorted(errors, key=lambda e: (e.line, e.column)))
    return parsed


async def import_communes_csv(session: AsyncSession, text: str) -> ImportReport:
    return await upsert_communes(session, parse_communes_csv(text))


async def import_communes_file(
    session: AsyncSession,
    actor: Actor,
    raw: BinaryIO,
    *,
    keep: str | Sequence[str] | None = None,
    apply: bool = False,
) -> CommunesPreview:
    """Read an official communes file (streamed from a binary file) and preview or apply it;
    raises `CsvRejected` (422: the first errors with line and column, a count per kind)."""
    try:
        kept = communes_import.parse_keep(keep)
    except ValueError as exc:
        raise BusinessRuleError(str(exc), ["query", "keep"]) from None
    stream = text_stream(raw)
    try:
        communes = communes_import.read_communes(stream, kept)
    except CsvImportError as exc:
        raise CsvRejected(exc, "aucune commune importée") from None
    finally:
        stream.detach()
    if apply:
        return await communes_import.apply_communes(session, actor, communes)
    return await communes_import.preview_communes(session, communes)

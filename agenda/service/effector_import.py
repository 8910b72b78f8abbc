"""The coordination's CSV import of the directory: every row checked, all or nothing, idempotent.

One row per effector and site; the same RPPS on several rows gives that effector several sites
(their own fields must then agree). Effectors are matched by national id, sites by name; only
the columns of the file are written (constraints, account link, calendars are left alone).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any, TextIO

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from stdnum.fr import siret

from agenda.errors import EffectorImportRejected
from agenda.models import Effector, Site
from agenda.schemas_supply import SPECIALTY_PATTERN, EffectorImportReport
from snp import audit
from snp.actor import Actor
from snp.csv_import import (
    CsvError,
    CsvImportError,
    CsvRow,
    ErrorTally,
    RowChecker,
    parse_float_in,
    stream_rows,
)
from snp.identifiers import parse_adeli, parse_finess, parse_mobile_phone, parse_rpps
from snp.territory import parse_insee_code, parse_postal_code

EFFECTOR_COLUMNS = (
    "rpps",
    "family_name",
    "given_name",
    "specialty_code",
    "phone",
    "email",
    "site_name",
    "address_line",
    "postal_code",
    "city",
    "insee_code",
    "latitude",
    "longitude",
    "structure_id",
)
# The effector's own fields, which must agree across the rows of one RPPS.
_EFFECTOR_FIELDS = ("family_name", "given_name", "specialty_code", "phone", "email")
_SPECIALTY_TEXT = {"SM54": "Médecine générale"}
_QUERY_CHUNK = 500


@dataclass(frozen=True, slots=True)
class SiteRow:
    name: str
    address_line: str
    postal_code: str
    city: str
    insee_code: str
    latitude: float
    longitude: float
    structure_id: str | None


@dataclass(frozen=True, slots=True)
class EffectorRow:
    line: int
    national_id: str
    national_id_kind: str
    family_name: str
    given_name: str
    specialty_code: str
    phone: str
    email: str | None
    site: SiteRow

    def effector_values(self) -> dict[str, object]:
        physician = self.specialty_code.startswith("SM")
        return {
            "national_id_kind": self.national_id_kind,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "specialty_code": self.specialty_code,
            "phone": self.phone,
            "email": self.email,
            "profession": "Médecin" if physician else "Professionnel de santé",
        }


# --- Cell parsers (French reasons, raised as ValueError) ---------------------------------------


def text_of(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"trop long (au plus {max_length} caractères)")
        return value

    return parse


def parse_specialty_code(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(SPECIALTY_PATTERN, code):
        raise ValueError("code de spécialité attendu (nomenclature nationale, ex. SM54)")
    return code


def parse_national_id(value: str, specialty_code: str | None) -> tuple[str, str]:
    """RPPS (11 digits, Luhn), or ADELI (9 digits) for a profession other than physician."""
    digits = value.strip().replace(" ", "")
    if len(digits) == 9 or (len(digits) == 10 and digits.startswith("0")):
        if specialty_code is not None and specialty_code.startswith("SM"):
            raise ValueError("numéro ADELI refusé pour un médecin : RPPS attendu (11 chiffres)")
        return parse_adeli(digits), "ADELI"
    return parse_rpps(digits), "RPPS"


def parse_email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError("adresse e-mail invalide") from None


def parse_structure_id(value: str) -> str:
    """FINESS, SIRET or RPPS rang, bare or with its FHIR prefix (1, 3, 4) -> prefixed form.

    RPPS rang is taken as the 11-digit RPPS (Luhn) followed by a 2-digit rang.
    """
    text = value.strip().upper().replace(" ", "")
    if len(text) == 9 or (len(text) == 10 and text.startswith("1")):
        return "1" + parse_finess(text)
    if text.isdigit() and len(text) == 14 and siret.is_valid(text):
        return "3" + text
    if text.isdigit() and len(text) == 15 and text.startswith("3") and siret.is_valid(text[1:]):
        return text
    rang = text[1:] if len(text) == 14 and text.startswith("4") else text
    if rang.isdigit() and len(rang) == 13:
        try:
            return "4" + parse_rpps(rang[:11]) + rang[11:]
        except ValueError:
            raise ValueError("RPPS rang invalide (clé de contrôle du RPPS incorrecte)") from None
    if text.isdigit() and len(text) in (14, 15):
        raise ValueError("numéro SIRET invalide (clé de contrôle incorrecte)")
    raise ValueError(
        "identifiant de structure attendu : FINESS (9 caractères), SIRET (14 chiffres) "
        "ou RPPS rang (13 chiffres), éventuellement préfixé (1, 3 ou 4)"
    )


# --- Parsing the file --------------------------------------------------------------------------

_COLUMN_ORDER = {name: i for i, name in enumerate(EFFECTOR_COLUMNS)}


class EffectorRowChecker:
    """Checks rows one at a time. Across rows it keeps, per RPPS, only the first line and its
    effector fields, and the (RPPS, site) pairs seen: bounded by the directory, not the file."""

    def __init__(self, tally: ErrorTally) -> None:
        self.tally = tally
        self.first_row: dict[str, tuple[int, tuple[object, ...]]] = {}
        self.site_lines: dict[tuple[str, str], int] = {}

    def check(self, csv_row: CsvRow) -> EffectorRow | None:
        errors: list[CsvError] = []
        row = RowChecker(csv_row, errors)
        parsed = self._parsed(row, errors)
        if parsed is not None:
            errors.extend(self._cross_row(parsed))
        self.tally.extend(sorted(errors, key=lambda e: _COLUMN_ORDER.get(e.column, -1)))
        return parsed if not errors else None

    def _parsed(self, row: RowChecker, errors: list[CsvError]) -> EffectorRow | None:
        line = row.row.line
        specialty = row.check("specialty_code", parse_specialty_code)
        national = row.check("rpps", partial(parse_national_id, specialty_code=specialty))
        family = row.check("family_name", text_of(120))
        given = row.check("given_name", text_of(120))
        phone = row.check("phone", parse_mobile_phone)
        email = row.check("email", parse_email, optional=True)
        site_name = row.check("site_name", text_of(200))
        address = row.check("address_line", text_of(200))
        postal = row.check("postal_code", parse_postal_code)
        city = row.check("city", text_of(120))
        insee = row.check("insee_code", parse_insee_code)
        lat = row.check("latitude", parse_float_in(-90, 90, "latitude"))
        lon = row.check("longitude", parse_float_in(-180, 180, "longitude"))
        structure = row.check("structure_id", parse_structure_id, optional=True)
        if email is not None and len(email) > 254:
            errors.append(CsvError(line, "email", "trop long (au plus 254 caractères)"))
            return None
        if (
            national is None
            or specialty is None
            or family is None
            or given is None
            or phone is None
            or site_name is None
            or address is None
            or postal is None
            or city is None
            or insee is None
            or lat is None
            or lon is None
            or (row.cell("email") and email is None)
            or (row.cell("structure_id") and structure is None)
        ):
            return None
        return EffectorRow(
            line=line,
            national_id=national[0],
            national_id_kind=national[1],
            family_name=family,
            given_name=given,
            specialty_code=specialty,
            phone=phone,
            email=email,
            site=SiteRow(site_name, address, postal, city, insee, lat, lon, structure),
        )

    def _cross_row(self, row: EffectorRow) -> list[CsvError]:
        fields = tuple(getattr(row, name) for name in _EFFECTOR_FIELDS)
        first_line, first_fields = self.first_row.setdefault(row.national_id, (row.line, fields))
        errors = [
            CsvError(row.line, name, f"diffère de la ligne {first_line} pour le même RPPS")
            for name, value, first in zip(_EFFECTOR_FIELDS, fields, first_fields, strict=True)
            if value != first
        ]
        site_key = (row.national_id, row.site.name)
        if site_key in self.site_lines:
            errors.append(
                CsvError(
                    row.line,
                    "site_name",
                    f"site déjà présent ligne {self.site_lines[site_key]} pour ce RPPS",
                )
            )
        else:
            self.site_lines[site_key] = row.line
        return errors


def iter_effector_rows(stream: TextIO, tally: ErrorTally) -> Iterator[EffectorRow]:
    """The valid rows of a directory CSV, one at a time; every error goes to `tally`."""
    checker = EffectorRowChecker(tally)
    for csv_row in stream_rows(stream, EFFECTOR_COLUMNS, tally):
        row = checker.check(csv_row)
        if row is not None:
            yield row


def parse_effectors_csv(text: str) -> list[EffectorRow]:
    """Every row of a small file checked; raises `CsvImportError` (the first errors, the count
    of each kind), or returns them all."""
    tally = ErrorTally()
    rows = list(iter_effector_rows(io.StringIO(text, newline=""), tally))
    if tally:
        raise CsvImportError.of(tally)
    return rows


# --- Writing -----------------------------------------------------------------------------------


async def import_effectors(
    session: AsyncSession, actor: Actor, rows: list[EffectorRow]
) -> EffectorImportReport:
    """Upsert effectors by national id and their sites by name; audited per effector."""
    progress = _ImportProgress()
    await _write_batch(session, actor, rows, progress)
    return progress.report()


class _ImportProgress:
    """What a streamed import wrote so far: each RPPS counted once, where it first landed."""

    def __init__(self) -> None:
        self.created: set[str] = set()
        self.updated: set[str] = set()
        self.seen: set[str] = set()
        self.sites = dict.fromkeys(("sites_created", "sites_updated", "sites_unchanged"), 0)

    def report(self) -> EffectorImportReport:
        return EffectorImportReport(
            created=len(self.created),
            updated=len(self.updated - self.created),
            unchanged=len(self.seen - self.created - self.updated),
            **self.sites,
        )


async def _write_batch(
    session: AsyncSession, actor: Actor, rows: list[EffectorRow], progress: _ImportProgress
) -> None:
    by_id: dict[str, list[EffectorRow]] = {}
    for row in rows:
        by_id.setdefault(row.national_id, []).append(row)
    existing = await _existing(session, list(by_id))
    for national_id, effector_rows in by_id.items():
        progress.seen.add(national_id)
        values = effector_rows[0].effector_values()
        effector = existing.get(national_id)
        if effector is None:
            specialty = str(values["specialty_code"])
            effector = Effector(
                national_id=national_id,
                specialty_text=_SPECIALTY_TEXT.get(specialty),
                sites=[Site(**asdict(r.site)) for r in effector_rows],
                **values,
            )
            session.add(effector)
            await session.flush()
            await audit.created(session, actor, "effector", effector.id)
            progress.created.add(national_id)
            progress.sites["sites_created"] += len(effector_rows)
            continue
        changed = _apply(effector, values)
        if "specialty_code" in changed:
            effector.specialty_text = _SPECIALTY_TEXT.get(effector.specialty_code)
        if _apply_sites(effector, [r.site for r in effector_rows], progress.sites):
            changed.append("sites")
        if changed:
            await session.flush()
            await audit.changed(session, actor, "effector", effector.id, changed)
            progress.updated.add(national_id)
    await session.flush()


async def import_effectors_stream(
    session: AsyncSession, actor: Actor, stream: TextIO, batch_size: int = _QUERY_CHUNK
) -> EffectorImportReport:
    """Check and write a directory CSV of any size with bounded memory: rows are written by
    batches while the file is valid, the objects of each batch leave the session once flushed,
    and the first error stops the writing (the rest is only checked). Raises
    `EffectorImportRejected` (422; the caller's transaction then writes nothing) on any error."""
    tally = ErrorTally()
    progress = _ImportProgress()
    kept_identities = set(session.identity_map.keys())
    batch: list[EffectorRow] = []
    for row in iter_effector_rows(stream, tally):
        if tally:
            continue
        batch.append(row)
        if len(batch) >= batch_size:
            await _write_batch(session, actor, batch, progress)
            _release(session, kept_identities)
            batch = []
    if tally:
        raise EffectorImportRejected(tally)
    if batch:
        await _write_batch(session, actor, batch, progress)
        _release(session, kept_identities)
    return progress.report()


def _release(session: AsyncSession, kept: set[Any]) -> None:
    """Forget the rows this import loaded or wrote (flushed already), keeping the caller's."""
    identity_map = session.identity_map
    for key in list(identity_map.keys()):
        obj = identity_map.get(key)
        if key not in kept and obj is not None:
            session.expunge(obj)


async def import_effectors_csv(
    session: AsyncSession, actor: Actor, text: str
) -> EffectorImportReport:
    """Check the whole file, then write it; raises `EffectorImportRejected` (422) on any error."""
    return await import_effectors_stream(session, actor, io.StringIO(text, newline=""))


async def _existing(session: AsyncSession, national_ids: list[str]) -> dict[str, Effector]:
    found: dict[str, Effector] = {}
    for offset in range(0, len(national_ids), _QUERY_CHUNK):
        chunk = national_ids[offset : offset + _QUERY_CHUNK]
        rows = await session.scalars(
            select(Effector)
            .options(selectinload(Effector.sites))
            .where(Effector.national_id.in_(chunk))
        )
        found.update({e.national_id: e for e in rows})
    return found


def _apply(target: object, values: dict[str, object]) -> list[str]:
    changed = [k for k, v in values.items() if getattr(target, k) != v]
    for key in changed:
        setattr(target, key, values[key])
    return changed


def _apply_sites(effector: Effector, sites: list[SiteRow], counts: dict[str, int]) -> bool:
    by_name = {s.name: s for s in effector.sites}
    changed = False
    for data in sites:
        site = by_name.get(data.name)
        if site is None:
            effector.sites.append(Site(**asdict(data)))
            counts["sites_created"] += 1
            changed = True
        elif _apply(site, asdict(data)):
            counts["sites_updated"] += 1
            changed = True
        else:
            counts["sites_unchanged"] += 1
    return changed

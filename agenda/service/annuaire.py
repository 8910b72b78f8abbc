"""The directory from the national health directory's public extraction (Annuaire Santé,
`PS_LibreAcces_Personne_activite_*.txt`: one line per professional and activity, `|`-separated,
UTF-8, hundreds of MB for France).

The file is read as a stream (the csv module over a text stream, no quoting): a line is kept
when its profession is asked for (GPs: profession 10 with a general-practice savoir-faire; as
options nurses 60 and pharmacists 21) and its activity address is in a commune of the territory
(INSEE code, else a postal code of the territory's communes). Only the kept lines stay in
memory: bounded by the territory, not the file. Columns map to our effectors (RPPS, names,
profession) and sites (structure name, address, commune, phone, FINESS or SIRET). The extraction
has no coordinates: a new site gets its commune's centre, flagged `position_approximate`, until
a geocoder refines it (`agenda.service.geocoding`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from agenda.models import Effector, Site
from agenda.schemas_supply import AnnuaireChange, AnnuaireEntry, AnnuairePreview
from agenda.service.effector_import import parse_structure_id
from snp import audit
from snp.actor import Actor
from snp.csv_import import CsvError, ErrorTally, normalise_header
from snp.identifiers import parse_adeli, parse_phone, parse_rpps
from snp.territory import CommuneOut

# Columns of the extraction we read (their names in the file).
ID_TYPE = "Type d'identifiant PP"
ID = "Identifiant PP"
FAMILY = "Nom d'exercice"
GIVEN = "Prénom d'exercice"
PROFESSION = "Code profession"
SAVOIR_FAIRE = "Code savoir-faire"
SAVOIR_FAIRE_TEXT = "Libellé savoir-faire"
SITE_NAME = "Raison sociale site"
SITE_SIGN = "Enseigne commerciale site"
NUMBER = "Numéro Voie (coord. structure)"
REPEAT = "Indice répétition voie (coord. structure)"
STREET_TYPE = "Libellé type de voie (coord. structure)"
STREET = "Libellé Voie (coord. structure)"
POSTAL = "Code postal (coord. structure)"
INSEE = "Code commune (coord. structure)"
CITY = "Libellé commune (coord. structure)"
PHONE = "Téléphone (coord. structure)"
FINESS = "Numéro FINESS site"
SIRET = "Numéro SIRET site"
REQUIRED = (ID, FAMILY, GIVEN, PROFESSION, SAVOIR_FAIRE, POSTAL, INSEE)
OPTIONAL = (
    ID_TYPE,
    SAVOIR_FAIRE_TEXT,
    SITE_NAME,
    SITE_SIGN,
    NUMBER,
    REPEAT,
    STREET_TYPE,
    STREET,
    CITY,
    PHONE,
    FINESS,
    SIRET,
)

# Our profession keys -> the extraction's profession code, our label.
PROFESSIONS = {
    "gp": ("10", "Médecin"),
    "nurse": ("60", "Infirmier"),
    "pharmacist": ("21", "Pharmacien"),
}
# Savoir-faire of general practice: qualified (SM26), specialist (SM53), general medicine (SM54).
GP_SAVOIR_FAIRE = frozenset({"SM26", "SM53", "SM54"})
SHOWN = 200
PROGRESS_EVERY = 20_000


@dataclass(frozen=True, slots=True)
class TerritoryIndex:
    """The territory's communes, looked up by INSEE code and by postal code."""

    communes: dict[str, CommuneOut]
    by_postal: dict[str, str]

    @classmethod
    def of(cls, communes: Iterable[CommuneOut]) -> TerritoryIndex:
        by_code = {c.insee_code: c for c in communes}
        by_postal: dict[str, str] = {}
        for commune in by_code.values():
            # A postal code shared by several communes: the first one stands for it (lines
            # carry their INSEE code as a rule; the postal code is the fallback).
            for postal in (commune.postal_code, *commune.postal_codes):
                by_postal.setdefault(postal, commune.insee_code)
        return cls(by_code, by_postal)

    def commune_of(self, insee: str, postal: str) -> CommuneOut | None:
        if insee:
            return self.communes.get(insee)
        code = self.by_postal.get(postal)
        return self.communes.get(code) if code is not None else None


@dataclass(slots=True)
class SiteRecord:
    name: str
    address_line: str
    postal_code: str
    city: str
    insee_code: str
    structure_id: str | None
    phone: str | None

    def values(self) -> dict[str, object]:
        return {
            "address_line": self.address_line,
            "postal_code": self.postal_code,
            "city": self.city,
            "insee_code": self.insee_code,
            "structure_id": self.structure_id,
            "phone": self.phone,
        }


@dataclass(slots=True)
class PersonRecord:
    line: int
    national_id: str
    national_id_kind: str
    family_name: str
    given_name: str
    profession: str
    specialty_code: str
    specialty_text: str | None
    sites: dict[str, SiteRecord] = field(default_factory=dict)

    def values(self) -> dict[str, object]:
        return {
            "national_id_kind": self.national_id_kind,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "profession": self.profession,
            "specialty_code": self.specialty_code,
            "specialty_text": self.specialty_text,
        }

    @property
    def label(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(slots=True)
class ReadResult:
    people: dict[str, PersonRecord]
    lines: int = 0
    kept_lines: int = 0
    phones_ignored: int = 0
    tally: ErrorTally = field(default_factory=ErrorTally)


def parse_professions(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """`gp`, `nurse`, `pharmacist` (comma-separated or a list); GPs by default."""
    keys = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    unknown = [k for k in keys if k not in PROFESSIONS]
    if unknown:
        raise ValueError(
            f"profession inconnue : {', '.join(unknown)} (attendu : gp, nurse, pharmacist)"
        )
    return tuple(k for k in PROFESSIONS if k in keys) or ("gp",)


def _title(text: str) -> str:
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in text.split())


def read_annuaire(
    stream: TextIO,
    territory: TerritoryIndex,
    professions: Sequence[str],
    progress: Callable[[int], None] | None = None,
) -> ReadResult:
    """Stream the extraction and keep the asked professions of the territory's communes.

    Problems of kept lines (an identifier that fails its check digit...) are counted in the
    result's tally with their line and column; those lines are left out, the others kept."""
    result = ReadResult(people={})
    reader = csv.reader(stream, delimiter="|", quoting=csv.QUOTE_NONE)
    header = next(reader, [])
    by_normal = {normalise_header(h): i for i, h in enumerate(header)}
    index: dict[str, int] = {}
    for column in (*REQUIRED, *OPTIONAL):
        at = by_normal.get(normalise_header(column))
        if at is not None:
            index[column] = at
        elif column in REQUIRED:
            result.tally.add(CsvError(1, column, "colonne manquante dans l'en-tête"))
    if result.tally:
        return result
    codes = {PROFESSIONS[p][0]: p for p in professions}
    i_profession, i_insee, i_postal = index[PROFESSION], index[INSEE], index[POSTAL]
    i_savoir = index[SAVOIR_FAIRE]
    width = max(index.values()) + 1
    lines = 1
    for cells in reader:
        lines += 1
        if progress is not None and lines % PROGRESS_EVERY == 0:
            progress(lines)
        if len(cells) < width:
            continue  # a blank or cut line: nothing of it can be read
        key = codes.get(cells[i_profession])
        if key is None or (key == "gp" and cells[i_savoir] not in GP_SAVOIR_FAIRE):
            continue
        commune = territory.commune_of(cells[i_insee].strip(), cells[i_postal].strip())
        if commune is None:
            continue
        result.kept_lines += 1
        _keep(result, cells, index, key, commune, lines)
    result.lines = lines - 1
    if progress is not None:
        progress(lines)
    return result


def _keep(
    result: ReadResult,
    cells: list[str],
    index: dict[str, int],
    profession: str,
    commune: CommuneOut,
    line: int,
) -> None:
    def cell(column: str) -> str:
        at = index.get(column)
        return cells[at].strip() if at is not None else ""

    raw_id = cell(ID)
    try:
        if cell(ID_TYPE) == "0" or len(raw_id) in (9, 10):
            national_id, kind = parse_adeli(raw_id), "ADELI"
        else:
            national_id, kind = parse_rpps(raw_id), "RPPS"
    except ValueError as exc:
        result.tally.add(CsvError(line, ID, str(exc)))
        return
    family, given = cell(FAMILY), cell(GIVEN)
    if not family:
        result.tally.add(CsvError(line, FAMILY, "valeur obligatoire"))
        return
    person = result.people.get(national_id)
    if person is None:
        code, label = PROFESSIONS[profession]
        savoir = cell(SAVOIR_FAIRE)
        person = PersonRecord(
            line=line,
            national_id=national_id,
            national_id_kind=kind,
            family_name=family[:120],
            given_name=_title(given)[:120],
            profession=label,
            specialty_code=savoir if profession == "gp" else f"G15_{code}",
            specialty_text=(cell(SAVOIR_FAIRE_TEXT) or label)[:200],
        )
        result.people[national_id] = person
    name = (cell(SITE_SIGN) or cell(SITE_NAME) or f"Cabinet {_title(family)}")[:200]
    if name in person.sites:
        return
    phone: str | None = None
    if cell(PHONE):
        try:
            phone = parse_phone(cell(PHONE))
        except ValueError:
            result.phones_ignored += 1
    structure: str | None = None
    for column in (FINESS, SIRET):
        if cell(column):
            try:
                structure = parse_structure_id(cell(column))
                break
            except ValueError:
                continue
    street = " ".join(p for p in (cell(NUMBER), cell(REPEAT), cell(STREET_TYPE), cell(STREET)) if p)
    postal = cell(POSTAL)
    person.sites[name] = SiteRecord(
        name=name,
        address_line=_title(street)[:200],
        postal_code=postal if len(postal) == 5 and postal.isdigit() else commune.postal_code,
        city=(_title(cell(CITY)) or commune.name)[:120],
        insee_code=commune.insee_code,
        structure_id=structure,
        phone=phone,
    )


# --- Preview and apply --------------------------------------------------------------------------


async def _existing(session: AsyncSession, national_ids: Sequence[str]) -> dict[str, Effector]:
    found: dict[str, Effector] = {}
    ids = list(national_ids)
    for start in range(0, len(ids), 500):
        rows = await session.scalars(
            select(Effector)
            .options(selectinload(Effector.sites))
            .where(Effector.national_id.in_(ids[start : start + 500]))
        )
        found.update({e.national_id: e for e in rows})
    return found


def _differences(effector: Effector, person: PersonRecord) -> list[str]:
    fields = [k for k, v in person.values().items() if getattr(effector, k) != v]
    by_name = {s.name: s for s in effector.sites}
    for site in person.sites.values():
        current = by_name.get(site.name)
        if current is None:
            fields.append(f"lieu ajouté : {site.name}")
        elif any(getattr(current, k) != v for k, v in site.values().items()):
            fields.append(f"lieu modifié : {site.name}")
    return fields


async def preview_annuaire(
    session: AsyncSession, result: ReadResult, professions: Sequence[str]
) -> AnnuairePreview:
    """What applying would add, change, leave unchanged, and which active effectors of these
    professions are in the directory but not in the file (left as they are)."""
    existing = await _existing(session, list(result.people))
    added: list[AnnuaireEntry] = []
    changed: list[AnnuaireChange] = []
    unchanged = 0
    for person in result.people.values():
        effector = existing.get(person.national_id)
        entry = AnnuaireEntry(
            rpps=person.national_id,
            name=person.label,
            profession=person.profession,
            communes=sorted({s.city for s in person.sites.values()}),
        )
        if effector is None:
            added.append(entry)
            continue
        fields = _differences(effector, person)
        if fields:
            changed.append(AnnuaireChange(entry=entry, fields=fields))
        else:
            unchanged += 1
    labels = [PROFESSIONS[p][1] for p in professions]
    left_rows = (
        await session.execute(
            select(
                Effector.national_id, Effector.given_name, Effector.family_name, Effector.profession
            )
            .where(Effector.active.is_(True), Effector.profession.in_(labels))
            .order_by(Effector.family_name, Effector.given_name)
        )
    ).all()
    left = [
        AnnuaireEntry(rpps=r[0], name=f"{r[1]} {r[2]}", profession=r[3], communes=[])
        for r in left_rows
        if r[0] not in result.people
    ]
    return AnnuairePreview(
        lines_read=result.lines,
        lines_kept=result.kept_lines,
        added_count=len(added),
        changed_count=len(changed),
        unchanged_count=unchanged,
        left_count=len(left),
        added=added[:SHOWN],
        changed=changed[:SHOWN],
        left=left[:SHOWN],
        rejected_count=result.tally.count,
        rejected=[str(e) for e in result.tally.first],
        rejected_kinds=dict(result.tally.kinds),
        phones_ignored=result.phones_ignored,
    )


@dataclass(slots=True)
class ApplyCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sites_created: int = 0
    sites_updated: int = 0

    def add(self, other: ApplyCounts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}


async def apply_annuaire_batch(
    session: AsyncSession,
    actor: Actor,
    people: Sequence[PersonRecord],
    territory: TerritoryIndex,
) -> ApplyCounts:
    """Upsert one batch: effectors by RPPS, their sites by name (idempotent). A new site, or
    one whose address changed, gets its commune's centre, flagged approximate; a site whose
    address is unchanged keeps its position (perhaps refined by the geocoder)."""
    counts = ApplyCounts()
    existing = await _existing(session, [p.national_id for p in people])
    for person in people:
        effector = existing.get(person.national_id)
        if effector is None:
            first_phone = next((s.phone for s in person.sites.values() if s.phone), None)
            effector = Effector(
                national_id=person.national_id,
                phone=first_phone or "",
                sites=[_new_site(s, territory) for s in person.sites.values()],
                **person.values(),
            )
            session.add(effector)
            await session.flush()
            await audit.created(session, actor, "effector", effector.id)
            counts.created += 1
            counts.sites_created += len(person.sites)
            continue
        changed = [k for k, v in person.values().items() if getattr(effector, k) != v]
        for key in changed:
            setattr(effector, key, person.values()[key])
        by_name = {s.name: s for s in effector.sites}
        for record in person.sites.values():
            site = by_name.get(record.name)
            if site is None:
                effector.sites.append(_new_site(record, territory))
                counts.sites_created += 1
                changed.append("sites")
                continue
            site_changes = {k: v for k, v in record.values().items() if getattr(site, k) != v}
            if not site_changes:
                continue
            moved = {"address_line", "postal_code", "insee_code"} & site_changes.keys()
            for key, value in site_changes.items():
                setattr(site, key, value)
            if moved:
                _place_at_commune(site, territory)
            counts.sites_updated += 1
            changed.append("sites")
        if changed:
            await session.flush()
            await audit.changed(session, actor, "effector", effector.id, sorted(set(changed)))
            counts.updated += 1
        else:
            counts.unchanged += 1
    await session.flush()
    return counts


def _new_site(record: SiteRecord, territory: TerritoryIndex) -> Site:
    site = Site(name=record.name, **record.values())
    _place_at_commune(site, territory)
    return site


def _place_at_commune(site: Site, territory: TerritoryIndex) -> None:
    commune = territory.communes[site.insee_code]
    site.latitude, site.longitude = commune.latitude, commune.longitude
    site.position_approximate = True

"""ACI contract API: the contract, its history, national figures, one contract year's
attainment and money, the orientation envelope (coordinators and the read-only funders; only
coordinators change anything), and the GPs' compensation statements (coordinators for every
GP, CSV for the accountant; each effector for themself)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, UploadFile
from pydantic import BaseModel

import agenda
from indicators import aci_service, compensation, orientation
from indicators.aci_schemas import (
    MAX_CONTRACT_YEARS,
    ContractIn,
    ContractOut,
    ContractVersionOut,
    FigureImportReport,
    FigureIn,
    FigureOut,
    YearView,
)
from indicators.statement_pdf import statement_pdf
from indicators.timeutil import paris
from snp import audit, territory
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.deps import SessionDep, SettingsDep, require_roles
from snp.errors import BusinessRuleError

router = APIRouter(prefix="/api/indicators", tags=["indicators"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
Reader = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.FUNDER))]
Effector = Annotated[Actor, Depends(require_roles(Role.EFFECTOR))]
YearPath = Annotated[int, Query(ge=1, le=MAX_CONTRACT_YEARS, description="Année du contrat.")]
CalendarYear = Annotated[int, Query(ge=2019, le=2100, description="Année civile.")]
MonthQuery = Annotated[int | None, Query(ge=1, le=12, description="Mois (1-12), sinon l'année.")]
MAX_UPLOAD_BYTES = 1_000_000


def today() -> date:
    return paris(utcnow()).date()


@router.get("/aci/contract")
async def get_contract(session: SessionDep, actor: Reader) -> ContractOut:
    """The contract: signature, size, the instruction's amounts, the years and indicators."""
    return await aci_service.get_contract(session, today())


@router.put("/aci/contract")
async def save_contract(session: SessionDep, actor: Coordinator, data: ContractIn) -> ContractOut:
    """Saves the contract and its indicators as a new version (the previous ones are kept)."""
    return await aci_service.save_contract(session, actor, data, today())


@router.get("/aci/contract/versions")
async def contract_versions(session: SessionDep, actor: Reader) -> list[ContractVersionOut]:
    """Every saved version of the contract, newest first."""
    return await aci_service.list_versions(session)


@router.get("/aci/years/{year}")
async def contract_year(session: SessionDep, actor: Reader, year: int) -> YearView:
    """Contract year `year`: each indicator's value, attainment, and the money."""
    if not 1 <= year <= MAX_CONTRACT_YEARS:
        raise BusinessRuleError("Année du contrat entre 1 et 5.", ("path", "year"))
    return await aci_service.year_view(session, year, today())


@router.get("/aci/figures")
async def list_figures(session: SessionDep, actor: Reader) -> list[FigureOut]:
    """The national indicators' figures entered or imported (CPAM/ARS), with source and date."""
    return await aci_service.list_figures(session)


@router.put("/aci/figures")
async def set_figure(session: SessionDep, actor: Coordinator, figure: FigureIn) -> FigureOut:
    """Enters (or corrects) one national figure for one contract year."""
    return await aci_service.set_figure(session, actor, figure)


@router.post("/aci/figures/import")
async def import_figures(
    session: SessionDep, actor: Coordinator, file: UploadFile
) -> FigureImportReport:
    """Imports figures from a CSV `indicateur;annee_contrat;valeur;source;date` (all or none)."""
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise BusinessRuleError("Fichier trop volumineux (1 Mo au plus).", ("body", "file"))
    return await aci_service.import_figures(session, actor, content)


@router.get("/aci/orientation")
async def orientation_envelope(
    session: SessionDep, actor: Reader, year: YearPath
) -> orientation.OrientationEnvelope:
    """The orientation envelope of a contract year: hours, requests handled, cost per request."""
    return await orientation.envelope(session, year, today())


class Saved(BaseModel):
    saved: bool = True


@router.put("/aci/operator-hours")
async def set_operator_hours(
    session: SessionDep, actor: Coordinator, data: orientation.OperatorHoursIn
) -> Saved:
    """Enters the operator hours of one month."""
    await orientation.set_operator_hours(session, actor, data)
    return Saved()


# -- the GPs' compensation ------------------------------------------------------------------------


class StatementLine(BaseModel):
    effector_id: int
    name: str
    month: date
    label: str
    consultations: int
    fee_eligible: int
    hours_with_slots: int
    slots_offered: int


class Statement(BaseModel):
    year: int
    definitions: list[tuple[str, str]]
    lines: list[StatementLine]


def _period(year: int, month: int | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


async def _lines(
    session: SessionDep,
    settings: SettingsDep,
    year: int,
    month: int | None,
    effector_id: int | None,
) -> list[compensation.MonthLine]:
    first, last = _period(year, month)
    return await compensation.month_lines(
        session, first, last, today(), settings.snp_fee_weekly_cap, effector_id
    )


def _statement(year: int, lines: list[compensation.MonthLine]) -> Statement:
    return Statement(
        year=year,
        definitions=list(compensation.DEFINITIONS),
        lines=[
            StatementLine(
                effector_id=line.effector_id,
                name=line.name,
                month=line.month,
                label=compensation.month_label(line.month),
                consultations=line.consultations,
                fee_eligible=line.fee_eligible,
                hours_with_slots=line.hours_with_slots,
                slots_offered=line.slots_offered,
            )
            for line in lines
        ],
    )


@router.get("/compensation")
async def compensation_table(
    session: SessionDep,
    actor: Coordinator,
    settings: SettingsDep,
    year: CalendarYear,
    month: MonthQuery = None,
) -> Statement:
    """Every GP's SNP activity per month (the compensation envelope)."""
    return _statement(year, await _lines(session, settings, year, month, None))


@router.get("/compensation.csv", response_class=Response)
async def compensation_csv(
    session: SessionDep,
    actor: Coordinator,
    settings: SettingsDep,
    year: CalendarYear,
    month: MonthQuery = None,
) -> Response:
    """The same as CSV for the CPTS's accountant (`;`, UTF-8 with BOM)."""
    lines = await _lines(session, settings, year, month, None)
    period = f"{year}-{month:02d}" if month else str(year)
    return Response(
        compensation.to_csv(lines),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="indemnisation-medecins-{period}.csv"'
        },
    )


async def _pdf(session: SessionDep, settings: SettingsDep, year: int, effector_id: int) -> Response:
    lines = await _lines(session, settings, year, None, effector_id)
    cpts = await territory.get_cpts(session)
    names = await agenda.effector_names(session, [effector_id])
    name = names.get(effector_id, f"Effecteur {effector_id}")
    body = statement_pdf(cpts.name if cpts else "CPTS", name, year, lines, today())
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="releve-snp-{year}.pdf"'},
    )


@router.get("/compensation/{effector_id}/statement.pdf", response_class=Response)
async def effector_statement_pdf(
    session: SessionDep,
    actor: Coordinator,
    settings: SettingsDep,
    effector_id: int,
    year: CalendarYear,
) -> Response:
    """One GP's yearly statement as PDF."""
    await audit.read(session, actor, "compensation_statement", effector_id)
    return await _pdf(session, settings, year, effector_id)


@router.get("/my-statement")
async def my_statement(
    session: SessionDep, actor: Effector, settings: SettingsDep, year: CalendarYear
) -> Statement:
    """The logged-in effector's own SNP activity per month."""
    me = await agenda.get_my_profile(session, actor)
    return _statement(year, await _lines(session, settings, year, None, me.id))


@router.get("/my-statement.pdf", response_class=Response)
async def my_statement_pdf(
    session: SessionDep, actor: Effector, settings: SettingsDep, year: CalendarYear
) -> Response:
    """The logged-in effector's own yearly statement as PDF."""
    me = await agenda.get_my_profile(session, actor)
    return await _pdf(session, settings, year, me.id)

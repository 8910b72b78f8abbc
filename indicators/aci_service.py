"""The ACI contract: saved by coordinators (each save a new audited version with its
snapshot), national figures entered or imported, and the view of one contract year with
each indicator's value, attainment and the money (`aci_rules`)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date
from typing import cast

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from indicators import aci_amounts, aci_rules
from indicators.aci_schemas import (
    ContractIn,
    ContractOut,
    ContractVersionOut,
    ContractYearOut,
    FigureImportReport,
    FigureIn,
    FigureOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorResult,
    MoneyOut,
    SizeAmountsOut,
    YearStatus,
    YearView,
)
from indicators.models import AciContract, AciContractVersion, AciFigure, AciIndicator
from indicators.platform_metrics import COUNT_METRICS, platform_values
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import BusinessRuleError, NotFound

NO_CONTRACT = "Aucun contrat ACI n'est enregistré : la coordination doit le saisir."
CSV_COLUMNS = ("indicateur", "annee_contrat", "valeur", "source", "date")


def year_status(start: date, end: date, today: date) -> YearStatus:
    if today < start:
        return "upcoming"
    return "live" if today <= end else "final"


async def _contract(session: AsyncSession) -> AciContract:
    contract = await session.scalar(select(AciContract).order_by(AciContract.id).limit(1))
    if contract is None:
        raise NotFound(NO_CONTRACT)
    return contract


async def _indicators(session: AsyncSession, contract_id: int) -> list[AciIndicator]:
    rows = await session.scalars(
        select(AciIndicator)
        .where(AciIndicator.contract_id == contract_id)
        .order_by(AciIndicator.contract_year, AciIndicator.code)
    )
    return list(rows)


def _indicator_in(row: AciIndicator) -> IndicatorIn:
    return IndicatorIn.model_validate(
        {name: getattr(row, name) for name in IndicatorIn.model_fields}
    )


def _amounts(size: int) -> SizeAmountsOut:
    a = aci_amounts.amounts_for(size)
    return SizeAmountsOut(
        running=a.running,
        access_fixed=a.access_fixed,
        access_variable=a.access_variable,
        gp_compensation=a.gp_compensation,
        orientation_service=a.orientation_service,
    )


async def get_contract(session: AsyncSession, today: date) -> ContractOut:
    contract = await _contract(session)
    indicators = await _indicators(session, contract.id)
    years = []
    for year in range(1, 6):
        start, end = aci_rules.contract_year_bounds(contract.signed_on, year)
        years.append(
            ContractYearOut(year=year, start=start, end=end, status=year_status(start, end, today))
        )
    return ContractOut(
        signed_on=contract.signed_on,
        cpts_size=contract.cpts_size,
        size_population=aci_amounts.SIZE_POPULATION[contract.cpts_size],
        operator_hour_cost=contract.operator_hour_cost,
        version=contract.version,
        updated_at=contract.updated_at,
        amounts=_amounts(contract.cpts_size),
        amounts_source=aci_amounts.SOURCE,
        years=years,
        indicators=[IndicatorOut.model_validate(_indicator_in(i).model_dump()) for i in indicators],
    )


def check_contract(data: ContractIn) -> None:
    """Codes unique within a year; each year's weights add up to 100 %."""
    seen: set[tuple[int, str]] = set()
    weights: dict[int, float] = defaultdict(float)
    for index, indicator in enumerate(data.indicators):
        key = (indicator.contract_year, indicator.code)
        if key in seen:
            raise BusinessRuleError(
                f"L'indicateur « {indicator.code} » figure deux fois en année "
                f"{indicator.contract_year}.",
                ("body", "indicators", index, "code"),
            )
        seen.add(key)
        weights[indicator.contract_year] += indicator.weight
    for year, total in sorted(weights.items()):
        if abs(total - 100) > 0.01:
            raise BusinessRuleError(
                f"Année {year} : les poids des indicateurs font {total:g} % au lieu de 100 %.",
                ("body", "indicators"),
            )


async def save_contract(
    session: AsyncSession, actor: Actor, data: ContractIn, today: date
) -> ContractOut:
    """Replaces the contract and its indicators; keeps the new version's snapshot."""
    check_contract(data)
    contract = await session.scalar(select(AciContract).order_by(AciContract.id).limit(1))
    now = utcnow()
    if contract is None:
        contract = AciContract(version=0)
        session.add(contract)
    contract.signed_on = data.signed_on
    contract.cpts_size = data.cpts_size
    contract.operator_hour_cost = data.operator_hour_cost
    contract.version += 1
    contract.updated_at = now
    contract.updated_by = actor.user_id
    await session.flush()
    await session.execute(delete(AciIndicator).where(AciIndicator.contract_id == contract.id))
    session.add_all(
        AciIndicator(contract_id=contract.id, **i.model_dump()) for i in data.indicators
    )
    session.add(
        AciContractVersion(
            contract_id=contract.id,
            version=contract.version,
            saved_at=now,
            saved_by=actor.user_id,
            snapshot=data.model_dump_json(),
        )
    )
    await audit.record(
        session, actor, "update", "aci_contract", contract.id, f"version {contract.version}"
    )
    await session.flush()
    return await get_contract(session, today)


async def list_versions(session: AsyncSession) -> list[ContractVersionOut]:
    contract = await _contract(session)
    rows = await session.scalars(
        select(AciContractVersion)
        .where(AciContractVersion.contract_id == contract.id)
        .order_by(AciContractVersion.version.desc())
    )
    return [
        ContractVersionOut(
            version=r.version,
            saved_at=r.saved_at,
            saved_by=r.saved_by,
            contract=ContractIn.model_validate(json.loads(r.snapshot)),
        )
        for r in rows
    ]


# -- national figures ----------------------------------------------------------------------------


async def set_figure(session: AsyncSession, actor: Actor, figure: FigureIn) -> FigureOut:
    row = await session.scalar(
        select(AciFigure).where(
            AciFigure.code == figure.code, AciFigure.contract_year == figure.contract_year
        )
    )
    if row is None:
        row = AciFigure(code=figure.code, contract_year=figure.contract_year)
        session.add(row)
    row.value, row.source, row.figure_date = figure.value, figure.source, figure.figure_date
    row.entered_at, row.entered_by = utcnow(), actor.user_id
    await session.flush()
    await audit.record(
        session, actor, "update", "aci_figure", f"{figure.code}/{figure.contract_year}"
    )
    return _figure_out(row)


def _figure_out(row: AciFigure) -> FigureOut:
    return FigureOut(
        code=row.code,
        contract_year=row.contract_year,
        value=row.value,
        source=row.source,
        figure_date=row.figure_date,
        entered_at=row.entered_at,
    )


async def list_figures(session: AsyncSession) -> list[FigureOut]:
    rows = await session.scalars(
        select(AciFigure).order_by(AciFigure.contract_year, AciFigure.code)
    )
    return [_figure_out(r) for r in rows]


def _french_number(text: str) -> float:
    return float(text.strip().replace("\u202f", "").replace(" ", "").replace(",", "."))


def _french_date(text: str) -> date:
    text = text.strip()
    if "/" in text:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)


def parse_figures_csv(content: bytes) -> list[FigureIn]:
    """`indicateur;annee_contrat;valeur;source;date` (UTF-8, BOM allowed; `,` or `;`; French
    decimals and dd/mm/yyyy dates accepted). Any bad line rejects the whole file, named."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BusinessRuleError("Le fichier doit être encodé en UTF-8.", ("body", "file")) from None
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if header[: len(CSV_COLUMNS)] != list(CSV_COLUMNS):
        raise BusinessRuleError(
            "En-tête attendu : " + ";".join(CSV_COLUMNS) + ".", ("body", "file", "ligne 1")
        )
    figures: list[FigureIn] = []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        try:
            figures.append(
                FigureIn(
                    code=row["indicateur"],
                    contract_year=int(row["annee_contrat"]),
                    value=_french_number(row["valeur"]),
                    source=row["source"],
                    figure_date=_french_date(row["date"]),
                )
            )
        except (ValueError, ValidationError) as exc:
            what = exc.errors()[0]["loc"][0] if isinstance(exc, ValidationError) else "valeur"
            raise BusinessRuleError(
                f"Ligne {line} : valeur invalide ({what}).", ("body", "file", f"ligne {line}")
            ) from None
    if not figures:
        raise BusinessRuleError("Le fichier ne contient aucun chiffre.", ("body", "file"))
    return figures


async def import_figures(session: AsyncSession, actor: Actor, content: bytes) -> FigureImportReport:
    figures = parse_figures_csv(content)  # all or nothing: parsed before any write
    for figure in figures:
        await set_figure(session, actor, figure)
    return FigureImportReport(imported=len(figures))


# -- the view of one contract year ---------------------------------------------------------------


def _money(m: aci_rules.Money) -> MoneyOut:
    return MoneyOut(
        fixed=m.fixed,
        variable_max=m.variable_max,
        variable_earned=m.variable_earned,
        total=m.total,
        advance=m.advance,
        advance_date=m.advance_date,
        balance=m.balance,
        balance_due_by=m.balance_due_by,
    )


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


async def year_view(session: AsyncSession, year: int, today: date) -> YearView:
    """Contract year `year`: values (to date, or final), attainment and money."""
    contract = await _contract(session)
    start, end = aci_rules.contract_year_bounds(contract.signed_on, year)
    status = year_status(start, end, today)
    chosen = [i for i in await _indicators(session, contract.id) if i.contract_year == year]
    data_until = None if status == "upcoming" else min(end, today)
    days_in_year = (end - start).days + 1
    days_elapsed = 0 if data_until is None else (data_until - start).days + 1
    figures = {
        f.code: f
        for f in await session.scalars(select(AciFigure).where(AciFigure.contract_year == year))
    }
    metrics = {i.metric for i in chosen if i.source == "platform" and i.metric}
    platform = (
        await platform_values(session, start, data_until, metrics) if data_until and metrics else {}
    )
    results: list[IndicatorResult] = []
    actual: list[tuple[float, float | None]] = []
    pace: list[tuple[float, float | None]] = []
    for i in chosen:
        value: float | None
        if i.source == "platform":
            value = platform.get(i.metric or "") if data_until else None
            origin = "Plateforme SNP (calculé)" if value is not None else None
        else:
            figure = figures.get(i.code)
            value = figure.value if figure else None
            origin = (
                f"{figure.source}, chiffre au {figure.figure_date.strftime('%d/%m/%Y')}"
                if figure
                else None
            )
        projected_value = value
        if status == "live" and value is not None and i.metric in COUNT_METRICS:
            projected_value = round(aci_rules.projected(value, days_elapsed, days_in_year), 1)
        direction = cast(aci_rules.Direction, i.direction)
        rate = aci_rules.attainment(value, i.baseline, i.target, direction)
        projected_rate = aci_rules.attainment(projected_value, i.baseline, i.target, direction)
        actual.append((i.weight, rate))
        pace.append((i.weight, projected_rate))
        results.append(
            IndicatorResult(
                **_indicator_in(i).model_dump(exclude={"contract_year"}),
                value=value,
                value_origin=origin,
                projected_value=projected_value if status == "live" else None,
                attainment_percent=_percent(rate),
                projected_attainment_percent=_percent(projected_rate) if status == "live" else None,
                missing=i.source == "entered" and value is None,
            )
        )
    amounts = aci_amounts.amounts_for(contract.cpts_size)
    fixed, variable = float(amounts.access_fixed), float(amounts.access_variable)
    return YearView(
        year=year,
        start=start,
        end=end,
        status=status,
        data_until=data_until,
        days_elapsed=days_elapsed,
        days_in_year=days_in_year,
        partial=status == "live",
        cpts_size=contract.cpts_size,
        amounts=_amounts(contract.cpts_size),
        indicators=results,
        missing_figures=[r.label for r in results if r.missing],
        weights_total=sum(i.weight for i in chosen),
        money=_money(aci_rules.money(fixed, variable, actual, start, end)),
        projected_money=(
            _money(aci_rules.money(fixed, variable, pace, start, end)) if status == "live" else None
        ),
    )

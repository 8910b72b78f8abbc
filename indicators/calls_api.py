"""The phone line's figures for the dashboard and their exports (coordinators and funders:
counts and delays only, never a number or a patient)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from indicators import calls, exports
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, require_roles
from snp.errors import BusinessRuleError

router = APIRouter(prefix="/api/indicators", tags=["indicators"])

Reader = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.FUNDER))]
MAX_DAYS = 400


def _period(start: date, end: date) -> None:
    if end < start:
        raise BusinessRuleError("La fin de la période précède son début.", ("query", "end"))
    if (end - start).days > MAX_DAYS:
        raise BusinessRuleError(
            f"Période trop longue ({MAX_DAYS} jours au plus).", ("query", "end")
        )


@router.get("/calls")
async def call_figures(
    session: SessionDep,
    actor: Reader,
    start: Annotated[date, Query(description="Premier jour (Paris).")],
    end: Annotated[date, Query(description="Dernier jour inclus (Paris).")],
) -> calls.CallFigures:
    """Calls by hour and day, answered within 60 s, abandonment, waits, per operator, calls
    that became requests, call-back delay of missed callers."""
    _period(start, end)
    return await calls.call_figures(session, start, end)


async def _export_rows(session: SessionDep, start: date, end: date) -> exports.Rows:
    _period(start, end)
    return calls.figures_table(await calls.call_figures(session, start, end))


def _attachment(start: date, end: date, ext: str) -> dict[str, str]:
    name = f"appels_{start.isoformat()}_{end.isoformat()}.{ext}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/calls/export.csv", response_class=Response)
async def export_calls_csv(session: SessionDep, actor: Reader, start: date, end: date) -> Response:
    """The figures as CSV (`;`, UTF-8 with BOM, for Excel in French)."""
    rows = await _export_rows(session, start, end)
    return Response(
        exports.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(start, end, "csv"),
    )


@router.get("/calls/export.xlsx", response_class=Response)
async def export_calls_xlsx(session: SessionDep, actor: Reader, start: date, end: date) -> Response:
    """The figures as an Excel workbook, with their definitions."""
    rows = await _export_rows(session, start, end)
    return Response(
        exports.to_xlsx(rows, "Ligne téléphonique", calls.DEFINITIONS),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment(start, end, "xlsx"),
    )

"""Indicators API: the dashboard and the exports of aggregated tables (coordinators and the
read-only funders, ARS/CPAM), the pseudonymised drill-down and the per-request or
per-consultation exports (coordinators only: a funder never sees a patient's record)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import ValidationError

from indicators import exports
from indicators.aci_api import router as aci_router  # the contract's routes, mounted beside
from indicators.errors import IdentityExportReasonMissing, IdentityExportRefused, InvalidFilter
from indicators.queries import compute_dashboard
from indicators.records import list_records
from indicators.schemas import Dashboard, Filters, Granularity, RecordPage
from snp import audit
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, SettingsDep, require_roles
from snp.errors import Forbidden
from snp.kit import PageDep

router = APIRouter(prefix="/api/indicators", tags=["indicators"])
__all__ = ["aci_router", "router"]

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
Reader = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.FUNDER))]
# Tables with one row per request or consultation: coordinators only.
PER_PATIENT_TABLES = frozenset({"records", "consultations"})


def parse_filters(
    start: Annotated[date, Query(description="Premier jour (heure de Paris), AAAA-MM-JJ.")],
    end: Annotated[date, Query(description="Dernier jour, inclus.")],
    granularity: Annotated[Granularity, Query(description="month, quarter ou year.")] = "month",
    commune: Annotated[str | None, Query(description="Code INSEE de la commune.")] = None,
    origin: Annotated[str | None, Query(description="Origine de la demande.")] = None,
    effector_id: Annotated[int | None, Query(description="Effecteur.")] = None,
) -> Filters:
    try:
        return Filters(
            start=start,
            end=end,
            granularity=granularity,
            commune=commune or None,
            origin=origin or None,
            effector_id=effector_id,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "start"
        message = str(error.get("ctx", {}).get("error", "")) or "Valeur invalide."
        if error["type"] == "string_pattern_mismatch":
            message = "Code INSEE de commune invalide (5 caractères)."
        raise InvalidFilter(message, ("query", field)) from None


FiltersDep = Annotated[Filters, Depends(parse_filters)]


@router.get("/dashboard")
async def dashboard(
    session: SessionDep, actor: Reader, settings: SettingsDep, filters: FiltersDep
) -> Dashboard:
    """Every indicator for the period and filters, computed from the read model."""
    return await compute_dashboard(session, filters, settings)


@router.get("/records")
async def records(
    session: SessionDep,
    actor: Coordinator,
    filters: FiltersDep,
    page: PageDep,
) -> RecordPage:
    """The requests behind the figures, pseudonymised (R-000123, age band; no identity)."""
    return await list_records(session, filters, page)


TableQuery = Annotated[exports.Table, Query(description="Le tableau à exporter.")]
IdentityQuery = Annotated[
    bool, Query(description="Avec l'identité des patients (tracé dans le journal d'audit).")
]
ReasonQuery = Annotated[
    str | None,
    Query(max_length=200, description="Motif d'un export nominatif (obligatoire avec l'identité)."),
]


@dataclass(frozen=True, slots=True)
class Export:
    table: exports.Table
    filters: Filters
    rows: exports.Rows


async def export_rows(
    session: SessionDep,
    actor: Reader,
    settings: SettingsDep,
    filters: FiltersDep,
    table: TableQuery,
    with_identity: IdentityQuery = False,
    reason: ReasonQuery = None,
) -> Export:
    """The rows of one exported table, whatever the format (the export routes' policy:
    coordinators and funders); the per-patient tables are refused to funders, an export with
    the patients' identity needs a reason and is traced."""
    if actor.role == Role.FUNDER and table in PER_PATIENT_TABLES:
        raise Forbidden(
            "Les financeurs consultent les indicateurs agrégés, pas la liste des demandes.",
            ("query", "table"),
        )
    if with_identity and table != "records":
        raise IdentityExportRefused(
            "L'identité ne peut être exportée qu'avec la liste des demandes.",
            ("query", "with_identity"),
        )
    if with_identity and (reason is None or len(reason.strip()) < 5):
        raise IdentityExportReasonMissing(
            "Indiquez le motif de l'export nominatif (au moins 5 caractères).",
            ("query", "reason"),
        )
    rows = await exports.build_table(
        session, filters, table, settings=settings, with_identity=with_identity
    )
    if with_identity:
        # Whose data left, how many rows, and why: the filters, the count, the stated reason.
        detail = json.dumps(
            {
                "filters": filters.model_dump(mode="json", exclude_none=True),
                "rows": len(rows[1]),
                "reason": (reason or "").strip(),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )[:500]
        await audit.record(session, actor, "export_identity", "indicators", table, detail)
    return Export(table, filters, rows)


ExportDep = Annotated[Export, Depends(export_rows)]


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/export.csv", response_class=Response)
async def export_csv(export: ExportDep) -> Response:
    """One table as CSV (`;`, UTF-8 with BOM, for Excel in French)."""
    return _download(
        exports.to_csv(export.rows),
        "text/csv; charset=utf-8",
        exports.filename(export.table, export.filters, "csv"),
    )


@router.get("/export.xlsx", response_class=Response)
async def export_xlsx(export: ExportDep) -> Response:
    """One table as an Excel workbook."""
    table = export.table
    return _download(
        exports.to_xlsx(export.rows, exports.TITLES[table], exports.DEFINITIONS.get(table)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.filename(table, export.filters, "xlsx"),
    )

"""The FHIR server the SAS platform calls (`/fhir`), every route behind the `sas_client`
policy (checked client-certificate subject). Requests may be `application/fhir+json` or
`application/json+fhir`; answers are `application/fhir+json`; errors are OperationOutcomes."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from starlette.responses import Response

from sas import practitioners, reads
from sas.access import SasClient
from sas.capability import capability_statement
from sas.fhir import (
    ACCEPTED_CONTENT_TYPES,
    FhirResponse,
    UnknownResource,
    UnsupportedMediaType,
)
from sas.search import BundleContext, parse_query, search_slots
from snp.deps import SessionDep, SettingsDep
from snp.settings import Settings

router = APIRouter(prefix="/fhir", tags=["fhir"], include_in_schema=False)


def fhir_base(request: Request, settings: Settings) -> str:
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/") + "/fhir"
    return str(request.base_url).rstrip("/") + "/fhir"


def public_base(request: Request, settings: Settings) -> str:
    return (settings.public_base_url or str(request.base_url)).rstrip("/")


def _check_content_type(request: Request) -> None:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in ACCEPTED_CONTENT_TYPES and media != "application/json":
        raise UnsupportedMediaType(
            "Type de contenu attendu : application/fhir+json (ou application/json+fhir).",
            ("header", "Content-Type"),
        )


@router.get("/metadata")
async def metadata(request: Request, settings: SettingsDep, _sas: SasClient) -> FhirResponse:
    return FhirResponse(capability_statement(fhir_base(request, settings)))


@router.get("/Slot")
async def search_slot(
    request: Request, session: SessionDep, settings: SettingsDep, _sas: SasClient
) -> FhirResponse:
    """INT_R04 (CPTS): the free slots of 1 to 25 practitioners over a period."""
    query = parse_query(request.query_params.multi_items())
    return FhirResponse(await search_slots(session, query, _context(request, settings)))


def _context(request: Request, settings: Settings) -> BundleContext:
    return BundleContext(
        base=fhir_base(request, settings),
        self_url=str(request.url),
        booking_base=public_base(request, settings) + "/sas/effecteurs",
    )


@router.get("/Slot/{slot_id}")
async def read_slot(
    slot_id: str, request: Request, session: SessionDep, settings: SettingsDep, _sas: SasClient
) -> FhirResponse:
    """A free slot shared with the SAS, as the search returns it."""
    return FhirResponse(await reads.read_slot(session, slot_id, _context(request, settings)))


@router.get("/Schedule")
async def search_schedule(
    request: Request, session: SessionDep, settings: SettingsDep, _sas: SasClient
) -> FhirResponse:
    """The Schedules of a Practitioner (`actor=Practitioner/<id>`) or of a role."""
    bundle = await reads.search_schedules(
        session, request.query_params.get("actor"), _context(request, settings)
    )
    return FhirResponse(bundle)


@router.get("/Schedule/{schedule_id}")
async def read_schedule(schedule_id: str, session: SessionDep, _sas: SasClient) -> FhirResponse:
    return FhirResponse(await reads.read_schedule(session, schedule_id))


@router.get("/Practitioner")
async def search_practitioner(
    request: Request, session: SessionDep, settings: SettingsDep, sas: SasClient
) -> FhirResponse:
    """Effectors by RPPS/ADELI, regulator accounts by the id the platform gave them."""
    bundle = await reads.search_practitioners(
        session, sas, request.query_params.get("identifier"), _context(request, settings)
    )
    return FhirResponse(bundle)


@router.get("/Practitioner/{practitioner_id}")
async def read_practitioner(
    practitioner_id: str, session: SessionDep, sas: SasClient
) -> FhirResponse:
    return FhirResponse(await reads.read_practitioner(session, sas, practitioner_id))


def _saved_response(
    request: Request, settings: Settings, saved: practitioners.Saved, code: int
) -> FhirResponse:
    location = f"{fhir_base(request, settings)}/Practitioner/{saved.resource['id']}"
    return FhirResponse(saved.resource, status_code=code, headers={"Location": location})


@router.post("/Practitioner", status_code=status.HTTP_201_CREATED)
async def create_practitioner(
    request: Request, session: SessionDep, settings: SettingsDep, sas: SasClient
) -> FhirResponse:
    """INT_R02: a new regulator account (201); an account already known is updated (200)."""
    _check_content_type(request)
    saved = await practitioners.create_practitioner(session, sas, await request.body())
    code = status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK
    return _saved_response(request, settings, saved, code)


@router.put("/Practitioner")
async def update_practitioner(
    request: Request, session: SessionDep, settings: SettingsDep, sas: SasClient
) -> FhirResponse:
    """INT_R02: the conditional update `?identifier=system|value` (creates when unknown)."""
    _check_content_type(request)
    saved = await practitioners.upsert_practitioner(
        session, sas, request.query_params.get("identifier"), await request.body()
    )
    return _saved_response(request, settings, saved, status.HTTP_200_OK)


@router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def unsupported(path: str, _sas: SasClient) -> Response:
    raise UnknownResource(f"Ressource ou opération non prise en charge : {path or '/'}.")

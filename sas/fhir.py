"""FHIR plumbing shared by the SAS routes: code systems and profile URLs of the SAS guide
(`ans.fhir.fr.sas`), content types, OperationOutcome errors and their handlers.

Every error on a `/fhir` path is an OperationOutcome (400 malformed request, 403 access,
404 unknown, 422 business rule), while `/api` keeps its `{"detail": [...]}` shape.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from snp.errors import DomainError, french_message
from snp.kit import PARIS

FHIR_JSON = "application/fhir+json"
LEGACY_FHIR_JSON = "application/json+fhir"  # the guide's tables (Accept) and the platform
ACCEPTED_CONTENT_TYPES = frozenset({"application/fhir+json", "application/json+fhir"})

# Identifier systems and types.
IDNPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"  # national practitioner ids (8+RPPS, 0+ADELI)
IDNST_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"  # structure ids (1+FINESS, 3+SIRET, ...)
SAS_SYSTEM = "urn:oid:1.2.250.1.213.3.6"  # the SAS platform: technical ids, meta.source
ID_TYPE_SYSTEM = "http://interopsante.org/fhir/CodeSystem/fr-v2-0203"
# The CPTS Organization's FSH (FrOrganizationAgregateurCPTS) fixes its identifier type here.
FR_CORE_ID_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
IG_URL = "https://interop.esante.gouv.fr/ig/fhir/sas"

# Code systems of the Slot.
VISIBILITY_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau"
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ESTABLISHMENT_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"
CPTS_CATEGORY = "604"
SPECIALTY_SYSTEM = (
    "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale"
)
APPOINTMENT_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0276"
SERVICE_TYPE_EXTENSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType"
OPERATOR_EXTENSION = "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator"

# Profiles.
_IG = "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/"
BUNDLE_PROFILE = _IG + "sas-cpts-bundle-aggregator"
SLOT_PROFILE = _IG + "sas-cpts-slot-aggregator"
HEALTHCARE_SERVICE_PROFILE = _IG + "sas-cpts-healthcareservice-aggregator"
ORGANIZATION_PROFILE = _IG + "sas-cpts-organization-aggregator"
EMPTY_BUNDLE_PROFILE = "http://sas.fr/fhir/StructureDefinition/BundleAgregateur"
REGULATOR_PROFILE = _IG + "FrPractitionerRegul"  # no ^url in its FSH: the IG's canonical
SCHEDULE_PROFILE = "http://sas.fr/fhir/StructureDefinition/FrScheduleAgregateur"
PRACTITIONER_PROFILE = "http://sas.fr/fhir/StructureDefinition/FrPractitionerAgregateur"
PRACTITIONER_ROLE_PROFILE = (
    "http://sas.fr/fhir/StructureDefinition/FrPractitionerRoleExerciceAgregateur"
)
LOCATION_PROFILE = "http://sas.fr/fhir/StructureDefinition/FrLocationAgregateur"
APPOINTMENT_PROFILE = "http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS"


def id_type(code: str, system: str = ID_TYPE_SYSTEM) -> dict[str, Any]:
    """`Identifier.type` for IDNPS, IDNST or INTRN."""
    return {"coding": [{"system": system, "code": code}]}


def fhir_datetime(value: datetime) -> str:
    """A FHIR dateTime with its offset, in Paris time (`2026-11-24T10:00:00+01:00`)."""
    return value.astimezone(PARIS).isoformat(timespec="seconds")


def practitioner_identifier(national_id: str, kind: str) -> dict[str, Any]:
    """The IDNPS identifier of a practitioner, always prefixed (8+RPPS, 0+ADELI)."""
    return {"type": id_type("IDNPS"), "system": IDNPS_SYSTEM, "value": prefixed(national_id, kind)}


def prefixed(national_id: str, kind: str) -> str:
    return ("0" if kind == "ADELI" else "8") + national_id


class FhirResponse(JSONResponse):
    media_type = FHIR_JSON

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):  # already encoded (the slot search writes its JSON)
            return content
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


class FhirError(DomainError):
    """An error answered as an OperationOutcome; `code` is the FHIR issue type."""

    code = "processing"

    def __init__(
        self, msg: str, loc: Sequence[str | int] = (), *, status: int | None = None
    ) -> None:
        super().__init__(msg, loc)
        if status is not None:
            self.status_code = status


class Malformed(FhirError):
    """400: the request cannot be understood (syntax, missing parameter, too many ids)."""

    status_code = 400
    code = "invalid"


class BusinessRule(FhirError):
    """422: understood but refused by a business rule."""

    status_code = 422
    code = "business-rule"


class AccessDenied(FhirError):
    status_code = 403
    code = "security"


class UnsupportedMediaType(FhirError):
    status_code = 415
    code = "not-supported"


class UnknownResource(FhirError):
    status_code = 404
    code = "not-found"


_ISSUE_CODE_BY_STATUS = {
    400: "invalid",
    401: "login",
    403: "security",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    415: "not-supported",
    422: "business-rule",
}


def operation_outcome(issues: Sequence[tuple[str, str, Sequence[str | int]]]) -> dict[str, Any]:
    """An OperationOutcome with one error issue per (code, French message, location)."""
    out: list[dict[str, Any]] = []
    for code, message, loc in issues:
        issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": message}
        where = ".".join(str(p) for p in loc if p not in ("body", "query", "path"))
        if where:
            issue["expression"] = [where]
        out.append(issue)
    return {"resourceType": "OperationOutcome", "issue": out}


def outcome_response(
    status: int, message: str, loc: Sequence[str | int] = (), code: str | None = None
) -> FhirResponse:
    code = code or _ISSUE_CODE_BY_STATUS.get(status, "processing")
    return FhirResponse(operation_outcome([(code, message, loc)]), status_code=status)


def is_fhir_path(request: Request) -> bool:
    path = request.url.path
    return path == "/fhir" or path.startswith("/fhir/")


Handler = Callable[[Request, Exception], Awaitable[Response]]


def install_fhir_handlers(app: FastAPI) -> None:
    """Errors on `/fhir` paths become OperationOutcomes; other paths keep their handlers.

    Call after `snp.errors.install_handlers`: the handlers already installed are kept for the
    rest of the app."""
    handlers: dict[Any, Handler] = app.exception_handlers  # type: ignore[assignment]
    previous_domain = handlers.get(DomainError)
    previous_validation = handlers.get(RequestValidationError)
    previous_http = handlers.get(StarletteHTTPException)

    async def on_domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        if not is_fhir_path(request) and previous_domain is not None:
            return await previous_domain(request, exc)
        code = exc.code if isinstance(exc, FhirError) else None
        return outcome_response(exc.status_code, exc.msg, exc.loc, code)

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not is_fhir_path(request) and previous_validation is not None:
            return await previous_validation(request, exc)
        issues = [("invalid", french_message(e), list(e.get("loc", ()))) for e in exc.errors()] or [
            ("invalid", "Requête invalide.", [])
        ]
        return FhirResponse(operation_outcome(issues), status_code=400)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not is_fhir_path(request):
            if previous_http is not None:
                return await previous_http(request, exc)
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        messages = {404: "Ressource introuvable.", 405: "Opération non prise en charge."}
        message = messages.get(exc.status_code, str(exc.detail))
        return outcome_response(exc.status_code, message)

    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)

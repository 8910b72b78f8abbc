"""Composition root: assembles the kernel and every domain package into one FastAPI app."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp

# Importing a package's models registers its tables on `Base.metadata` (used by Alembic).
import agenda.jobs
import agenda.models  # noqa: F401
import composition.handlers  # noqa: F401  (every package's event handlers; the CLI's too)
import indicators.handlers  # the indicators read model follows regulation and agenda
import indicators.models  # noqa: F401
import notifications.handlers  # registers the SMS reactions to the agenda's events
import notifications.jobs
import notifications.models  # noqa: F401
import regulation.handlers  # registers regulation's reactions to the agenda's events
import regulation.jobs
import regulation.models  # noqa: F401
import sas.handlers  # pushes SAS regulators' appointments to the platform
import sas.jobs
import sas.models  # noqa: F401
import snp.audit
import snp.audit_archive  # the daily audit archive job
import snp.auth.jobs
import snp.auth.models
import snp.first_run  # its table: the first-start setup code
import snp.idempotency  # its table and its hourly purge
import snp.mail
import snp.scheduler
import snp.territory.models
import telephony.jobs  # erases callers' numbers past their retention
import telephony.models  # noqa: F401
from agenda.api import router as agenda_router
from indicators.api import aci_router, calls_router
from indicators.api import router as indicators_router
from notifications import check_configuration as check_sms_configuration
from notifications import close_sms_backends
from notifications.api import router as notifications_router
from regulation.api import router as regulation_router
from rights.api import router as rights_router
from sas import booking_router as sas_router
from sas import fhir_router, install_fhir_handlers
from sas import link_router as sas_link_router
from sas import warn_if_open as warn_if_sas_open
from snp import edge, live, logging_setup, twilio
from snp.audit_api import router as audit_router
from snp.auth.api import router as auth_router
from snp.auth.api import users_router
from snp.auth.invitations_api import router as invitations_router
from snp.auth.mfa_api import router as mfa_router
from snp.auth.mfa_api import users_router as mfa_users_router
from snp.auth.psc_api import router as psc_router
from snp.auth.reset_api import router as password_reset_router
from snp.db import Base, Database
from snp.deps import public
from snp.errors import install_handlers
from snp.first_run_api import router as setup_router
from snp.health import router as health_router
from snp.patient_info import router as patient_info_router
from snp.settings import Settings, get_settings
from snp.territory.api import router as territory_router
from telephony import check_voice_configuration
from telephony.api import console_router as voice_console_router
from telephony.api import router as voice_router
from telephony.api import twilio_router as voice_twilio_router

log = logging.getLogger(__name__)

ROUTERS: list[APIRouter] = [
    health_router,
    patient_info_router,
    auth_router,
    users_router,
    mfa_router,
    mfa_users_router,
    psc_router,
    audit_router,
    territory_router,
    agenda_router,
    regulation_router,
    notifications_router,
    indicators_router,
    aci_router,
    calls_router,
    password_reset_router,
    invitations_router,
    setup_router,
    sas_router,
    sas_link_router,
    rights_router,
    fhir_router,
    voice_router,
    voice_twilio_router,
    voice_console_router,
    live.router,
]

METADATA = Base.metadata
__all__ = ["METADATA", "create_app"]
_ = snp.audit  # the audit table is part of the metadata


def operation_id(route: APIRoute) -> str:
    """`<tag>-<route name>`, so the generated client reads `auth-login`, `agenda-list_effectors`."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


# The web UI loads only its own files and the map's OpenStreetMap tiles; the API docs page
# (Swagger UI) loads its script and style from jsDelivr and starts with an inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org https://*.tile.openstreetmap.org; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; object-src 'none'; "
    "frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeaders(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        super().__init__(app)
        self.hsts = hsts

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        docs = request.url.path.startswith("/api/docs")
        headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
        if self.hsts:  # cookies are Secure: the site is served over HTTPS only
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.url.path.startswith("/api"):
            headers.setdefault("Cache-Control", "no-store")
        return response


_NO_FRONTEND = """<!doctype html><html lang="fr"><meta charset="utf-8">
<title>SNP</title><body><h1>Interface non construite</h1>
<p>L'interface web n'a pas été construite : lancez <code>make run</code>
(ou <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>).</p></body></html>"""


def _frontend_router(dist: Path) -> APIRouter:
    router = APIRouter(tags=["frontend"], include_in_schema=False)
    root = dist.resolve()

    @router.get("/{path:path}", dependencies=[Depends(public)])
    async def spa(path: str) -> Response:
        if path.startswith(("api/", "fhir/")) or path in ("api", "fhir"):
            return JSONResponse(
                {"detail": [{"loc": ["path"], "msg": "Ressource introuvable."}]}, status_code=404
            )
        if path.endswith(".map"):  # source maps are never served, even if built
            return JSONResponse(
                {"detail": [{"loc": ["path"], "msg": "Ressource introuvable."}]}, status_code=404
            )
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        index = root / "index.html"
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(_NO_FRONTEND, status_code=503)

    return router


_heap_frozen = False


def _freeze_startup_heap() -> None:
    """The objects alive once started (modules, settings, caches) live as long as the process:
    out of the collector's sight, full collections no longer walk them, which takes ~100 ms
    pauses off the tail latency of the requests that trigger one. Once per process (tests start
    many apps: what a later one leaves must stay collectable)."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


async def announce_setup_code(database: Database) -> None:
    """First start: print a fresh setup code on the server's output (not in the database)."""
    async with database.transaction() as session:
        code = await snp.first_run.prepare(session)
    if code is not None:
        sys.stdout.write(
            "\n=== Première installation ===\n"
            f"Code d'installation : {code}\n"
            f"Ouvrez {snp.first_run.SETUP_PATH} dans le navigateur et saisissez ce code "
            "(il change à chaque démarrage tant que l'installation n'est pas faite).\n\n"
        )
        sys.stdout.flush()


def create_app(settings: Settings | None = None, *, start_scheduler: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging_setup.configure(settings.log_level)
    run_scheduler = settings.scheduler_enabled if start_scheduler is None else start_scheduler

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scheduler = snp.scheduler.Scheduler(app.state.db)
        await announce_setup_code(app.state.db)
        await app.state.live.start()
        mail_sender: asyncio.Task[None] | None = None
        if run_scheduler:
            scheduler.start()
            mail_sender = asyncio.create_task(
                snp.mail.run_sender(app.state.db.sessionmaker, settings)
            )
        if "twilio" in (settings.sms_backend, settings.voice_backend):
            twilio.warm_up()
        _freeze_startup_heap()
        try:
            yield
        finally:
            if mail_sender is not None:
                mail_sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await mail_sender
            scheduler.shutdown()
            await app.state.live.stop()
            await close_sms_backends()
            await twilio.close_shared()  # the pooled Twilio client of the phone line
            await app.state.db.dispose()

    app = FastAPI(
        title="SNP — soins non programmés",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url="/api/docs",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(edge.bounded_integers)],
    )
    app.state.settings = settings
    check_sms_configuration(settings)  # a broken SMS template or Twilio setting stops the start
    check_voice_configuration(settings)  # so does a broken voice message or Twilio setting
    app.state.db = Database(settings.database_url, settings.database_pool_size, settings)
    app.state.live = live.LiveHub(app.state.db, settings)
    app.add_middleware(SecurityHeaders, hsts=settings.cookie_secure)
    app.add_middleware(live.LiveContext, hub=app.state.live)
    app.add_middleware(edge.InputGuard, trusted_origins=edge.trusted_origins(settings))
    install_handlers(app)
    install_fhir_handlers(app)  # OperationOutcome errors on /fhir paths
    warn_if_sas_open(settings)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(_frontend_router(settings.frontend_dist))
    return app

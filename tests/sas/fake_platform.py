"""A fake national SAS platform for tests: a real HTTP server on 127.0.0.1 (aiohttp in its own
thread, so async tests and sync browser tests can both use it) and a driver that calls our
`/fhir` routes like the real platform.

The server receives our INT_R03 pushes: `POST /Appointment` (201) and
`PUT /Appointment?identifier=system|value` (200, 201 when unknown: the conditional update
creates). It keeps every request received (`received`) and the appointments by identifier
(`appointments`). `fail_next(n)` answers the next n pushes with 503 (the platform is down);
`hang_next(n)` records the push then never answers before the client gives up (the outcome is
unknown to the sender); `refuse_next([403, 404, 422])` refuses the next pushes with those 4xx
(certificate not accepted, wrong URL, data refused) and an OperationOutcome saying why. Like the
real platform, it refuses (422) an Appointment without the mandatory `FrAppointmentOperator`.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
from aiohttp import web

from tests.support.postgres import free_port

FHIR_JSON = "application/fhir+json"
SAS_SUBJECT = "CN=plateforme.sas.sante.fr,OU=SAS,O=ANS,C=FR"
SAS_SUBJECTS_SETTING = "CN=plateforme.sas.sante.fr,OU=SAS"
OPERATOR_EXTENSION = "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator"


@dataclass
class Push:
    method: str
    identifier: str | None  # the `identifier` query parameter of a PUT
    resource: dict[str, Any]
    answered: int


@dataclass
class FakeSasPlatform:
    received: list[Push] = field(default_factory=list)
    appointments: dict[str, dict[str, Any]] = field(default_factory=dict)
    creations: int = 0
    _fail: int = 0
    _hang: int = 0
    _refuse: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/fhir"
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._runner: web.AppRunner | None = None

    # -- control ----------------------------------------------------------------------------

    def start(self) -> FakeSasPlatform:
        self._thread.start()
        assert self._started.wait(10), "the fake SAS platform did not start"
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._fail = count

    def hang_next(self, count: int) -> None:
        with self._lock:
            self._hang = count

    def refuse_next(self, statuses: list[int]) -> None:
        with self._lock:
            self._refuse = list(statuses)

    def statuses(self, identifier: str) -> list[str]:
        """The statuses the platform received for one appointment, in order (2xx only)."""
        return [
            p.resource["status"]
            for p in self.received
            if p.answered < 300 and p.resource["identifier"][0]["value"] == identifier
        ]

    # -- server -----------------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/fhir/Appointment", self._post)
        app.router.add_put("/fhir/Appointment", self._put)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        self._started.set()
        self._loop.run_forever()

    def _behaviour(self) -> str:
        with self._lock:
            if self._refuse:
                return f"refuse:{self._refuse.pop(0)}"
            if self._fail > 0:
                self._fail -= 1
                return "fail"
            if self._hang > 0:
                self._hang -= 1
                return "hang"
        return "ok"

    @staticmethod
    def _outcome(status: int, message: str) -> web.Response:
        body = {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "transient", "diagnostics": message}],
        }
        return web.json_response(body, status=status, content_type=FHIR_JSON)

    REFUSALS: ClassVar[dict[int, str]] = {
        403: "Certificat client non autorisé",
        404: "Ressource inconnue",
        422: "Rendez-vous refusé : règle métier",
    }

    async def _read(
        self, request: web.Request, behaviour: str, method: str
    ) -> dict[str, Any] | web.Response:
        if request.content_type not in ("application/fhir+json", "application/json+fhir"):
            return self._outcome(415, "content type")
        resource = json.loads(await request.read())
        token = request.query.get("identifier") if method == "PUT" else None
        if behaviour.startswith("refuse:"):
            status = int(behaviour.partition(":")[2])
            self.received.append(Push(method, token, resource, status))
            return self._outcome(status, self.REFUSALS.get(status, "refusé"))
        if resource.get("resourceType") != "Appointment":
            self.received.append(Push(method, token, resource, 400))
            return self._outcome(400, "Appointment expected")
        operators = [
            e
            for e in resource.get("extension", [])
            if e.get("url") == OPERATOR_EXTENSION
            and e.get("valueReference", {}).get("identifier", {}).get("value")
        ]
        if not operators:
            self.received.append(Push(method, token, resource, 422))
            return self._outcome(422, "FrAppointmentOperator obligatoire")
        return dict(resource)

    async def _post(self, request: web.Request) -> web.Response:
        behaviour = self._behaviour()
        resource = await self._read(request, behaviour, "POST")
        if isinstance(resource, web.Response):
            return resource
        if behaviour == "fail":
            self.received.append(Push("POST", None, resource, 503))
            return self._outcome(503, "maintenance")
        key = resource["identifier"][0]["value"]
        with self._lock:
            self.appointments[key] = resource
            self.creations += 1
        self.received.append(Push("POST", None, resource, 201))
        if behaviour == "hang":
            await asyncio.sleep(30)
        return web.json_response(resource, status=201, content_type=FHIR_JSON)

    async def _put(self, request: web.Request) -> web.Response:
        behaviour = self._behaviour()
        resource = await self._read(request, behaviour, "PUT")
        if isinstance(resource, web.Response):
            return resource
        token = request.query.get("identifier", "")
        if behaviour == "fail":
            self.received.append(Push("PUT", token, resource, 503))
            return self._outcome(503, "maintenance")
        system, _, value = token.partition("|")
        if (
            value != resource["identifier"][0]["value"]
            or system != (resource["identifier"][0]["system"])
        ):
            self.received.append(Push("PUT", token, resource, 400))
            return self._outcome(400, "identifier mismatch")
        with self._lock:
            created = value not in self.appointments
            self.appointments[value] = resource
            self.creations += int(created)
        status = 201 if created else 200
        self.received.append(Push("PUT", token, resource, status))
        if behaviour == "hang":
            await asyncio.sleep(30)
        return web.json_response(resource, status=status, content_type=FHIR_JSON)


class PlatformDriver:
    """Calls our FHIR routes the way the SAS platform does, through the TLS proxy (which sets
    the client certificate subject header)."""

    def __init__(self, client: httpx.AsyncClient, subject: str | None = SAS_SUBJECT) -> None:
        self.client = client
        self.headers = {"Accept": "application/json+fhir"}
        if subject is not None:
            self.headers["X-SSL-Client-S-DN"] = subject

    async def search_slots(
        self,
        identifiers: list[str],
        start: str,
        end: str,
        *,
        extra: list[tuple[str, str]] | None = None,
    ) -> httpx.Response:
        params: list[tuple[str, str | int | float | bool | None]] = [
            ("_include", "Slot:schedule"),
            ("_include:iterate", "Schedule:actor"),
            ("_include", "Slot:service-type-reference"),
            ("_include:iterate", "HealthcareService:organization"),
            ("start", f"ge{start}"),
            ("start", f"le{end}"),
            ("schedule.actor:Practitioner.identifier", ",".join(identifiers)),
            ("status", "free"),
            *(extra or []),
        ]
        return await self.client.get("/fhir/Slot", params=params, headers=self.headers)

    async def create_practitioner(
        self, resource: dict[str, Any], content_type: str = "application/fhir+json"
    ) -> httpx.Response:
        return await self.client.post(
            "/fhir/Practitioner",
            content=json.dumps(resource),
            headers={**self.headers, "Content-Type": content_type},
        )

    async def put_practitioner(
        self, identifier: str, resource: dict[str, Any], content_type: str = FHIR_JSON
    ) -> httpx.Response:
        return await self.client.put(
            "/fhir/Practitioner",
            params={"identifier": identifier},
            content=json.dumps(resource),
            headers={**self.headers, "Content-Type": content_type},
        )

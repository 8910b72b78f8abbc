"""Bad input stops at the edge, in one place, with a clear 4xx (never a 500 from the database).

- `InputGuard` (ASGI middleware, outermost): a state-changing request sent from another site's
  page (Origin, else Referer, not this host) is a 403; a NUL byte in the path is a 404; a NUL
  byte in a query value, a JSON string or a form field, a JSON integer outside the databases'
  32-bit range and an ISO date outside years 1000-2999 are a 422 naming the field; JSON bodies
  are capped in size. It also turns an unhandled exception into a JSON 500 *without*
  re-raising it, so the server keeps the keep-alive connection (a re-raised error makes uvicorn
  drop it, and the client's next request with it).
- `bounded_integers` (dependency on every route): path and query parameters declared `int`
  must fit the 32-bit range (a 404 for a path id, a 422 for a query value).
- `within(...)`, `day_within(...)`: validators refusing absurd dates (year 9999, 1970).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args
from urllib.parse import parse_qsl, urlsplit

from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from snp.errors import NotFound
from snp.kit import PARIS
from snp.settings import Settings

log = logging.getLogger(__name__)

MAX_INT = 2**31 - 1  # PostgreSQL `integer`; every id and count of the API fits it
MIN_INT = -(2**31)
MAX_JSON_BYTES = 5_000_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Loc = list[str | int]


# An ISO date anywhere (body string or query value) must be in years the platform can mean:
# year 1 or 9999 overflow when converted between time zones.
_ISO_DATE = re.compile(r"^\s*([+-]?\d{4,})-\d{2}-\d{2}")
FIRST_YEAR, LAST_YEAR = 1000, 2999
DATE_OUT_OF_RANGE = f"Date hors limites (années {FIRST_YEAR} à {LAST_YEAR})."


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "Caractère nul interdit dans un texte."
    match = _ISO_DATE.match(value)
    if match and not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        return DATE_OUT_OF_RANGE
    return None


def _query_problems(query: str) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        problem = _text_problem(name + value)
        if problem is None:
            problem = _text_problem(value)
        if problem is not None:
            problems.append((["query", name], problem))
    return problems


def _json_problems(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            yield loc, f"Nombre hors limites (au plus {MAX_INT})."
    elif isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            yield loc, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield loc, "Caractère nul interdit dans un nom de champ."
            yield from _json_problems(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_problems(item, [*loc, index])


def _error(problems: list[tuple[Loc, str]], status: int = 422) -> bytes:
    detail = [{"loc": loc, "msg": msg, "type": "value_error"} for loc, msg in problems]
    return json.dumps({"detail": detail}, ensure_ascii=False).encode()


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def trusted_origins(settings: Settings) -> frozenset[str]:
    """Hosts (`host[:port]`) a browser page may send state-changing requests from, besides the
    request's own `Host`: the public URL's (behind a proxy that rewrites `Host`)."""
    hosts = {urlsplit(settings.public_base_url).netloc} if settings.public_base_url else set()
    return frozenset(h.lower() for h in hosts if h)


def _origin_host(headers: dict[bytes, bytes]) -> str | None:
    """The `host[:port]` of the page that sent the request (Origin, else Referer), if told."""
    raw = headers.get(b"origin") or headers.get(b"referer")
    if not raw or raw == b"null":
        return "null" if raw == b"null" else None
    return urlsplit(raw.decode("latin-1")).netloc.lower()


class InputGuard:
    def __init__(self, app: ASGIApp, trusted_origins: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.trusted_origins = trusted_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", ""):
            body = _error([(["path"], "Ressource introuvable.")])
            await _send_json(send, 404, body)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        problems = _query_problems(query)
        if problems:
            await _send_json(send, 422, _error(problems))
            return
        headers = dict(scope.get("headers", []))
        if scope["method"] not in SAFE_METHODS:
            # A page of another site must not drive a logged-in browser (CSRF, login CSRF):
            # browsers always tell where a cross-site request comes from.
            origin = _origin_host(headers)
            host = headers.get(b"host", b"").decode("latin-1").lower()
            if origin is not None and origin != host and origin not in self.trusted_origins:
                msg = "Requête refusée : elle ne vient pas d'une page de la plateforme."
                await _send_json(send, 403, _error([(["header", "origin"], msg)]))
                return
        content_type = headers.get(b"content-type", b"").lower()
        if scope["method"] in ("POST", "PUT", "PATCH") and (
            content_type.startswith(b"application/json")
            or content_type.startswith(b"application/x-www-form-urlencoded")
        ):
            body, too_large = await _read_body(receive)
            if too_large:
                msg = f"Corps de requête trop volumineux (au plus {MAX_JSON_BYTES} octets)."
                await _send_json(send, 413, _error([(["body"], msg)]))
                return
            problems = _body_problems(body, content_type)
            if problems:
                await _send_json(send, 422, _error(problems))
                return
            receive = _replay(body)
        await self._call_keeping_connection(scope, receive, send)

    async def _call_keeping_connection(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                body = _error([([], "Erreur interne du serveur : l'équipe technique est avertie.")])
                await _send_json(send, 500, body)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_JSON_BYTES:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _body_problems(body: bytes, content_type: bytes) -> list[tuple[Loc, str]]:
    if content_type.startswith(b"application/x-www-form-urlencoded"):
        text = body.decode("latin-1")
        return [
            (["body", name], "Caractère nul interdit dans un texte.")
            for name, value in parse_qsl(text, keep_blank_values=True)
            if "\x00" in value or "\x00" in name
        ]
    try:
        document = json.loads(body)
    except ValueError:  # not JSON (or not UTF-8): FastAPI answers its own 422
        return []
    return list(_json_problems(document, ["body"]))


# --- Path and query integers --------------------------------------------------------------------


def _is_int(annotation: Any) -> bool:
    """`int`, `int | None`, `list[int]`, `list[int] | None`..."""
    if annotation is int:
        return True
    return any(_is_int(arg) for arg in get_args(annotation))


def _int_params(route: APIRoute) -> tuple[frozenset[str], frozenset[str]]:
    cached: tuple[frozenset[str], frozenset[str]] | None = getattr(route, "_snp_int_params", None)
    if cached is None:
        path: set[str] = set()
        query: set[str] = set()
        pending: list[Dependant] = [route.dependant]
        while pending:
            dependant = pending.pop()
            path.update(p.alias for p in dependant.path_params if _is_int(p.field_info.annotation))
            query.update(
                p.alias for p in dependant.query_params if _is_int(p.field_info.annotation)
            )
            pending.extend(dependant.dependencies)
        cached = (frozenset(path), frozenset(query))
        route._snp_int_params = cached  # type: ignore[attr-defined]  # computed once per route
    return cached


def _out_of_range(raw: str) -> bool:
    try:
        return not MIN_INT <= int(raw) <= MAX_INT
    except ValueError:
        return False  # not a number: the route's own validation answers


async def bounded_integers(request: HTTPConnection) -> None:
    """Dependency on every route: integer path ids beyond 32 bits are unknown (404), integer
    query values beyond it are invalid (422)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    path_ints, query_ints = _int_params(route)
    for name in path_ints:
        if _out_of_range(str(request.path_params.get(name, "0"))):
            raise NotFound("Ressource introuvable.", ("path", name))
    for name in query_ints:
        for raw in request.query_params.getlist(name):
            if _out_of_range(raw):
                raise RequestValidationError(
                    [
                        {
                            "type": "less_than_equal",
                            "loc": ("query", name),
                            "msg": f"Input should be less than or equal to {MAX_INT}",
                            "input": raw,
                            "ctx": {"le": MAX_INT},
                        }
                    ]
                )


# --- Plausible dates ------------------------------------------------------------------------------


def within(
    past: timedelta, future: timedelta, what: str = "La date"
) -> Callable[[datetime | None], datetime | None]:
    """A validator: an aware datetime no earlier than `now - past`, no later than `now + future`."""

    def check(value: datetime | None) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value  # naive datetimes are refused by the field's own validator
        now = datetime.now(UTC)
        if value < now - past:
            raise ValueError(f"{what} est trop loin dans le passé.")
        if value > now + future:
            raise ValueError(f"{what} est trop loin dans l'avenir (au plus {future.days} jours).")
        return value

    return check


def day_within(
    past: timedelta, future: timedelta, what: str = "La date"
) -> Callable[[date | None], date | None]:
    """A validator: a calendar day within [today - past, today + future] (Europe/Paris)."""

    def check(value: date | None) -> date | None:
        if value is None:
            return value
        today = datetime.now(PARIS).date()
        if value < today - past:
            raise ValueError(f"{what} est trop loin dans le passé.")
        if value > today + future:
            raise ValueError(f"{what} est trop loin dans l'avenir (au plus {future.days} jours).")
        return value

    return check

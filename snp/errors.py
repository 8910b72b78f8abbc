"""Domain errors and their single mapping to 4xx JSON.

Services raise a `DomainError` subclass; one handler turns it into
`{"detail": [{"loc": [...], "msg": "..."}]}` with French text. A 500 is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class DomainError(Exception):
    status_code = 400

    def __init__(self, msg: str, loc: Sequence[str | int] = ()) -> None:
        super().__init__(msg)
        self.msg = msg
        self.loc = list(loc)

    def as_detail(self) -> list[dict[str, Any]]:
        return [{"loc": self.loc, "msg": self.msg, "type": type(self).__name__}]


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class BusinessRuleError(DomainError):
    status_code = 422


class Forbidden(DomainError):
    status_code = 403


class NotAuthenticated(DomainError):
    status_code = 401


class TooManyAttempts(DomainError):
    status_code = 429


# Pydantic error types -> French messages shown in the UI. `{...}` are filled from the error ctx.
_FRENCH: dict[str, str] = {
    "missing": "Champ obligatoire.",
    "string_too_short": "Trop court (au moins {min_length} caractères).",
    "string_too_long": "Trop long (au plus {max_length} caractères).",
    "string_type": "Doit être un texte.",
    "int_parsing": "Doit être un nombre entier.",
    "int_type": "Doit être un nombre entier.",
    "float_parsing": "Doit être un nombre.",
    "float_type": "Doit être un nombre.",
    "bool_parsing": "Doit valoir vrai ou faux.",
    "greater_than_equal": "Doit être supérieur ou égal à {ge}.",
    "less_than_equal": "Doit être inférieur ou égal à {le}.",
    "greater_than": "Doit être supérieur à {gt}.",
    "less_than": "Doit être inférieur à {lt}.",
    "enum": "Valeur non autorisée (valeurs possibles : {expected}).",
    "literal_error": "Valeur non autorisée (valeurs possibles : {expected}).",
    "value_error": "{error}",
    "datetime_parsing": "Date et heure invalides.",
    "datetime_from_date_parsing": "Date et heure invalides.",
    "date_parsing": "Date invalide.",
    "date_from_datetime_parsing": "Date invalide.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "model_attributes_type": "Objet attendu.",
    "dict_type": "Objet attendu.",
    "list_type": "Liste attendue.",
    "extra_forbidden": "Champ inconnu.",
    "string_pattern_mismatch": "Format invalide.",
}


def french_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error" and "reason" in ctx:  # email-validator's refusal
        return "Adresse e-mail invalide."
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "Champ obligatoire."
    template = _FRENCH.get(kind)
    if template is None:
        return "Valeur invalide."
    if "error" in ctx:
        ctx["error"] = str(ctx["error"]).removeprefix("Value error, ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return "Valeur invalide."


def translate_validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": french_message(e), "type": e.get("type", "")}
        for e in errors
    ]


def install_handlers(app: FastAPI) -> None:
    async def on_domain_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        return JSONResponse({"detail": exc.as_detail()}, status_code=exc.status_code)

    async def on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": translate_validation_errors(exc.errors())}, status_code=422)

    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)

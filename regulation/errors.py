"""Regulation's domain errors (mapped to 4xx JSON with French messages by the kernel)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from snp.errors import BusinessRuleError, Conflict, NotFound


class RequestNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Demande introuvable.", ("path", "request_id"))


class AlreadyClaimed(Conflict):
    def __init__(self, name: str | None) -> None:
        who = name or "un autre membre de l'équipe"
        super().__init__(f"Demande déjà prise en charge par {who}.", ("path", "request_id"))
        self.claimed_by = name


class RequestNotOpen(Conflict):
    def __init__(self, msg: str = "Demande déjà clôturée.") -> None:
        super().__init__(msg, ("path", "request_id"))


class ManyErrors(BusinessRuleError):
    """A 422 listing several problems at once (each with its own location)."""

    def __init__(self, errors: Sequence[dict[str, Any]]) -> None:
        first = errors[0] if errors else {"loc": [], "msg": "Valeur invalide."}
        super().__init__(str(first["msg"]), list(first["loc"]))
        self.errors = [dict(e) for e in errors] or [dict(first)]

    def as_detail(self) -> list[dict[str, Any]]:
        name = type(self).__name__
        return [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e.get("type", name)}
            for e in self.errors
        ]


class InvalidProtocol(ManyErrors):
    """The uploaded protocol document does not follow the schema."""


class InvalidAnswers(ManyErrors):
    """Triage answers missing, unknown or of the wrong kind."""


class ProtocolVersionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Version du protocole introuvable.", ("path", "number"))


class TriageRequired(Conflict):
    """The request is not (or no longer) triaged: no booking, no clinical outcome."""

    def __init__(self, msg: str, loc: Sequence[str | int] = ("path", "request_id")) -> None:
        super().__init__(msg, loc)


class RegulatorDecisionRequired(Conflict):
    """The protocol asked for a regulator's advice and none was recorded yet."""

    def __init__(self, msg: str, loc: Sequence[str | int] = ("path", "request_id")) -> None:
        super().__init__(msg, loc)

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


class ProtocolNotApprovable(ManyErrors):
    """A vignette fails, coverage is missing or a red flag could be queued: no approval."""


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


class RequestNotTriaged(BusinessRuleError):
    """Matching and booking come after triage."""


class TriageLocked(BusinessRuleError):
    """An oriented request's triage no longer changes."""


class MissingValue(BusinessRuleError):
    """A field required here (motif, location, note...), or one that may not be emptied."""


class OutsideTerritory(BusinessRuleError):
    """A commune outside the CPTS's territory."""


class UnknownValue(BusinessRuleError):
    """A code outside the allowed values."""


class KindNotPossible(BusinessRuleError):
    """A kind of consultation the patient cannot have (a visit to a patient who cannot move)."""


class NotAConsultation(BusinessRuleError):
    """The recommended orientation goes through no slot (pharmacist, regulator's advice)."""


class SlotNotSuitable(BusinessRuleError):
    """A slot that does not fit the request (kind, patient's age, home-visit reach)."""


class StepImpossible(BusinessRuleError):
    """An escalation step that cannot be taken now."""


class ClosingRefused(BusinessRuleError):
    """A request that cannot be closed with that outcome yet."""


class InvalidTransferTime(BusinessRuleError):
    """The time a call reached the 15: not in the future, not long before the red flag."""


class RequestPseudonymised(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "Demande déjà pseudonymisée : elle ne contient plus d'identité à corriger.",
            ("path", "request_id"),
        )


class ErasureRefused(Conflict):
    """The platform must still keep some of the requests asked to be erased: each reason,
    in French, one entry per request (nothing is erased)."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__(reasons[0] if reasons else "Effacement refusé.", ("body", "request_ids"))
        self.reasons = list(reasons) or [self.msg]

    def as_detail(self) -> list[dict[str, Any]]:
        return [
            {"loc": ["body", "request_ids"], "msg": reason, "type": "ErasureRefused"}
            for reason in self.reasons
        ]

"""The agenda's domain errors: each names the rule it enforces, and subclasses the kernel type
that gives its HTTP status (mapped once by `snp.errors`). Messages are French; most are given at
the raise site with the field they concern."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from snp.csv_import import ErrorTally
from snp.errors import BusinessRuleError, Conflict, NotFound


class InvalidPeriod(BusinessRuleError):
    """A period or time range that ends before it starts, or is too long."""


class MissingTimezone(BusinessRuleError):
    """A date and time without its offset."""


class UnknownValue(BusinessRuleError):
    """A code outside the allowed values (kind, visibility, outcome, cancellation author...)."""


class MissingValue(BusinessRuleError):
    """A field that is required here, or may not be emptied."""


class InvalidPage(BusinessRuleError):
    """Paging parameters out of range."""


class InvalidUpload(BusinessRuleError):
    """An uploaded file that is empty or too large."""


class InvalidIdentifier(BusinessRuleError):
    """An RPPS or ADELI number that does not check."""


class SiteNotOfEffector(BusinessRuleError):
    """A consultation site that is not the effector's (or not known)."""


class SiteNotChosen(BusinessRuleError):
    """The effector's site cannot be told: none, unknown by that name, or several."""


class SlotInThePast(BusinessRuleError):
    """A slot created in the past, or a past slot with a patient that may not be removed."""


class CancellationRefused(BusinessRuleError):
    """Cancelling in the name of someone the actor may not speak for."""


class OutcomeRefused(BusinessRuleError):
    """An outcome that cannot be recorded (absent patient sent on, consultation to come)."""


class SlotUnavailable(Conflict):
    """409: another holder has the slot, or it is booked."""


class HoldExpired(Conflict):
    """409: the caller's hold ran out (or was never taken) before confirming."""


class SlotOverlap(BusinessRuleError):
    """422 naming the conflicting slot; its id is in `ctx.conflicting_slot_id` for the UI."""

    def __init__(self, conflicting_slot_id: int, when: str, loc: list[str | int]) -> None:
        super().__init__(f"Chevauche le créneau du {when}.", loc)
        self.conflicting_slot_id = conflicting_slot_id

    def as_detail(self) -> list[dict[str, Any]]:
        detail = super().as_detail()
        detail[0]["ctx"] = {"conflicting_slot_id": self.conflicting_slot_id}
        return detail


class IcsRejected(BusinessRuleError):
    """A calendar that cannot be used (unreadable, too large, unreachable): 422 on `file`."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg, loc=["file"])


class EffectorImportRejected(BusinessRuleError):
    """422 listing the first errors of the file as `{"loc": ["file", line, column], "msg": ...}`,
    then, when there are more, one entry per kind of error with its count."""

    def __init__(self, tally: ErrorTally) -> None:
        super().__init__(f"{tally.count} erreur(s) : aucun effecteur importé.", loc=["file"])
        self.errors = tally.first
        self.count = tally.count
        self.kinds = dict(tally.kinds)

    def as_detail(self) -> list[dict[str, Any]]:
        detail: list[dict[str, Any]] = [
            {"loc": ["file", e.line, e.column], "msg": str(e), "type": "csv"} for e in self.errors
        ]
        if self.count > len(self.errors):
            detail += [
                {"loc": ["file"], "msg": f"{n} × {kind}", "type": "csv_summary"}
                for kind, n in sorted(self.kinds.items(), key=lambda item: -item[1])
            ]
        return detail


class KindNotOffered(BusinessRuleError):
    """The slot does not offer the kind of consultation asked for."""


class AnnuaireJobNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Import de l'annuaire introuvable.")


class AnnuaireJobState(Conflict):
    """An Annuaire import asked for a step its state does not allow."""


class GeocoderFailed(BusinessRuleError):
    """The geocoder did not answer (the sites stay approximate)."""


class SiteInUse(Conflict):
    """409: a site that still carries future slots, a recurring availability or the calendar
    subscription may not be removed (the message says how many)."""


class SiteNameTaken(Conflict):
    """409: the effector already has a site of that name."""


class MoveRefused(BusinessRuleError):
    """A move onto a slot that does not suit the appointment (same slot, another effector's,
    closed to the regulation, another site not confirmed)."""


class CaldavRejected(BusinessRuleError):
    """A CalDAV calendar that cannot be used (refused credentials, unreachable, not set up)."""

    def __init__(self, msg: str, loc: Sequence[str | int] = ("body", "url")) -> None:
        super().__init__(msg, loc=loc)


class DateAlreadyOverridden(Conflict):
    """409: the effector's hours of that date are already changed (one override per date)."""

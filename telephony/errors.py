"""Telephony's domain errors (French messages, HTTP status from the kernel's types)."""

from __future__ import annotations

from snp.errors import BusinessRuleError, Conflict, NotFound


class VoiceTextError(ValueError):
    """A voice text is missing, empty, too long or uses an unknown variable (start-up check)."""


class CallNotFound(NotFound):
    pass


class CallAlreadyTaken(Conflict):
    pass


class CallNotWaiting(Conflict):
    pass


class NoPhoneToRing(BusinessRuleError):
    pass


class LineUnavailable(Conflict):
    """The provider refused or did not answer: nothing was connected."""


class TaskNotFound(NotFound):
    pass


class WrongBackend(Conflict):
    pass


class InvalidPhone(BusinessRuleError):
    pass

"""Accounts' domain errors (kernel types give the HTTP status; messages are French)."""

from __future__ import annotations

from snp.errors import BusinessRuleError, NotAuthenticated


class InvalidCredentials(NotAuthenticated):
    """Wrong e-mail or password (the same message for both)."""


class AccountInactive(BusinessRuleError):
    """A deactivated account, whose password is not reset."""


class InvalidResetLink(BusinessRuleError):
    """A password reset link that is unknown, used, expired or of an inactive account."""


class PasswordTooShort(BusinessRuleError):
    """A new password under the minimum length."""


class InvitationNotPending(BusinessRuleError):
    """An invitation resent or revoked for an account already in use."""


class LoginStepExpired(NotAuthenticated):
    """The step between password and second factor (or a PSC redirection) is over or unknown."""


class InvalidCode(BusinessRuleError):
    """A wrong, expired or already used one-time code or recovery code."""


class ProSanteConnectRefused(BusinessRuleError):
    """A Pro Santé Connect login that cannot open a session (unknown RPPS, bad answer);
    `reason` is the code the login page explains (`snp.auth.psc`)."""

    reason: str = "refus"

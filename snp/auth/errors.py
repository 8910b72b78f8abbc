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

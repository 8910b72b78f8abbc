"""The indicators' domain errors (kernel types give the HTTP status; messages are French)."""

from __future__ import annotations

from snp.errors import BusinessRuleError


class InvalidFilter(BusinessRuleError):
    """A dashboard filter that cannot be applied (period, commune, effector...)."""


class IdentityExportRefused(BusinessRuleError):
    """Identities are exported only with the list of requests."""


class IdentityExportReasonMissing(BusinessRuleError):
    """A nominative export asked without a stated reason (the audit trail keeps it)."""

"""Notifications' domain errors (kernel types give the HTTP status; messages are French)."""

from __future__ import annotations

from snp.errors import BusinessRuleError


class NoReachableEffector(BusinessRuleError):
    """None of the effectors asked for can be reached by SMS."""

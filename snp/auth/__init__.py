"""Accounts, roles, sessions. Other packages use `Role`, `Actor` and the policies in `snp.deps`."""

from snp.auth.roles import ROLE_LABELS, Role

__all__ = ["ROLE_LABELS", "Role"]

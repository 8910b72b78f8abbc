"""Accounts, roles, sessions. Other packages use `Role`, `Actor` and the policies in `snp.deps`,
and reach accounts through the functions exported here (never the `User` table)."""

from snp.auth.roles import ROLE_LABELS, Role
from snp.auth.service import (
    Account,
    create_account,
    find_account,
    resolve_session,
    update_account_by_id,
)

__all__ = [
    "ROLE_LABELS",
    "Account",
    "Role",
    "create_account",
    "find_account",
    "resolve_session",
    "update_account_by_id",
]

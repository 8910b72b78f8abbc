"""Accounts, roles, sessions. Other packages use `Role`, `Actor` and the policies in `snp.deps`,
and reach accounts through the functions exported here (never the `User` table)."""

from snp.auth.events import AccountCreated
from snp.auth.invitations import Invitation
from snp.auth.invitations import invite as invite_account
from snp.auth.invitations import resend as resend_invitation
from snp.auth.reset import ResetLink
from snp.auth.reset import issue_link as issue_reset_link
from snp.auth.roles import ROLE_LABELS, Role
from snp.auth.service import (
    Account,
    create_account,
    find_account,
    get_account,
    has_accounts,
    resolve_session,
    update_account_by_id,
)

__all__ = [
    "ROLE_LABELS",
    "Account",
    "AccountCreated",
    "Invitation",
    "ResetLink",
    "Role",
    "create_account",
    "find_account",
    "get_account",
    "has_accounts",
    "invite_account",
    "issue_reset_link",
    "resend_invitation",
    "resolve_session",
    "update_account_by_id",
]

"""Events of the accounts: other packages react to them (the agenda links a new GP account to
its directory entry) without the kernel knowing them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AccountCreated:
    user_id: int
    email: str
    role: str

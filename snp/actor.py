"""Who is acting and from where: passed to services so they can authorise and audit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # at run time, snp.auth (its services audit as an Actor) imports this module
    from snp.auth import Role


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    email: str
    role: Role | None
    ip: str | None = None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """Scheduled jobs and CLI commands act as the system, named for the trail."""
        return cls(user_id=None, email=name, role=None, ip=None)

    def has(self, *roles: Role) -> bool:
        return self.role in roles

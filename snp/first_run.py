"""First start: while the database has no CPTS and no account, anyone holding the setup code
(printed in the server's output at each start, stored only as a hash) may set the platform up
once: the CPTS identity, its territory and the first coordinator account.

The same services as the rest of the platform check every field (`territory.set_cpts`,
`set_territory_area`, `auth.create_account`: FINESS check digit, phone, e-mail format,
password policy), so `snp cpts set` and `snp user add` obey the same rules. The setup is closed
for good once done, or as soon as a CPTS or an account exists (made from the command line).

Two setups at once: the first statement of `complete` is a conditional UPDATE of the one
`setup_state` row (`completed_at IS NULL AND code_hash = ...`), which takes the write lock before
anything is read; exactly one caller changes it, the other gets 409.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from snp import audit, territory
from snp.actor import Actor
from snp.auth import Account, Role, create_account, has_accounts
from snp.db import Base, UTCDateTime, dialect_insert, utcnow
from snp.errors import BusinessRuleError, Conflict, DomainError

# No 0/O, 1/I/L: read from a log and typed by hand.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SETUP_PATH = "/installation"


class SetupState(Base):
    __tablename__ = "setup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_code() -> str:
    """16 characters (about 79 bits), shown in four groups: XXXX-XXXX-XXXX-XXXX."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


async def needs_setup(session: AsyncSession) -> bool:
    """True while the database has no CPTS and no account."""
    return await territory.get_cpts(session) is None and not await has_accounts(session)


async def is_open(session: AsyncSession) -> bool:
    if not await needs_setup(session):
        return False
    state = await session.get(SetupState, 1)
    return state is not None and state.completed_at is None


async def prepare(session: AsyncSession) -> str | None:
    """At start: a fresh code (the previous one stops working) when setup is still needed; None
    once the platform is set up. The caller prints the code and commits."""
    if not await needs_setup(session):
        return None
    code = new_code()
    insert = dialect_insert(session)
    await session.execute(
        insert(SetupState)
        .values(id=1, code_hash=_hash(code), created_at=utcnow(), completed_at=None)
        .on_conflict_do_update(
            index_elements=[SetupState.id],
            set_={"code_hash": _hash(code), "created_at": utcnow()},
            where=SetupState.completed_at.is_(None),
        )
    )
    state = await session.get(SetupState, 1)
    return code if state is not None and state.completed_at is None else None


@dataclass(frozen=True, slots=True)
class SetupInput:
    code: str
    cpts_name: str
    finess: str
    phone: str
    address: str | None
    territory_name: str
    department: str
    coordinator_email: str
    coordinator_name: str
    coordinator_password: str


CLOSED = "L'installation est déjà faite : connectez-vous."


async def complete(session: AsyncSession, data: SetupInput, ip: str | None) -> Account:
    """Set the platform up once (see the module doc); the caller's transaction holds it all, so
    a refused field leaves nothing behind and the code still works."""
    won = await session.execute(
        update(SetupState)
        .where(
            SetupState.id == 1,
            SetupState.completed_at.is_(None),
            SetupState.code_hash == _hash(data.code),
        )
        .values(completed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not won.rowcount:  # type: ignore[attr-defined]
        state = await session.get(SetupState, 1)
        if state is None or state.completed_at is not None or not await needs_setup(session):
            raise Conflict(CLOSED, ("body", "code"))
        raise BusinessRuleError(
            "Code d'installation incorrect : recopiez celui affiché dans le journal du serveur "
            "(il change à chaque démarrage).",
            ("body", "code"),
        )
    if not await needs_setup(session):
        raise Conflict(CLOSED, ("body", "code"))
    actor = Actor(None, "installation", None, ip)
    await territory.set_cpts(
        session,
        name=data.cpts_name,
        finess=data.finess,
        phone=data.phone,
        address=data.address,
        actor=actor,
    )
    await territory.set_territory_area(
        session, actor, name=data.territory_name, department=data.department
    )
    try:
        account = await create_account(
            session,
            actor,
            email=data.coordinator_email,
            full_name=data.coordinator_name,
            role=Role.COORDINATOR,
            password=data.coordinator_password,
        )
    except DomainError as exc:  # the account's fields are named `coordinator_*` on this form
        if len(exc.loc) == 2 and exc.loc[0] == "body":
            exc.loc = ["body", f"coordinator_{exc.loc[1]}".replace("_full_name", "_name")]
        raise
    await audit.record(session, actor, "first_run_setup", "user", account.id)
    return account

"""Inviting GPs from the directory: the account is created linked to the entry; by e-mail, or by
SMS to a mobile when the entry has no e-mail; in bulk after an import, with a preview count."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from notifications.models import OutboxMessage
from snp.auth.models import User
from snp.auth.roles import Role
from tests.agenda.slot_factories import create_effector
from tests.factories import create_user, login
from tests.snp.mail_helpers import link_in, mails_to

PASSWORD = "mon mot de passe de médecin"


async def as_coordinator(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await login(client, (await create_user(session, Role.COORDINATOR)).email)


def logged_out(client: httpx.AsyncClient) -> None:
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)


async def with_email(session: AsyncSession, effector: Effector, email: str | None) -> Effector:
    effector.email = email
    await session.commit()
    return effector


async def test_a_gp_invited_by_e_mail_manages_their_agenda_after_accepting(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await with_email(session, await create_effector(session), "dr.anne@exemple.fr")
    await as_coordinator(client, session)
    invited = await client.post(f"/api/agenda/effectors/{effector.id}/invitation")
    assert invited.status_code == 201, invited.text
    assert invited.json()["channel"] == "email"
    await session.refresh(effector)
    assert effector.user_id == invited.json()["user_id"]
    logged_out(client)
    [message] = await mails_to(session, "dr.anne@exemple.fr")
    _, token = link_in(message.text_body)
    accepted = await client.post(
        "/api/invitations/accept", json={"token": token, "password": PASSWORD}
    )
    assert accepted.status_code == 200, accepted.text
    me = await client.get("/api/agenda/me")
    assert me.status_code == 200
    assert me.json()["id"] == effector.id


async def test_inviting_again_sends_a_new_link_to_the_same_account(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await with_email(session, await create_effector(session), "dr.anne@exemple.fr")
    await as_coordinator(client, session)
    first = await client.post(f"/api/agenda/effectors/{effector.id}/invitation")
    second = await client.post(f"/api/agenda/effectors/{effector.id}/invitation")
    assert second.status_code == 201
    assert second.json()["user_id"] == first.json()["user_id"]
    assert len(await mails_to(session, "dr.anne@exemple.fr")) == 2


async def test_a_gp_with_a_mobile_and_no_e_mail_is_invited_by_sms(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await with_email(session, await create_effector(session), None)
    await as_coordinator(client, session)
    invited = await client.post(f"/api/agenda/effectors/{effector.id}/invitation")
    assert invited.status_code == 201, invited.text
    assert invited.json()["channel"] == "sms"
    [sms] = list(
        await session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "effecteur_invitation")
        )
    )
    assert sms.recipient == "+33612345678"
    assert sms.effector_id == effector.id
    # The accounts page cannot resend it by e-mail: it says where to resend it from.
    by_mail = await client.post(f"/api/invitations/users/{invited.json()['user_id']}/resend")
    assert by_mail.status_code == 422
    assert "par SMS depuis la fiche" in by_mail.json()["detail"][0]["msg"]
    _, token = link_in(sms.body)
    logged_out(client)
    check = (await client.post("/api/invitations/check", json={"token": token})).json()
    assert check["needs_email"] is True
    assert check["email"] == ""
    missing = await client.post(
        "/api/invitations/accept", json={"token": token, "password": PASSWORD}
    )
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "email"]
    accepted = await client.post(
        "/api/invitations/accept",
        json={"token": token, "password": PASSWORD, "email": "Dr.Anne@Exemple.fr"},
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["user"]["email"] == "dr.anne@exemple.fr"
    assert (await client.get("/api/agenda/me")).json()["id"] == effector.id


async def test_an_entry_with_neither_e_mail_nor_mobile_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await with_email(session, await create_effector(session), None)
    effector.phone = "+33299710000"
    await session.commit()
    await as_coordinator(client, session)
    refused = await client.post(f"/api/agenda/effectors/{effector.id}/invitation")
    assert refused.status_code == 422
    assert "ni adresse e-mail ni téléphone portable" in refused.json()["detail"][0]["msg"]
    assert await session.scalar(select(User).where(User.role == "effector")) is None


async def test_bulk_invitation_previews_then_invites_entries_with_an_e_mail_and_no_account(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await with_email(session, await create_effector(session), "a@exemple.fr")
    await with_email(session, await create_effector(session), "b@exemple.fr")
    await with_email(session, await create_effector(session), None)  # SMS only: one by one
    await create_user(session, Role.EFFECTOR, email="c@exemple.fr")  # linked by e-mail
    await with_email(session, await create_effector(session), "c@exemple.fr")
    await as_coordinator(client, session)
    preview = await client.get("/api/agenda/invitations/bulk")
    assert preview.json() == {"count": 2}
    done = await client.post("/api/agenda/invitations/bulk")
    assert done.status_code == 200, done.text
    assert done.json() == {"invited": 2, "refused": []}
    assert len(await mails_to(session, "a@exemple.fr")) == 1
    assert len(await mails_to(session, "b@exemple.fr")) == 1
    assert (await client.get("/api/agenda/invitations/bulk")).json() == {"count": 0}


async def test_only_coordinators_invite_gps(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await with_email(session, await create_effector(session), "a@exemple.fr")
    await login(client, (await create_user(session, Role.OPERATOR)).email)
    assert (await client.post(f"/api/agenda/effectors/{effector.id}/invitation")).status_code == 403
    assert (await client.post("/api/agenda/invitations/bulk")).status_code == 403

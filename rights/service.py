"""The patients' rights actions, assembled from each package's public services: find a person,
export what the platform holds on them, correct their identity, erase them.

Every action is audited with the coordinator's reason, and refused (422) when that reason names
the patient: the audit trail keeps no patient data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
import notifications
import regulation
import telephony
from rights.errors import NoPersonChosen, NoSearchCriteria, ReasonNamesThePatient, UnknownRequests
from rights.schemas import (
    AccessOut,
    AppointmentRecordOut,
    CallRecordOut,
    ErasedOut,
    OptOutOut,
    PersonIn,
    PersonRecordsOut,
    PersonSearchIn,
    PersonSearchOut,
    ReceivedSmsOut,
    RectifyIn,
    SentSmsOut,
    SurveyOut,
)
from snp import audit, territory
from snp.actor import Actor

ENTITY = "patient_rights"  # the audit trail's name for actions on a number alone
MIN_NAME_IN_REASON = 3
KEPT_AUDIT = (
    "Le journal d'audit (qui a consulté ou modifié le dossier, quand ; sans les données "
    "elles-mêmes) : obligation de traçabilité des accès aux données de santé."
)
KEPT_STATISTICS = "Les statistiques anonymes (indicateurs de l'ACI) : elles ne nomment personne."
KEPT_CALLS = (
    "Le journal des appels sans le numéro (heure, attente, durée, issue) : il sert aux "
    "indicateurs de la ligne et ne nomme personne."
)
KEPT_OPT_OUT = (
    "L'opposition aux SMS (STOP) de ce numéro : c'est elle qui garantit qu'aucun SMS non "
    "essentiel ne lui sera plus envoyé."
)


def check_reason(reason: str, *, names: Iterable[str | None], phones: Iterable[str | None]) -> None:
    """The reason goes to the audit trail: it may not carry the patient's name or number."""
    folded = regulation.comparable_name(reason)
    for name in names:
        wanted = regulation.comparable_name(name or "")
        if len(wanted) >= MIN_NAME_IN_REASON and re.search(rf"\b{re.escape(wanted)}\b", folded):
            raise ReasonNamesThePatient()
    digits = re.sub(r"\D", "", reason)
    for phone in phones:
        national = re.sub(r"\D", "", phone or "")[-9:]
        if len(national) == 9 and national in digits:
            raise ReasonNamesThePatient()


async def search(
    session: AsyncSession, actor: Actor, body: PersonSearchIn, *, now: datetime
) -> PersonSearchOut:
    if not body.phone and not (body.family_name and body.birth_date):
        raise NoSearchCriteria()
    check_reason(body.reason, names=[body.family_name, body.given_name], phones=[body.phone])
    matches = await regulation.find_requests(
        session,
        family_name=body.family_name,
        given_name=body.given_name,
        birth_date=body.birth_date,
        phone=body.phone,
        now=now,
    )
    await regulation.audit_search(session, actor, matches, reason=body.reason)
    received, opted_out, calls = 0, False, 0
    if body.phone:
        sms = await notifications.patient_sms(
            session, request_ids=(), appointment_ids=(), phones=[body.phone]
        )
        received, opted_out = len(sms.received), bool(sms.opt_outs)
        calls = await telephony.count_calls_of_numbers(session, [body.phone])
    detail = f"found={len(matches)};by={'phone' if body.phone else 'identity'}"
    await audit.record(
        session, actor, "rights_search", ENTITY, "search", f"{detail};reason={body.reason}"[:500]
    )
    return PersonSearchOut(
        requests=matches,
        phone=body.phone,
        received_sms=received,
        opted_out=opted_out,
        calls=calls,
    )


async def _identities(session: AsyncSession, body: PersonIn) -> tuple[list[int], set[str]]:
    """The person's requests (ids) and numbers, after checking the reason names none of them."""
    if not body.request_ids and not body.phone:
        raise NoPersonChosen()
    identities = await regulation.request_identities(session, body.request_ids)
    ids = sorted(identities)
    missing = sorted(set(body.request_ids) - set(ids))
    if missing:
        raise UnknownRequests(missing)
    phones = {i.phone for i in identities.values()} | ({body.phone} if body.phone else set())
    names = [n for i in identities.values() for n in (i.family_name, i.given_name)]
    check_reason(body.reason, names=names, phones=phones)
    return ids, phones


async def export(
    session: AsyncSession, actor: Actor, body: PersonIn, *, now: datetime, form: str
) -> PersonRecordsOut:
    """Everything the platform holds on the person (right of access); each request's export is
    audited with the reason and the format."""
    ids, phones = await _identities(session, body)
    reason = f"{body.reason} (export {form})"
    requests = await regulation.request_records(session, actor, ids, reason=reason)
    appointments = await agenda.appointments_of_requests(session, ids)
    appointment_ids = [a.id for a in appointments]
    sms = await notifications.patient_sms(
        session, request_ids=ids, appointment_ids=appointment_ids, phones=phones
    )
    calls = await telephony.calls_of_numbers(session, phones)
    if not ids:
        await audit.record(
            session, actor, "rights_export", ENTITY, "phone", f"reason={reason}"[:500]
        )
    accesses = await audit.entries_about(
        session,
        {
            "regulation_request": [str(i) for i in ids],
            "appointment": appointment_ids,
            "sms_inbound": [str(m.id) for m in sms.received],
        },
    )
    cpts = await territory.get_cpts(session)
    return PersonRecordsOut(
        generated_at=now,
        controller=cpts.name if cpts else "CPTS",
        requests=requests,
        appointments=[AppointmentRecordOut.model_validate(a) for a in appointments],
        sms_sent=[SentSmsOut.model_validate(m) for m in sms.sent],
        sms_received=[ReceivedSmsOut.model_validate(m) for m in sms.received],
        opt_outs=[OptOutOut.model_validate(o) for o in sms.opt_outs],
        surveys=[SurveyOut.model_validate(s) for s in sms.surveys],
        calls=[CallRecordOut.model_validate(c) for c in calls],
        accesses=[AccessOut.model_validate(e) for e in accesses],
    )


async def rectify(
    session: AsyncSession, actor: Actor, request_id: int, body: RectifyIn, *, now: datetime
) -> regulation.RequestMatch:
    identities = await regulation.request_identities(session, [request_id])
    before = identities.get(request_id)
    names = [body.family_name, body.given_name]
    phones = [body.phone]
    if before is not None:
        names += [before.family_name, before.given_name]
        phones.append(before.phone)
    check_reason(body.reason, names=names, phones=phones)
    changes = regulation.IdentityCorrection.model_validate(
        body.model_dump(include=body.model_fields_set - {"reason"})
    )
    return await regulation.rectify_identity(
        session, actor, request_id, changes, reason=body.reason, now=now
    )


async def erase(session: AsyncSession, actor: Actor, body: PersonIn, *, now: datetime) -> ErasedOut:
    """Erase the person's requests (all or none), every SMS about them or from their number, and
    their number from the phone line's calls and callback tasks; says what is kept and why."""
    ids, phones = await _identities(session, body)
    appointments = await agenda.appointments_of_requests(session, ids)
    appointment_ids = [a.id for a in appointments]
    erased = (
        await regulation.erase_requests(session, actor, ids, reason=body.reason, now=now)
        if ids
        else []
    )
    sms = await notifications.patient_sms(
        session, request_ids=ids, appointment_ids=appointment_ids, phones=phones
    )
    count = await notifications.erase_patient_sms(
        session, request_ids=ids, appointment_ids=appointment_ids, phones=phones
    )
    await audit.record(
        session,
        actor,
        "erase",
        ENTITY,
        "sms",
        f"requests={len(erased)};sms={count};reason={body.reason}"[:500],
    )
    calls = await telephony.erase_numbers(session, phones, now=now, user_id=actor.user_id)
    await audit.record(
        session,
        actor,
        "erase",
        ENTITY,
        "calls",
        f"requests={len(erased)};calls={calls};reason={body.reason}"[:500],
    )
    kept = [KEPT_AUDIT, KEPT_STATISTICS, KEPT_CALLS] + ([KEPT_OPT_OUT] if sms.opt_outs else [])
    return ErasedOut(erased_request_ids=erased, sms_erased=count, calls_erased=calls, kept=kept)

"""The outcome of a referral, texted to the professional who referred the patient.

When a request closes (or is sent to the 15 by a red flag) and its referrer left a mobile
(`referrer_phone`, typed in the referral form or by the operator), they get one short SMS: the
appointment's date, time and kind, or the outcome in plain words. Patient initials only, no
clinical detail. Not essential: a referrer who answered STOP gets none. Setting
`sms_referrer_outcome` turns it off.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notifications.models import Audience
from notifications.service import outbox, sources, timing
from notifications.service.messages import KIND_LABELS
from notifications.service.outbox import About
from snp.settings import Settings, settings_of

ISSUES: dict[str, str] = {
    "slot_booked": "un RDV a été trouvé",
    "medical_advice": "conseil médical donné par téléphone",
    "redirected_15": "orienté vers le 15 (SAMU)",
    "teleconsultation": "téléconsultation organisée",
    "pharmacist": "orienté vers un pharmacien",
    "emergency_department": "orienté vers les urgences",
    "transferred_regulator": "confié au médecin régulateur",
    "unreachable": "patient injoignable malgré nos appels",
    "cancelled_by_patient": "demande annulée par le patient",
    "no_slot_found": "aucun créneau trouvé, le patient est informé",
}


async def tell_referrer(
    session: AsyncSession, request_id: int, outcome: str, settings: Settings | None = None
) -> bool:
    """Queue the referrer's outcome SMS; False when there is nobody to tell."""
    settings = settings or settings_of(session)
    if not settings.sms_referrer_outcome:
        return False
    referral = await sources.referral_of(session, request_id)
    if referral is None or not referral.referrer_phone:
        return False
    about = About(request_id=request_id)
    values = {"patient": referral.patient_initials, "demande": str(request_id)}
    if outcome == "slot_booked" and referral.consultation_at is not None:
        kind = referral.orientation or "AMB"
        return await outbox.enqueue(
            session,
            key=f"referral:{request_id}:{outcome}:{referral.consultation_at.isoformat()}",
            to=referral.referrer_phone,
            template="referent_rdv",
            audience=Audience.REFERRER,
            values={
                **values,
                "date": timing.paris_date(referral.consultation_at),
                "heure": timing.paris_time(referral.consultation_at),
                "type": KIND_LABELS.get(kind, kind),
            },
            essential=False,
            about=about,
        )
    return await outbox.enqueue(
        session,
        key=f"referral:{request_id}:{outcome}",
        to=referral.referrer_phone,
        template="referent_issue",
        audience=Audience.REFERRER,
        values={**values, "issue": ISSUES.get(outcome, "demande close")},
        essential=False,
        about=about,
    )

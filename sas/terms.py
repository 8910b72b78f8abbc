"""The editor's terms of use a SAS regulator accepts at first login (functional specification
of the regulator accounts). The text is versioned: a new `VERSION` asks every regulator again.
Acceptance is recorded (`sas_terms_acceptances`, audited) and required, on the server, by every
`/api/sas` route a regulator uses (`require_accepted_terms`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sas.models import SasTermsAcceptance
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import BusinessRuleError, Forbidden

VERSION = "2026-12-01"
TITLE = "Conditions générales d'utilisation — accès des régulateurs SAS"
TEXT = """\
1. Objet. La plateforme de soins non programmés de la CPTS permet aux médecins régulateurs du \
Service d'Accès aux Soins (SAS) de prendre, pour un patient qu'ils ont régulé, un rendez-vous \
sur un créneau que le médecin effecteur a partagé avec le SAS.

2. Compte. Votre compte est créé et tenu à jour par la plateforme nationale SAS ; sa \
désactivation par la plateforme vous retire l'accès. Votre mot de passe est personnel : ne le \
communiquez à personne. En cas d'oubli, utilisez « Mot de passe oublié ».

3. Usage. Vous ne réservez que pour un patient dont vous assurez la régulation, avec son \
accord, et vous ne saisissez que les données nécessaires au rendez-vous et à son rappel par \
SMS. Vous annulez sans délai un rendez-vous qui n'a plus lieu d'être.

4. Données personnelles. Les données des patients sont traitées par la CPTS, responsable de \
traitement, pour l'organisation de leur prise en charge, hébergées chez un hébergeur certifié \
données de santé, et conservées pour la durée prévue par la CPTS. Chaque consultation et \
modification est tracée. Les rendez-vous pris ici sont transmis à la plateforme nationale SAS.

5. Responsabilité. La régulation médicale reste de votre responsabilité ; la CPTS assure la \
disponibilité du service dans la limite de ses moyens.
"""


async def has_accepted(session: AsyncSession, user_id: int, version: str = VERSION) -> bool:
    found = await session.scalar(
        select(SasTermsAcceptance.id).where(
            SasTermsAcceptance.user_id == user_id, SasTermsAcceptance.version == version
        )
    )
    return found is not None


async def accept(session: AsyncSession, actor: Actor, version: str) -> None:
    """Record the acceptance of `version` (it must be the current one; idempotent)."""
    if version != VERSION:
        raise BusinessRuleError(
            "Cette version des conditions d'utilisation n'est plus en vigueur : rechargez la page.",
            ("body", "version"),
        )
    assert actor.user_id is not None
    if await has_accepted(session, actor.user_id):
        return
    try:
        async with session.begin_nested():
            session.add(
                SasTermsAcceptance(user_id=actor.user_id, version=version, accepted_at=utcnow())
            )
    except IntegrityError:  # accepted at the same moment in another tab
        return
    await audit.record(session, actor, "accept_terms", "user", actor.user_id)


async def require_accepted(session: AsyncSession, actor: Actor) -> None:
    """403 until the regulator has accepted the current terms."""
    if actor.user_id is None or not await has_accepted(session, actor.user_id):
        raise Forbidden(
            "Acceptez les conditions d'utilisation avant d'utiliser la prise de rendez-vous SAS.",
            ("terms",),
        )

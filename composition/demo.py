"""The demo territory: a fictional CPTS, its communes, ~30 GPs, one account per role.

Deterministic (fixed seed) so that tests and screenshots are reproducible, and idempotent so
`make run` can load it every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
import regulation
import sas
from indicators import demo as indicators_demo
from snp import territory
from snp.actor import Actor
from snp.auth import Role, create_account, find_account
from snp.identifiers import finess_with_check_digit, rpps_with_check_digit
from snp.kit import PageParams
from snp.settings import Settings, get_settings
from telephony import demo as telephony_demo

DEMO_PASSWORD = "demo-snp-2026"  # noqa: S105 - published demo accounts
SEED = 20261123

DEMO_SAS_TECHNICAL_ID = "4f8c2a6e-0d1b-4c3e-9a57-2b6d8e1f0a93"  # as the platform would give
CPTS_NAME = "CPTS du Val de Vilaine (démonstration)"
CPTS_FINESS = finess_with_check_digit("35000917")
CPTS_PHONE = "+33299710000"

# Communes around Redon, for demonstration (codes and centroids indicative).
COMMUNES: list[territory.CommuneData] = [
    territory.CommuneData("35236", "Redon", "35600", 47.6514, -2.0843),
    territory.CommuneData("35013", "Bains-sur-Oust", "35600", 47.7036, -2.0700),
    territory.CommuneData("35302", "Sainte-Marie", "35600", 47.6953, -2.0022),
    territory.CommuneData("35237", "Renac", "35660", 47.7186, -1.9706),
    territory.CommuneData("35059", "La Chapelle-de-Brain", "35660", 47.6997, -1.9342),
    territory.CommuneData("35145", "Langon", "35660", 47.7217, -1.8508),
    territory.CommuneData("44185", "Saint-Nicolas-de-Redon", "44460", 47.6431, -2.0644),
    territory.CommuneData("56194", "Rieux", "56350", 47.5981, -2.1064),
    territory.CommuneData("56001", "Allaire", "56350", 47.6381, -2.1633),
    territory.CommuneData("56230", "Saint-Perreux", "56350", 47.6681, -2.1131),
    territory.CommuneData("44067", "Guémené-Penfao", "44290", 47.6328, -1.8317),
    territory.CommuneData("35220", "Pipriac", "35550", 47.8094, -1.9461),
]


@dataclass(frozen=True, slots=True)
class DemoAccount:
    role: Role
    email: str
    full_name: str


ACCOUNTS: list[DemoAccount] = [
    DemoAccount(Role.OPERATOR, "operateur@demo.cpts-snp.fr", "Camille Opératrice"),
    DemoAccount(Role.REGULATOR, "regulateur@demo.cpts-snp.fr", "Dr Jean Régulateur"),
    DemoAccount(Role.EFFECTOR, "effecteur@demo.cpts-snp.fr", "Dr Anne Martin"),
    DemoAccount(Role.REFERRER, "pharmacie@demo.cpts-snp.fr", "Pharmacie du Port (Redon)"),
    DemoAccount(Role.SAS_REGULATOR, "regulateur-sas@demo.cpts-snp.fr", "Dr Paul Régulateur SAS"),
    DemoAccount(Role.COORDINATOR, "coordination@demo.cpts-snp.fr", "Sophie Coordinatrice"),
    DemoAccount(Role.FUNDER, "financeur@demo.cpts-snp.fr", "ARS Bretagne (lecture seule)"),
]

_FAMILY = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Le Goff",
    "Le Gall",
    "Guillou",
    "Hervé",
]
_GIVEN = [
    "Anne",
    "Pierre",
    "Marie",
    "Jean",
    "Claire",
    "Louis",
    "Julie",
    "Nicolas",
    "Sophie",
    "Yann",
    "Élodie",
    "Thomas",
    "Camille",
    "Gaël",
    "Nathalie",
    "Erwan",
    "Isabelle",
    "Mathieu",
    "Léa",
    "Olivier",
    "Morgane",
    "François",
    "Hélène",
    "Loïc",
]
_STREETS = [
    "rue de la Gare",
    "place de l'Église",
    "rue du Port",
    "avenue de la Libération",
    "rue des Écoles",
    "rue Notre-Dame",
    "boulevard de la Liberté",
    "rue du Général de Gaulle",
    "rue de Vannes",
    "rue de Rennes",
    "place du Marché",
    "rue des Douves",
]

EFFECTOR_COUNT = 30


def demo_effectors() -> list[agenda.EffectorData]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    family = rng.sample([n for n in _FAMILY if n != "Martin"], EFFECTOR_COUNT)
    effectors: list[agenda.EffectorData] = []
    for index in range(EFFECTOR_COUNT):
        given = _GIVEN[index % len(_GIVEN)] if index else "Anne"
        name = "Martin" if index == 0 else family[index]
        rpps = rpps_with_check_digit(f"10{rng.randrange(10**8):08d}")
        home_communes = [COMMUNES[index % len(COMMUNES)]]
        if index % 7 == 3:  # a few GPs also consult in a second place
            home_communes.append(COMMUNES[(index + 5) % len(COMMUNES)])
        sites = []
        for number, commune in enumerate(home_communes):
            kind = "Cabinet médical" if number == 0 else "Maison de santé"
            sites.append(
                agenda.SiteData(
                    name=f"{kind} de {commune.name}",
                    address_line=f"{rng.randint(1, 60)} {rng.choice(_STREETS)}",
                    postal_code=commune.postal_code,
                    city=commune.name,
                    insee_code=commune.insee_code,
                    latitude=round(commune.latitude + rng.uniform(-0.006, 0.006), 6),
                    longitude=round(commune.longitude + rng.uniform(-0.006, 0.006), 6),
                    structure_id="1" + finess_with_check_digit(f"35{rng.randrange(10**6):06d}"),
                    phone=f"+3329971{rng.randrange(10**4):04d}",
                )
            )
        effectors.append(
            agenda.EffectorData(
                rpps=rpps,
                family_name=name,
                given_name=given,
                phone=f"+33612{rng.randrange(10**6):06d}",
                email=f"{given.lower()}.{name.lower().replace(' ', '-')}@demo.cpts-snp.fr",
                home_visits=index % 3 == 0,
                home_visit_radius_km=10.0 if index % 3 == 0 else None,
                teleconsultation=index % 4 == 0,
                min_patient_age_months=72 if index % 10 == 9 else None,
                sites=sites,
            )
        )
    return effectors


async def load(session: AsyncSession, settings: Settings | None = None) -> dict[Role, DemoAccount]:
    """Load (or refresh) the demo territory; safe to run any number of times."""
    actor = Actor.system("demo")
    settings = settings or get_settings()
    await territory.set_cpts(session, name=CPTS_NAME, finess=CPTS_FINESS, phone=CPTS_PHONE)
    await territory.upsert_communes(session, COMMUNES)
    user_ids: dict[Role, int] = {}
    for account in ACCOUNTS:
        user = await find_account(session, account.email)
        if user is None:
            user = await create_account(
                session,
                actor,
                email=account.email,
                full_name=account.full_name,
                role=account.role,
                password=DEMO_PASSWORD,
            )
        user_ids[account.role] = user.id
    await sas.link_regulator(
        session,
        actor,
        user_ids[Role.SAS_REGULATOR],
        technical_id=DEMO_SAS_TECHNICAL_ID,
        family_name="Régulateur SAS",
        given_name="Paul",
    )
    for index, effector in enumerate(demo_effectors()):
        if index == 0:  # the demo effector account is Dr Anne Martin
            effector = replace(effector, user_id=user_ids[Role.EFFECTOR])
        await agenda.upsert_effector(session, effector)
    await _load_availability(session, actor, settings)
    await regulation.ensure_default_protocol(session)
    await _load_indicators_history(session)
    await _load_call_history(session, settings, operator_ids=[user_ids[Role.OPERATOR]])
    return {a.role: a for a in ACCOUNTS}


async def _load_indicators_history(session: AsyncSession) -> None:
    """~18 months of synthetic activity in the indicators' read model (flagged demo), so the
    dashboard shows something on a fresh demo."""
    await indicators_demo.load_history(session)


async def _load_call_history(
    session: AsyncSession, settings: Settings, *, operator_ids: list[int]
) -> None:
    """Twelve weeks of calls on the phone line (the demo operator answering), so the calls card
    and the call log show something on a fresh demo."""
    await telephony_demo.load_history(session, settings, operator_ids=operator_ids)


# (weekdays, start, end) for effectors 2..13 of the directory; Dr Anne Martin (the demo effector
# account) starts with an empty agenda so a first visitor can build their own.
_AVAILABILITY = [
    ("MO,TU,WE,TH,FR", time(14), time(16)),
    ("MO,WE,FR", time(9), time(11)),
    ("TU,TH", time(17), time(19)),
    ("MO,TU,WE,TH,FR", time(12), time(13)),
    ("SA", time(9), time(12)),
    ("MO,TU,WE,TH,FR", time(18), time(19, 40)),
]


async def _load_availability(session: AsyncSession, actor: Actor, settings: Settings) -> None:
    """Weekly SNP availability for a dozen demo GPs, created once (templates are kept)."""
    page = await agenda.list_effectors(session, page=PageParams(limit=13))
    for index, effector in enumerate(page.items[1:13]):
        if await agenda.list_templates(session, actor, effector.id):
            continue
        weekdays, start, end = _AVAILABILITY[index % len(_AVAILABILITY)]
        await agenda.create_template(
            session,
            actor,
            agenda.TemplateIn(
                effector_id=effector.id,
                site_id=effector.sites[0].id,
                weekdays=weekdays,
                start_time=start,
                end_time=end,
                slot_minutes=20,
                kinds=["AMB", "VR"] if index % 3 == 0 else ["AMB"],
            ),
            horizon_days=settings.agenda_horizon_days,
        )

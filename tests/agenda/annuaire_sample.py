"""A small extraction in the Annuaire Santé format, and the territory it is read against."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agenda.service.annuaire_format import header_line, practitioner
from snp.identifiers import rpps_with_check_digit
from snp.territory import CommuneData, upsert_communes

MARTIN = rpps_with_check_digit("1000000101")
LE_GALL = rpps_with_check_digit("1000000102")
RENNES_GP = rpps_with_check_digit("1000000103")
DENTIST = rpps_with_check_digit("1000000104")
NURSE = rpps_with_check_digit("1000000105")
CARDIOLOGIST = rpps_with_check_digit("1000000106")
REDON = (47.6514, -2.0843)


def sample_lines(martin_street: str = "DU PORT") -> list[str]:
    return [
        header_line(),
        practitioner(
            rpps=MARTIN,
            family="MARTIN",
            given="ANNE",
            site="CABINET MEDICAL DU PORT",
            number="3",
            street_type="Rue",
            street=martin_street,
            postal="35600",
            insee="35236",
            city="REDON",
            phone="0299710000",
        ),
        practitioner(
            rpps=MARTIN,
            family="MARTIN",
            given="ANNE",
            site="MAISON DE SANTE DE REDON",
            number="2",
            street_type="Place",
            street="DU MARCHE",
            postal="35600",
            insee="35236",
            city="REDON",
            phone="0612345678",
        ),
        # No INSEE code: found by the postal code of a commune of the territory.
        practitioner(
            rpps=LE_GALL,
            family="LE GALL",
            given="YANN",
            site="CABINET DE RIEUX",
            number="3",
            street_type="Rue",
            street="DE VANNES",
            postal="56350",
            city="RIEUX",
        ),
        practitioner(
            rpps=RENNES_GP,
            family="DURAND",
            given="PAUL",
            site="CABINET RENNES",
            postal="35000",
            insee="35238",
            city="RENNES",
        ),
        practitioner(
            rpps=DENTIST,
            family="DENT",
            given="LEA",
            profession="40",
            savoir_faire="",
            postal="35600",
            insee="35236",
            city="REDON",
        ),
        practitioner(
            rpps=NURSE,
            family="SOIN",
            given="MARC",
            profession="60",
            savoir_faire="",
            site="CABINET INFIRMIER",
            postal="35600",
            insee="35236",
            city="REDON",
        ),
        practitioner(
            rpps=CARDIOLOGIST,
            family="COEUR",
            given="JEAN",
            savoir_faire="SM04",
            postal="35600",
            insee="35236",
            city="REDON",
        ),
        practitioner(
            rpps="10000001070",
            family="FAUX",
            given="NUMERO",
            postal="35600",
            insee="35236",
            city="REDON",
        ),
    ]


def sample_text(martin_street: str = "DU PORT") -> str:
    return "".join(sample_lines(martin_street))


async def load_territory(session: AsyncSession) -> None:
    await upsert_communes(
        session,
        [
            CommuneData("35236", "Redon", "35600", *REDON),
            CommuneData("56194", "Rieux", "56350", 47.5981, -2.1064),
        ],
    )
    await session.commit()

"""The ACI's yearly amounts by CPTS size, as data (instruction DGOS/DIR/CNAM 2019/218 of
9 October 2019, annex: the contract template), all "pour un taux d'atteinte de 100 %".

Size classes by population covered: 1 (< 40,000 inhabitants), 2 (40,000-80,000),
3 (80,000-175,000), 4 (> 175,000). The access-to-care mission is paid "en deux parts égales":
a fixed part and a variable part paid by the attainment rate of its indicators. The SNP
envelopes (GPs' compensation, the treatment and orientation service) are ring-fenced: usable
only for what they fund. A 75 % advance of the fixed part is paid at the start of each contract
year; the balance (fixed part's remainder + variable part earned) "dans les deux mois suivant
la date anniversaire" of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass

ADVANCE_SHARE = 0.75
BALANCE_MONTHS_AFTER_ANNIVERSARY = 2
SOURCE = "Instruction DGOS/DIR/CNAM/2019/218 du 9 octobre 2019, annexe (contrat type ACI CPTS)"
SIZE_POPULATION = {
    1: "moins de 40 000 habitants",
    2: "de 40 000 à 80 000 habitants",
    3: "de 80 000 à 175 000 habitants",
    4: "plus de 175 000 habitants",
}


@dataclass(frozen=True, slots=True)
class SizeAmounts:
    """Euros a year for one CPTS size."""

    running: int  # fonctionnement de la communauté
    access_fixed: int  # mission accès aux soins, part fixe
    access_variable: int  # mission accès aux soins, part variable (max, 100 % atteint)
    gp_compensation: int  # SNP: compensation des médecins effecteurs
    orientation_service: int  # SNP: service de traitement et d'orientation (fléché)


AMOUNTS: dict[int, SizeAmounts] = {
    1: SizeAmounts(50_000, 15_000, 15_000, 10_000, 35_000),
    2: SizeAmounts(60_000, 17_500, 17_500, 12_000, 45_000),
    3: SizeAmounts(75_000, 25_000, 25_000, 15_000, 55_000),
    4: SizeAmounts(90_000, 30_000, 30_000, 20_000, 70_000),
}


def amounts_for(size: int) -> SizeAmounts:
    return AMOUNTS[size]

"""INT_R04 request parsing: the search parameters of `GET /fhir/Slot` (400 when malformed,
422 when a business rule refuses them). Practitioner ids may come with or without their
prefix (`8`+RPPS, `0`+ADELI) and system; the search works on the unprefixed ids."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sas.fhir import IDNPS_SYSTEM, BusinessRule, Malformed
from snp.kit import PARIS

MAX_PRACTITIONERS = 25
MAX_PERIOD = timedelta(days=31)
IDENTIFIER_PARAM = "schedule.actor:Practitioner.identifier"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class SlotQuery:
    national_ids: tuple[str, ...]  # unprefixed RPPS or ADELI
    start: datetime
    end: datetime
    count: int | None


def _parse_bound(raw: str) -> tuple[str, datetime]:
    prefix, value = raw[:2], raw[2:]
    if prefix not in ("ge", "le", "gt", "lt"):
        raise Malformed(
            "Le paramètre start doit commencer par ge (début) ou le (fin).", ("query", "start")
        )
    # A "+" of the offset left unencoded in the URL arrives as a space.
    value = value.strip().replace(" ", "+")
    try:
        if _DATE_ONLY.match(value):
            day = datetime.fromisoformat(value).date()
            moment = datetime.combine(day, time(0), PARIS)
            if prefix in ("le", "gt"):
                moment += timedelta(days=1) - timedelta(microseconds=1)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Malformed(f"Date invalide dans start : « {value} ».", ("query", "start")) from None
    if moment.tzinfo is None:
        raise Malformed(
            "La date de start doit porter un décalage horaire (ex. +02:00).", ("query", "start")
        )
    return prefix, moment


def _parse_identifier(token: str) -> str:
    system, sep, value = token.strip().rpartition("|")
    if sep and system and system != IDNPS_SYSTEM:
        raise Malformed(
            f"Système d'identifiant non pris en charge : « {system} » (attendu {IDNPS_SYSTEM}).",
            ("query", IDENTIFIER_PARAM),
        )
    value = value.strip()
    if value.isdigit():
        if len(value) == 12 and value[0] == "8":
            return value[1:]
        if len(value) == 10 and value[0] == "0":
            return value[1:]
        if len(value) in (11, 9):
            return value
    raise Malformed(
        f"Identifiant de praticien invalide : « {value} » (RPPS ou ADELI, préfixé ou non).",
        ("query", IDENTIFIER_PARAM),
    )


def parse_query(params: Sequence[tuple[str, str]]) -> SlotQuery:
    """The search parameters of INT_R04 (400 when malformed, 422 when refused)."""
    bounds: dict[str, datetime] = {}
    tokens: list[str] = []
    count: int | None = None
    for name, value in params:
        if name == "start":
            prefix, moment = _parse_bound(value)
            side = "ge" if prefix in ("ge", "gt") else "le"
            if side in bounds:
                raise Malformed(f"Borne start={side} donnée deux fois.", ("query", "start"))
            bounds[side] = moment
        elif name == IDENTIFIER_PARAM:
            tokens.extend(t for t in value.split(",") if t.strip())
        elif name == "status":
            if value.strip() != "free":
                raise BusinessRule(
                    "Seuls les créneaux libres sont exposés (status=free).", ("query", "status")
                )
        elif name == "_count":
            try:
                count = int(value)
            except ValueError:
                raise Malformed("_count doit être un entier.", ("query", "_count")) from None
            if count < 0:
                raise Malformed("_count doit être positif.", ("query", "_count"))
    for side, label in (("ge", "début (start=ge…)"), ("le", "fin (start=le…)")):
        if side not in bounds:
            raise Malformed(f"Borne de {label} obligatoire.", ("query", "start"))
    if not tokens:
        raise Malformed(
            "Au moins un identifiant de praticien est obligatoire.", ("query", IDENTIFIER_PARAM)
        )
    if len(tokens) > MAX_PRACTITIONERS:
        raise Malformed(
            f"Au plus {MAX_PRACTITIONERS} praticiens par recherche ({len(tokens)} reçus).",
            ("query", IDENTIFIER_PARAM),
        )
    ids = tuple(dict.fromkeys(_parse_identifier(t) for t in tokens))
    start, end = bounds["ge"], bounds["le"]
    if end < start:
        raise BusinessRule("La fin de la période précède son début.", ("query", "start"))
    if end - start > MAX_PERIOD:
        raise BusinessRule(
            f"Période de recherche trop longue (au plus {MAX_PERIOD.days} jours).",
            ("query", "start"),
        )
    return SlotQuery(ids, start, end, count)

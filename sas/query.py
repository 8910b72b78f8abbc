"""INT_R04 request parsing: the search parameters of `GET /fhir/Slot` (400 when malformed,
422 when a business rule refuses them).

- `start`: `ge`/`gt` lower bound and `le`/`lt` upper bound, `gt`/`lt` strict; a date-time
  without offset (the guide's individual-practitioner example) is read in Europe/Paris; no
  limit on the period's length (the guide sets none).
- practitioner ids may come with or without their prefix (`8`+RPPS, `0`+ADELI) and system; the
  search works on the unprefixed ids. A token that cannot designate one of our practitioners
  (oddly formed, another system) finds nothing and leaves the others' results: the guide says
  a search succeeds as soon as it can be executed.
- `_count` is accepted and ignored: the CPTS bundle profile allows exactly one link (`self`),
  so there is no paging; every matching slot is returned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sas.fhir import IDNPS_SYSTEM, BusinessRule, Malformed
from snp.kit import PARIS

MAX_PRACTITIONERS = 25
IDENTIFIER_PARAM = "schedule.actor:Practitioner.identifier"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class SlotQuery:
    national_ids: tuple[str, ...]  # unprefixed RPPS or ADELI
    start: datetime
    end: datetime
    start_inclusive: bool = True  # ge (True) or gt (False)
    end_inclusive: bool = True  # le (True) or lt (False)


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
    if moment.tzinfo is None:  # the guide's own example omits it: server time (Paris)
        moment = moment.replace(tzinfo=PARIS)
    return prefix, moment


def parse_practitioner_token(token: str) -> str | None:
    """The unprefixed RPPS (11 digits) or ADELI (9 digits) a token designates, else None."""
    system, sep, value = token.strip().rpartition("|")
    if sep and system and system != IDNPS_SYSTEM:
        return None
    value = value.strip()
    if value.isdigit():
        if len(value) == 12 and value[0] == "8":
            return value[1:]
        if len(value) == 10 and value[0] == "0":
            return value[1:]
        if len(value) in (11, 9):
            return value
    return None


def parse_query(params: Sequence[tuple[str, str]]) -> SlotQuery:
    """The search parameters of INT_R04 (400 when malformed, 422 when refused)."""
    bounds: dict[str, tuple[str, datetime]] = {}
    tokens: list[str] = []
    for name, value in params:
        if name == "start":
            prefix, moment = _parse_bound(value)
            side = "ge" if prefix in ("ge", "gt") else "le"
            if side in bounds:
                raise Malformed(f"Borne start={side} donnée deux fois.", ("query", "start"))
            bounds[side] = (prefix, moment)
        elif name == IDENTIFIER_PARAM:
            tokens.extend(t for t in value.split(",") if t.strip())
        elif name == "status":
            if value.strip() != "free":
                raise BusinessRule(
                    "Seuls les créneaux libres sont exposés (status=free).", ("query", "status")
                )
        elif name == "_count" and not value.strip().isdigit():  # else accepted, ignored
            raise Malformed("_count doit être un entier positif.", ("query", "_count"))
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
    ids = tuple(dict.fromkeys(i for i in map(parse_practitioner_token, tokens) if i is not None))
    (low, start), (high, end) = bounds["ge"], bounds["le"]
    if end < start:
        raise BusinessRule("La fin de la période précède son début.", ("query", "start"))
    return SlotQuery(ids, start, end, low == "ge", high == "le")

"""INT_R04, CPTS case: `GET /fhir/Slot` -> a searchset Bundle of free slots shared with the SAS.

The request is checked first (400 for a malformed one, 422 for a refused one), then
`agenda.sas_free_slots` reads everything in three indexed queries and the bundle is written
here: the few included resources as dicts, the Slots — up to thousands — straight to JSON text
from fragments encoded once (building `fhir.resources` models costs about 0.2 ms a resource,
far too much for the 7-second budget at national scale; instead the tests parse every resource
we emit with the `fhir.resources` R4B models). Never an empty element: what is unknown is
omitted.

Resources: one Slot per free slot (`search.mode` match), then (include) its Schedule — one per
(effector, site) —, the Practitioner, the PractitionerRole of that site with its Location
contained, and, when a slot is visible to CPTS structures, our CPTS's HealthcareService and
Organization (once per bundle).

The `CPTS` visibility code never goes without its `604` serviceType and HealthcareService: when
no CPTS is configured, or its FINESS cannot be written as the guide's invariant demands
(`^1[0-9]{9}$`: the Corsican FINESS `2A…`/`2B…` cannot), the code is left out, and a slot
visible only to CPTS structures is left out of the answer (it would otherwise be shown more
widely than its effector chose). `Slot.comment` is the booking page of that very slot.
An empty answer declares the individual-practitioner bundle profile (the CPTS one requires a
Slot), as the guide's FAQ does.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from sas.fhir import (
    ACT_CODE_SYSTEM,
    APPOINTMENT_TYPE_SYSTEM,
    BUNDLE_PROFILE,
    CPTS_CATEGORY,
    EMPTY_BUNDLE_PROFILE,
    ESTABLISHMENT_SYSTEM,
    FR_CORE_ID_TYPE_SYSTEM,
    HEALTHCARE_SERVICE_PROFILE,
    ID_TYPE_SYSTEM,
    IDNST_SYSTEM,
    LOCATION_PROFILE,
    ORGANIZATION_PROFILE,
    PRACTITIONER_PROFILE,
    PRACTITIONER_ROLE_PROFILE,
    SCHEDULE_PROFILE,
    SERVICE_TYPE_EXTENSION,
    SLOT_PROFILE,
    SPECIALTY_SYSTEM,
    VISIBILITY_SYSTEM,
    fhir_datetime,
    id_type,
    practitioner_identifier,
)
from sas.query import SlotQuery, parse_query
from snp.db import utcnow
from snp.territory import get_cpts

log = logging.getLogger(__name__)

CPTS_ID = "cpts"
_FINESS_FHIR = re.compile(r"^1[0-9]{9}$")


def fhir_phone(value: str | None) -> str | None:
    """`+33XXXXXXXXX` (E.164) for a French number; None when it is not one."""
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def cpts_identifier(finess: str) -> str | None:
    """`1` + FINESS when the guide's invariant accepts it (never for a Corsican `2A`/`2B`)."""
    value = "1" + finess
    return value if _FINESS_FHIR.match(value) else None


def organization_id_type() -> dict[str, Any]:
    """IDNST as FrOrganizationAgregateurCPTS fixes it, with the FAQ's coding beside it."""
    return {
        "coding": [
            {"system": FR_CORE_ID_TYPE_SYSTEM, "code": "IDNST"},
            {"system": ID_TYPE_SYSTEM, "code": "IDNST"},
        ]
    }


@dataclass(frozen=True, slots=True)
class BundleContext:
    base: str  # FHIR base URL (…/fhir), for fullUrl
    self_url: str
    # the slot's booking page: f"{booking_base}/<effector id>/creneaux/<slot id>?origin=sas"
    booking_base: str


def _security(slot: agenda.SasSlot, with_cpts: bool) -> list[dict[str, str]]:
    codes = []
    if slot.vis_public:
        codes.append("PUBLIC")
    if slot.vis_pro:
        codes.append("PRO")
    if slot.vis_snp:
        codes.append("SNP")
    if slot.vis_cpts and with_cpts:
        codes.append("CPTS")
    return [{"system": VISIBILITY_SYSTEM, "code": c} for c in codes]


def _service_types(slot: agenda.SasSlot, cpts: bool) -> list[dict[str, Any]]:
    kinds = [
        code
        for code, on in (("AMB", slot.kind_amb), ("HH", slot.kind_hh), ("VR", slot.kind_vr))
        if on
    ]
    out: list[dict[str, Any]] = [
        {"coding": [{"system": ACT_CODE_SYSTEM, "code": code}]} for code in kinds
    ]
    if slot.reason:
        out.append({"text": slot.reason})
    if cpts:
        out.append(
            {
                "extension": [
                    {
                        "url": SERVICE_TYPE_EXTENSION,
                        "valueReference": {"reference": f"HealthcareService/{CPTS_ID}"},
                    }
                ],
                "coding": [{"system": ESTABLISHMENT_SYSTEM, "code": CPTS_CATEGORY}],
            }
        )
    return out


def _specialty(effector: agenda.SasEffector) -> list[dict[str, Any]]:
    if effector.specialty_code:
        return [{"coding": [{"system": SPECIALTY_SYSTEM, "code": effector.specialty_code}]}]
    if effector.specialty_text:
        return [{"text": effector.specialty_text}]
    return []


def _practitioner(effector: agenda.SasEffector) -> dict[str, Any]:
    name: dict[str, Any] = {"family": effector.family_name}
    if effector.given_name:
        name["given"] = [effector.given_name]
    return {
        "resourceType": "Practitioner",
        "id": str(effector.id),
        "meta": {"profile": [PRACTITIONER_PROFILE]},
        "identifier": [practitioner_identifier(effector.national_id, effector.national_id_kind)],
        "name": [name],
    }


def _role(effector: agenda.SasEffector, site: agenda.SasSite, key: str) -> dict[str, Any]:
    location_id = f"loc-{site.id}"
    location: dict[str, Any] = {
        "resourceType": "Location",
        "id": location_id,
        "meta": {"profile": [LOCATION_PROFILE]},
        "address": {
            "line": [site.address_line],
            "city": site.city,
            "postalCode": site.postal_code,
        },
    }
    if site.name:
        location["name"] = site.name
    role: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": key,
        "meta": {"profile": [PRACTITIONER_ROLE_PROFILE]},
        "contained": [location],
        "practitioner": {"reference": f"Practitioner/{effector.id}"},
        "location": [{"reference": f"#{location_id}"}],
    }
    if site.structure_id:
        role["organization"] = {
            "identifier": {
                "type": id_type("IDNST"),
                "system": IDNST_SYSTEM,
                "value": site.structure_id,
            }
        }
    phone = fhir_phone(site.phone) or fhir_phone(effector.phone)
    if phone:
        role["telecom"] = [{"system": "phone", "value": phone}]
    return role


def schedule_key(effector_id: int, site_id: int) -> str:
    return f"{effector_id}-{site_id}"


def schedule_resource(effector_id: int, site_id: int) -> dict[str, Any]:
    """One Schedule per (effector, consultation place); actors: Practitioner and its role."""
    key = schedule_key(effector_id, site_id)
    return {
        "resourceType": "Schedule",
        "id": key,
        "meta": {"profile": [SCHEDULE_PROFILE]},
        "actor": [
            {"reference": f"Practitioner/{effector_id}"},
            {"reference": f"PractitionerRole/{key}"},
        ],
    }


def practitioner_resource(effector: agenda.SasEffector) -> dict[str, Any]:
    return _practitioner(effector)


def slot_resource(
    slot: agenda.SasSlot, effector: agenda.SasEffector, context: BundleContext, with_cpts: bool
) -> dict[str, Any]:
    writer = _SlotWriter(context.base, context.booking_base, with_cpts)
    entry = writer.entry(slot, effector, schedule_key(slot.effector_id, slot.site_id))
    resource: dict[str, Any] = json.loads(entry)["resource"]
    return resource


async def cpts_expressible(session: AsyncSession) -> bool:
    """A CPTS is configured and its FINESS can be written as the guide demands."""
    row = await get_cpts(session)
    return row is not None and cpts_identifier(row.finess) is not None


def searchset(
    context: BundleContext, resources: list[dict[str, Any]], profile: str | None = None
) -> dict[str, Any]:
    """A searchset Bundle of `resources` (all `match`), one `self` link."""
    bundle: dict[str, Any] = {"resourceType": "Bundle", "id": str(uuid.uuid4())}
    meta: dict[str, Any] = {"lastUpdated": fhir_datetime(utcnow())}
    if profile:
        meta["profile"] = [profile]
    bundle["meta"] = meta
    bundle["type"] = "searchset"
    bundle["total"] = len(resources)
    bundle["link"] = [{"relation": "self", "url": context.self_url}]
    if resources:
        bundle["entry"] = [_entry(context.base, r, "match") for r in resources]
    return bundle


def _entry(base: str, resource: dict[str, Any], mode: str) -> dict[str, Any]:
    return {
        "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _SlotWriter:
    """Writes Slot entries straight to JSON text: a national search may return thousands of
    slots, and everything but the id, times and schedule repeats across them, so those parts
    are encoded once per combination and reused (no dict per slot, no generic encoder pass)."""

    def __init__(self, base: str, booking_base: str, with_cpts: bool) -> None:
        self.base = base
        self.booking_base = booking_base
        self.with_cpts = with_cpts
        self._middles: dict[tuple[Any, ...], str] = {}
        # `"<booking base>/` encoded once; each comment appends plain digits to it.
        self._comment_head = _dumps(f"{booking_base}/")[:-1]
        self._times: dict[datetime, str] = {}  # slots share their start and end times

    def _time(self, value: datetime) -> str:
        found = self._times.get(value)
        if found is None:
            found = self._times[value] = fhir_datetime(value)
        return found

    def _middle(self, slot: agenda.SasSlot, effector: agenda.SasEffector) -> str:
        key = (
            slot.kind_amb,
            slot.kind_hh,
            slot.kind_vr,
            slot.vis_snp,
            slot.vis_cpts,
            slot.vis_pro,
            slot.vis_public,
            slot.reason,
            effector.specialty_code,
            effector.specialty_text,
        )
        found = self._middles.get(key)
        if found is None:
            meta: dict[str, Any] = {"profile": [SLOT_PROFILE]}
            security = _security(slot, self.with_cpts)
            if security:
                meta["security"] = security
            parts: dict[str, Any] = {"meta": meta}
            service_types = _service_types(slot, self.with_cpts and slot.vis_cpts)
            if service_types:
                parts["serviceType"] = service_types
            specialty = _specialty(effector)
            if specialty:
                parts["specialty"] = specialty
            parts["appointmentType"] = {
                "coding": [{"system": APPOINTMENT_TYPE_SYSTEM, "code": "ROUTINE"}]
            }
            found = self._middles[key] = _dumps(parts)[1:-1]
        return found

    def entry(self, slot: agenda.SasSlot, effector: agenda.SasEffector, schedule: str) -> str:
        comment = f'{self._comment_head}{slot.effector_id}/creneaux/{slot.id}?origin=sas"'
        return (
            f'{{"fullUrl":"{self.base}/Slot/{slot.id}","resource":{{"resourceType":"Slot",'
            f'"id":"{slot.id}",{self._middle(slot, effector)},'
            f'"schedule":{{"reference":"Schedule/{schedule}"}},"status":"free",'
            f'"start":"{self._time(slot.start_at)}","end":"{self._time(slot.end_at)}",'
            f'"comment":{comment}}},"search":{{"mode":"match"}}}}'
        )


async def search_slots(session: AsyncSession, query: SlotQuery, context: BundleContext) -> bytes:
    """The searchset Bundle answering `query`, as JSON (`total: 0` and no entry when nothing
    matches)."""
    supply = await agenda.sas_free_slots(session, query.national_ids, query.start, query.end)
    slots = [
        s
        for s in supply.slots
        if (query.start_inclusive or s.start_at != query.start)
        and (query.end_inclusive or s.start_at != query.end)
    ]
    cpts_row = await get_cpts(session) if any(s.vis_cpts for s in slots) else None
    cpts_value = cpts_identifier(cpts_row.finess) if cpts_row is not None else None
    if cpts_row is not None and cpts_value is None:
        log.warning("CPTS FINESS not expressible as 1+9 digits: CPTS left out of SAS slots")
    with_cpts = cpts_row is not None and cpts_value is not None
    if not with_cpts:  # never the CPTS code alone; nor a CPTS-only slot shown to others
        slots = [s for s in slots if s.vis_snp or s.vis_pro or s.vis_public]
    head: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {
            "profile": [BUNDLE_PROFILE if slots else EMPTY_BUNDLE_PROFILE],
            "lastUpdated": fhir_datetime(utcnow()),
        },
        "type": "searchset",
        "total": len(slots),
        "link": [{"relation": "self", "url": context.self_url}],
    }
    if not slots:
        return _dumps(head).encode()
    base = context.base
    writer = _SlotWriter(base, context.booking_base, with_cpts)
    matches: list[str] = []
    schedules: dict[str, dict[str, Any]] = {}
    for slot in slots:
        effector = supply.effectors[slot.effector_id]
        key = schedule_key(slot.effector_id, slot.site_id)
        if key not in schedules:
            schedules[key] = schedule_resource(slot.effector_id, slot.site_id)
        matches.append(writer.entry(slot, effector, key))
    included: list[dict[str, Any]] = []
    practitioners_done: set[int] = set()
    for key, schedule in schedules.items():
        effector_id, site_id = (int(part) for part in key.split("-"))
        effector = supply.effectors[effector_id]
        included.append(_entry(base, schedule, "include"))
        if effector_id not in practitioners_done:
            practitioners_done.add(effector_id)
            included.append(_entry(base, _practitioner(effector), "include"))
        included.append(_entry(base, _role(effector, supply.sites[site_id], key), "include"))
    if with_cpts and cpts_row is not None and cpts_value is not None:
        organization: dict[str, Any] = {
            "resourceType": "Organization",
            "id": CPTS_ID,
            "meta": {"profile": [ORGANIZATION_PROFILE]},
            "identifier": [
                {"type": organization_id_type(), "system": IDNST_SYSTEM, "value": cpts_value}
            ],
            "name": cpts_row.name,
        }
        phone = fhir_phone(cpts_row.phone)
        if phone:
            organization["telecom"] = [{"system": "phone", "value": phone}]
        service = {
            "resourceType": "HealthcareService",
            "id": CPTS_ID,
            "meta": {"profile": [HEALTHCARE_SERVICE_PROFILE]},
            "providedBy": {"reference": f"Organization/{CPTS_ID}"},
            "name": cpts_row.name,
        }
        included.append(_entry(base, service, "include"))
        included.append(_entry(base, organization, "include"))
    entries = ",".join([*matches, *(_dumps(e) for e in included)])
    return f'{_dumps(head)[:-1]},"entry":[{entries}]}}'.encode()


__all__ = [
    "BundleContext",
    "SlotQuery",
    "cpts_expressible",
    "parse_query",
    "practitioner_resource",
    "schedule_key",
    "schedule_resource",
    "search_slots",
    "searchset",
    "slot_resource",
]

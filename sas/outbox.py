"""INT_R03: what the SAS platform must be told, queued durably in `sas_outbox`.

Each change of an appointment taken by a SAS regulator adds one row holding the full
Appointment resource (profile FrAppointmentSAS) in the transaction of the change itself: a
rolled-back booking pushes nothing, a committed one is never lost. The first row of a platform
appointment is a POST, every later one the conditional PUT (`?identifier=system|value`). Rows of
one appointment are numbered (`sequence`) and sent strictly in order (`client.py`).
"""

from __future__ import annotations

import json
import socket
from datetime import datetime
from typing import Any

from fhir.resources.R4B.appointment import Appointment
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sas.fhir import (
    APPOINTMENT_PROFILE,
    IDNPS_SYSTEM,
    OPERATOR_EXTENSION,
    SAS_SYSTEM,
    fhir_datetime,
    id_type,
)
from sas.models import OutboxStatus, SasAppointment, SasOutbox
from snp.db import utcnow
from snp.settings import Settings

SYSTEM_PATH = "/fhir/sid/rendez-vous"


def appointment_system(settings: Settings) -> str:
    """`Appointment.identifier.system` for a new appointment, always a URL (or the OID the
    setting gives): the setting, else our public URL, else a URL naming this host. It is
    stored with the appointment, so every later PUT uses the system its POST carried."""
    if settings.sas_appointment_system:
        return settings.sas_appointment_system
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/") + SYSTEM_PATH
    host = socket.getfqdn() or "localhost"
    return f"https://{host}{SYSTEM_PATH}"


def appointment_resource(row: SasAppointment, settings: Settings) -> dict[str, Any]:
    """The FrAppointmentSAS resource of `row`, checked with the `fhir.resources` R4B model."""
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "meta": {"profile": [APPOINTMENT_PROFILE]},
        "identifier": [
            {
                "system": row.identifier_system or appointment_system(settings),
                "value": row.identifier,
            }
        ],
        "status": row.status,
        "start": fhir_datetime(row.start_at),
        "end": fhir_datetime(row.end_at),
        "created": fhir_datetime(row.booked_at),
        "participant": [
            {
                "actor": {
                    "identifier": {
                        "type": id_type("IDNPS"),
                        "system": IDNPS_SYSTEM,
                        "value": row.effector_national_id,
                    }
                },
                "status": "accepted",
            }
        ],
    }
    if row.operator_type and row.operator_value:
        system = IDNPS_SYSTEM if row.operator_type == "IDNPS" else SAS_SYSTEM
        resource["extension"] = [
            {
                "url": OPERATOR_EXTENSION,
                "valueReference": {
                    "identifier": {
                        "type": id_type(row.operator_type),
                        "system": system,
                        "value": row.operator_value,
                    }
                },
            }
        ]
    Appointment.model_validate(resource)  # a malformed resource is a bug: fail the transaction
    return resource


async def enqueue(
    session: AsyncSession, row: SasAppointment, settings: Settings, now: datetime | None = None
) -> SasOutbox:
    """Queue the current state of `row` (POST the first time, then conditional PUTs)."""
    last = await session.scalar(
        select(func.max(SasOutbox.sequence)).where(SasOutbox.identifier == row.identifier)
    )
    sequence = 1 if last is None else int(last) + 1
    item = SasOutbox(
        identifier=row.identifier,
        sequence=sequence,
        method="POST" if sequence == 1 else "PUT",
        payload=json.dumps(appointment_resource(row, settings), ensure_ascii=False),
        status=OutboxStatus.PENDING.value,
        attempts=0,
        next_attempt_at=now or utcnow(),
        uncertain=False,
    )
    session.add(item)
    await session.flush()
    return item

"""The FHIR adapter for the national Service d'Accès aux Soins (SAS).

- `/fhir` (api.py): INT_R04 slot search, INT_R02 regulator accounts, CapabilityStatement; only
  the SAS platform's client certificate may call it (access.py);
- `/api/sas` (booking.py): the SAS regulator's booking page in our UI;
- INT_R03 (handlers.py, outbox.py, client.py, jobs.py): every appointment booked by a SAS
  regulator, and each of its later changes, pushed to the platform through a durable outbox.
It speaks to the rest only through `agenda`, `regulation` and the kernel. The composition root
mounts the two routers, installs the FHIR error handlers and imports `sas.handlers` and
`sas.jobs`.
"""

from sas.access import warn_if_open
from sas.api import router as fhir_router
from sas.booking import router as booking_router
from sas.fhir import install_fhir_handlers

__all__ = ["booking_router", "fhir_router", "install_fhir_handlers", "warn_if_open"]

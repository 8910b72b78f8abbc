"""The FHIR adapter for the national Service d'Accès aux Soins (SAS).

- `/fhir` (api.py, reads.py): INT_R04 slot search, Slot/Schedule/Practitioner reads, INT_R02
  regulator accounts, CapabilityStatement; only the SAS platform's client certificate, forwarded
  by a trusted TLS proxy, may call it (access.py);
- `/api/sas` (booking.py, terms.py): the SAS regulator's pages in our UI (booking
  from a slot's URL, their own bookings, terms of use);
- `/api/sas/link` (link_api.py, link.py): the coordinators' « Lien SAS » page;
- INT_R03 (handlers.py, outbox.py, client.py, jobs.py): every appointment booked by a SAS
  regulator, and each of its later changes, pushed to the platform through a durable outbox;
- `snp sas check` (cli.py, check.py).
It speaks to the rest only through `agenda`, `regulation` and the kernel. The composition root
mounts the three routers, installs the FHIR error handlers, mounts the CLI and imports
`sas.handlers` and `sas.jobs`; the demo links its regulator (`link_regulator`).
"""

from sas.access import warn_if_open
from sas.api import router as fhir_router
from sas.booking import router as booking_router
from sas.fhir import install_fhir_handlers
from sas.link_api import router as link_router
from sas.practitioners import link_regulator

__all__ = [
    "booking_router",
    "fhir_router",
    "install_fhir_handlers",
    "link_regulator",
    "link_router",
    "warn_if_open",
]

"""The FHIR adapter for the national Service d'Accès aux Soins (SAS).

- `/fhir` (api.py, reads.py): INT_R04 slot search, Slot/Schedule/Practitioner reads, INT_R02
  regulator accounts, CapabilityStatement; only the SAS platform's client certificate, forwarded
  by a trusted TLS proxy, may call it (access.py);
- `/api/sas` (booking.py, terms.py, password.py): the SAS regulator's pages in our UI (booking
  from a slot's URL, their own bookings, terms of use, « mot de passe oublié »);
- `/api/sas/link` (link_api.py, link.py): the coordinators' « Lien SAS » page;
- INT_R03 (handlers.py, outbox.py, client.py, jobs.py): every appointment booked by a SAS
  regulator, and each of its later changes, pushed to the platform through a durable outbox;
- `snp sas check` (cli.py, check.py).
It speaks to the rest only through `agenda`, `regulation` and the kernel.
"""

from sas.practitioners import link_regulator

__all__ = ["link_regulator"]

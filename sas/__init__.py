"""The FHIR adapter for the national Service d'Accès aux Soins (SAS).

- `/fhir` (api.py): INT_R04 slot search, INT_R02 regulator accounts, CapabilityStatement; only
  the SAS platform's client certificate may call it (access.py);
- `/api/sas` (booking.py): the SAS regulator's booking page in our UI;
- INT_R03 (handlers.py, outbox.py, client.py, jobs.py): every appointment booked by a SAS
  regulator, and each of its later changes, pushed to the platform through a durable outbox.
It speaks to the rest only through `agenda`, `regulation` and the kernel.
"""

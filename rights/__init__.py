"""Patients' rights (RGPD art. 15-17): the coordinators' page to find one person's records
across the platform, export them (right of access), correct their identity (rectification) and
erase them where the law allows, each action audited with its reason.

An application package on top of the domain chain, beside the adapters: each domain package
answers for its own data through its public services (`regulation` for requests, triage and
call-backs, `agenda` for appointments, `notifications` for SMS and STOP, the kernel's audit
trail); this package only assembles them. Reached by the composition root through `rights.api`.
"""

from rights.schemas import PersonRecordsOut

__all__ = ["PersonRecordsOut"]

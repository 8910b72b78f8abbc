"""The SAS adapter's domain errors for its booking page (the FHIR routes' errors, answered as
`OperationOutcome`, are in `sas.fhir`)."""

from __future__ import annotations

from snp.errors import BusinessRuleError


class SlotNotOfEffector(BusinessRuleError):
    """The slot booked is not one of the effector shown."""

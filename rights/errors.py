"""The rights page's own errors (4xx with their French message)."""

from __future__ import annotations

from collections.abc import Sequence

from snp.errors import BusinessRuleError, NotFound


class NoSearchCriteria(BusinessRuleError):
    def __init__(self) -> None:
        super().__init__(
            "Indiquez le nom et la date de naissance, ou le numéro de téléphone.",
            ("body", "phone"),
        )


class NoPersonChosen(BusinessRuleError):
    def __init__(self) -> None:
        super().__init__(
            "Choisissez au moins une demande de la personne, ou son numéro.",
            ("body", "request_ids"),
        )


class ReasonNamesThePatient(BusinessRuleError):
    """The reason goes to the audit trail, which holds no patient data."""

    def __init__(self) -> None:
        super().__init__(
            "Le motif ne doit contenir ni le nom ni le numéro du patient (il est conservé "
            "dans le journal d'audit) : indiquez plutôt la référence de la demande.",
            ("body", "reason"),
        )


class UnknownRequests(NotFound):
    def __init__(self, request_ids: Sequence[int]) -> None:
        numbers = ", ".join(str(i) for i in request_ids)
        super().__init__(f"Demande introuvable : n° {numbers}.", ("body", "request_ids"))

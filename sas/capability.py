"""`GET /fhir/metadata`: the CapabilityStatement of exactly what this server supports."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from sas.fhir import PRACTITIONER_PROFILE, SLOT_PROFILE
from sas.query import IDENTIFIER_PARAM

_INCLUDES = [
    "Slot:schedule",
    "Schedule:actor",
    "Slot:service-type-reference",
    "HealthcareService:organization",
]


@lru_cache
def capability_statement(base_url: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-23",
        "publisher": "SNP — plateforme de soins non programmés",
        "kind": "instance",
        "software": {"name": "SNP", "version": "0.1.0"},
        "implementation": {
            "description": "Solution CPTS : interface avec la plateforme numérique SAS",
            "url": base_url,
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "application/json+fhir"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": "TLS mutuel (certificat client IGC-Santé) : accès réservé à "
                    "la plateforme SAS (CN et OU du certificat vérifiés)."
                },
                "resource": [
                    {
                        "type": "Slot",
                        "supportedProfile": [SLOT_PROFILE],
                        "interaction": [{"code": "search-type"}],
                        "searchInclude": _INCLUDES[:1] + _INCLUDES[2:3],
                        "searchParam": [
                            {"name": "start", "type": "date"},
                            {"name": IDENTIFIER_PARAM, "type": "token"},
                            {"name": "status", "type": "token"},
                            {"name": "_count", "type": "number"},
                        ],
                    },
                    {"type": "Schedule", "searchInclude": ["Schedule:actor"]},
                    {
                        "type": "HealthcareService",
                        "searchInclude": ["HealthcareService:organization"],
                    },
                    {
                        "type": "Practitioner",
                        "supportedProfile": [PRACTITIONER_PROFILE],
                        "interaction": [{"code": "create"}, {"code": "update"}],
                        "updateCreate": True,
                        "conditionalUpdate": True,
                        "conditionalCreate": False,
                        "conditionalDelete": "not-supported",
                    },
                ],
            }
        ],
    }
    CapabilityStatement.model_validate(document)
    return document

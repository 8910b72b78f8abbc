"""`GET /fhir/metadata`: the CapabilityStatement of exactly what this server supports."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from sas.fhir import (
    IG_URL,
    PRACTITIONER_PROFILE,
    REGULATOR_PROFILE,
    SCHEDULE_PROFILE,
    SLOT_PROFILE,
)
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
        "implementationGuide": [IG_URL],
        "format": ["application/fhir+json", "application/json+fhir"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "description": "TLS mutuel (certificat client IGC-Santé) : accès réservé à "
                    "la plateforme SAS (CN et OU du certificat vérifiés).",
                },
                "resource": [
                    {
                        "type": "Slot",
                        "profile": SLOT_PROFILE,
                        "supportedProfile": [SLOT_PROFILE],
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchInclude": _INCLUDES,
                        "searchParam": [
                            {
                                "name": "start",
                                "definition": f"{IG_URL}/SearchParameter/slot-sp-start",
                                "type": "date",
                            },
                            {"name": IDENTIFIER_PARAM, "type": "token"},
                            {"name": "status", "type": "token"},
                        ],
                    },
                    {
                        "type": "Schedule",
                        "profile": SCHEDULE_PROFILE,
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {
                                "name": "actor",
                                "definition": "http://hl7.org/fhir/SearchParameter/Schedule-actor",
                                "type": "reference",
                            }
                        ],
                    },
                    {
                        "type": "Practitioner",
                        "profile": PRACTITIONER_PROFILE,
                        "supportedProfile": [PRACTITIONER_PROFILE, REGULATOR_PROFILE],
                        "interaction": [
                            {"code": "read"},
                            {"code": "search-type"},
                            {"code": "create"},
                            {"code": "update"},
                        ],
                        "updateCreate": True,
                        "conditionalUpdate": True,
                        "conditionalCreate": False,
                        "conditionalDelete": "not-supported",
                        "searchParam": [
                            {
                                "name": "identifier",
                                "definition": "http://hl7.org/fhir/SearchParameter/"
                                "Practitioner-identifier",
                                "type": "token",
                            }
                        ],
                    },
                ],
            }
        ],
    }
    CapabilityStatement.model_validate(document)
    return document

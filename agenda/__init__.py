"""Supply: effectors, their sites and (later) their SNP slots and bookings.

Other packages use only what is exported here.
"""

from agenda.schemas import EffectorOut, EffectorPage, SiteOut
from agenda.service.directory import (
    EffectorData,
    SiteData,
    count_effectors,
    list_effectors,
    upsert_effector,
)

__all__ = [
    "EffectorData",
    "EffectorOut",
    "EffectorPage",
    "SiteData",
    "SiteOut",
    "count_effectors",
    "list_effectors",
    "upsert_effector",
]

"""Indicators: the read model of requests, consultations and supply, the indicator queries, the
dashboard, exports and the annual report, and the ACI contract (its indicators, attainment and
money, the orientation and GPs' compensation envelopes). Other packages use only what is
exported here (the composition root mounts the routers of `indicators.api`)."""

from indicators.queries import compute_dashboard
from indicators.rebuild import RebuildReport, rebuild
from indicators.schemas import Dashboard, Filters

__all__ = [
    "Dashboard",
    "Filters",
    "RebuildReport",
    "compute_dashboard",
    "rebuild",
]

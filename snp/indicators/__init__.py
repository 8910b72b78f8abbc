"""Indicators: the read model of requests, consultations and supply, the indicator queries, the
dashboard, exports and the annual report. Other packages use only what is exported here."""

from snp.indicators.queries import compute_dashboard
from snp.indicators.rebuild import RebuildReport, rebuild, refresh_supply
from snp.indicators.schemas import Dashboard, Filters

__all__ = [
    "Dashboard",
    "Filters",
    "RebuildReport",
    "compute_dashboard",
    "rebuild",
    "refresh_supply",
]

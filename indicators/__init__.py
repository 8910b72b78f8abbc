"""Indicators: the read model of requests, consultations and supply, the indicator queries, the
dashboard, exports and the annual report, and the ACI contract (its indicators, attainment and
money, the orientation and GPs' compensation envelopes).

An adapter at the top of the layers: no package uses it, so it exports nothing. The composition
root mounts its wiring modules (`api` routers, `handlers`, `models`, `cli`, `demo`)."""

__all__: list[str] = []

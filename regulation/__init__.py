"""Demand: intake, triage protocol, live queue, matching and the booking journey.

Owned by the regulation issue; the foundation only reserves the package.
"""

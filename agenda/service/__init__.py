"""Agenda behaviour, one module per topic (directory, slots, booking, search, recurrence, ics).

Other packages import from `agenda` (its `__init__`), never from these modules directly.
"""

"""SMS to effectors, patients and referrers through a durable outbox.

Owned by the notifications issue; the foundation only reserves the package.
"""

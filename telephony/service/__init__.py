"""Telephony services: the line's answers, calls, presence, callback tasks and the dialer."""

"""Regulation's behaviour, split by topic: intake, protocol (engine) and versions, triage,
queue (claims), closing; matching and booking come with the booking journey."""

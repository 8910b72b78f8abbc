"""Regulation's behaviour, split by topic: intake, protocol (engine) and versions, triage,
queue (claims), closing; matching (with needs and directory), booking, rebooking, escalation."""

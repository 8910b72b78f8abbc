"""Telephony's routers: the operators' console (`/api/voice`), the Twilio webhooks
(`/api/voice/twilio/...`) and the console backend's demo page (`/api/voice/console/...`)."""

from telephony.api.console import router as console_router
from telephony.api.twilio import router as twilio_router
from telephony.api.voice import router

__all__ = ["console_router", "router", "twilio_router"]

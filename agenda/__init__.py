"""Supply: effectors, their sites and (later) their SNP slots and bookings.

Other packages use only what is exported here.
"""

from agenda.events import AppointmentCancelled, AppointmentNeedsRebooking, SlotBooked
from agenda.schemas import (
    AppointmentOut,
    EffectorOut,
    EffectorPage,
    FreeSlot,
    FreeSlotEffector,
    FreeSlotSite,
    HoldOut,
    SiteOut,
    SlotOut,
)
from agenda.schemas_supply import (
    EffectorImportReport,
    EffectorProfile,
    IcsImportReport,
    TemplateIn,
)
from agenda.service.appointments import cancel, count_booked_by_effector, list_appointments
from agenda.service.booking import (
    HoldExpired,
    SlotUnavailable,
    confirm,
    hold,
    release,
    release_expired_holds,
)
from agenda.service.directory import (
    EffectorData,
    SiteData,
    count_effectors,
    get_effector_profile,
    get_my_profile,
    list_effectors,
    upsert_effector,
)
from agenda.service.effector_import import import_effectors_csv
from agenda.service.ics import IcsOptions, import_ics_upload
from agenda.service.ics_subscriptions import refresh_subscriptions
from agenda.service.recurrence import materialise_all
from agenda.service.search import search_free_slots
from agenda.service.slots import NewSlot, SlotOverlap, add_generated_slots
from agenda.service.templates import create_template, list_templates

__all__ = [
    "AppointmentCancelled",
    "AppointmentNeedsRebooking",
    "AppointmentOut",
    "EffectorData",
    "EffectorImportReport",
    "EffectorOut",
    "EffectorPage",
    "EffectorProfile",
    "FreeSlot",
    "FreeSlotEffector",
    "FreeSlotSite",
    "HoldExpired",
    "HoldOut",
    "IcsImportReport",
    "IcsOptions",
    "NewSlot",
    "SiteData",
    "SiteOut",
    "SlotBooked",
    "SlotOut",
    "SlotOverlap",
    "SlotUnavailable",
    "TemplateIn",
    "add_generated_slots",
    "cancel",
    "confirm",
    "count_booked_by_effector",
    "count_effectors",
    "create_template",
    "get_effector_profile",
    "get_my_profile",
    "hold",
    "import_effectors_csv",
    "import_ics_upload",
    "list_appointments",
    "list_effectors",
    "list_templates",
    "materialise_all",
    "refresh_subscriptions",
    "release",
    "release_expired_holds",
    "search_free_slots",
    "upsert_effector",
]

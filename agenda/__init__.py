"""Supply: effectors, their sites and (later) their SNP slots and bookings.

Other packages use only what is exported here.
"""

from agenda.events import (
    AppointmentCancelled,
    AppointmentNeedsRebooking,
    AppointmentOutcomeRecorded,
    SlotBooked,
)
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
from agenda.schemas_outcomes import ConsultationOut, ConsultationPage, OutcomeIn
from agenda.schemas_supply import (
    EffectorImportReport,
    EffectorProfile,
    IcsImportReport,
    TemplateIn,
)
from agenda.service.appointments import (
    cancel,
    count_booked_by_effector,
    get_own_appointment,
    list_appointments,
)
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
    get_effector,
    get_effector_profile,
    get_my_profile,
    list_effectors,
    upsert_effector,
)
from agenda.service.effector_import import import_effectors_csv
from agenda.service.ics import IcsOptions, import_ics_upload
from agenda.service.ics_subscriptions import refresh_subscriptions
from agenda.service.outcomes import list_consultation_log, list_unreported, record_outcome
from agenda.service.recurrence import materialise_all
from agenda.service.retention import PSEUDONYMISED_LABEL, pseudonymise_appointments
from agenda.service.sas_supply import (
    SasAppointmentFacts,
    SasEffector,
    SasSite,
    SasSlot,
    SasSupply,
    sas_appointment_facts,
    sas_effector,
    sas_free_slots,
)
from agenda.service.search import search_free_slots
from agenda.service.slots import NewSlot, SlotOverlap, add_generated_slots
from agenda.service.supply_stats import (
    AppointmentFacts,
    SupplyCell,
    appointment_facts,
    appointment_facts_page,
    effector_names,
    supply_by_hour,
)
from agenda.service.templates import create_template, list_templates

__all__ = [
    "PSEUDONYMISED_LABEL",
    "AppointmentCancelled",
    "AppointmentFacts",
    "AppointmentNeedsRebooking",
    "AppointmentOut",
    "AppointmentOutcomeRecorded",
    "ConsultationOut",
    "ConsultationPage",
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
    "OutcomeIn",
    "SasAppointmentFacts",
    "SasEffector",
    "SasSite",
    "SasSlot",
    "SasSupply",
    "SiteData",
    "SiteOut",
    "SlotBooked",
    "SlotOut",
    "SlotOverlap",
    "SlotUnavailable",
    "SupplyCell",
    "TemplateIn",
    "add_generated_slots",
    "appointment_facts",
    "appointment_facts_page",
    "cancel",
    "confirm",
    "count_booked_by_effector",
    "count_effectors",
    "create_template",
    "effector_names",
    "get_effector",
    "get_effector_profile",
    "get_my_profile",
    "get_own_appointment",
    "hold",
    "import_effectors_csv",
    "import_ics_upload",
    "list_appointments",
    "list_consultation_log",
    "list_effectors",
    "list_templates",
    "list_unreported",
    "materialise_all",
    "pseudonymise_appointments",
    "record_outcome",
    "refresh_subscriptions",
    "release",
    "release_expired_holds",
    "sas_appointment_facts",
    "sas_effector",
    "sas_free_slots",
    "search_free_slots",
    "supply_by_hour",
    "upsert_effector",
]

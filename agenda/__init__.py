"""Supply: effectors, their sites and (later) their SNP slots and bookings.

Other packages use only what is exported here.
"""

from agenda.errors import HoldExpired, SlotUnavailable
from agenda.events import (
    AppointmentCancelled,
    AppointmentMoved,
    AppointmentNeedsRebooking,
    AppointmentOutcomeRecorded,
    EffectorInvitedBySms,
    SlotBooked,
    SlotsChanged,
    SlotState,
)
from agenda.schemas import AppointmentOut, EffectorOut, FreeSlot, FreeSlotEffector, HoldOut
from agenda.schemas_supply import TemplateIn
from agenda.service.appointments import (
    cancel,
    count_booked_by_effector,
    count_booked_by_effector_in_periods,
    get_own_appointment,
    list_appointments,
)
from agenda.service.booking import confirm, hold, release
from agenda.service.directory import (
    EffectorData,
    SiteData,
    get_effector,
    get_effector_profile,
    get_my_profile,
    list_effectors,
    upsert_effector,
)
from agenda.service.moves import move_appointment
from agenda.service.patient_records import (
    PatientAppointment,
    appointments_of_requests,
    relabel_appointments,
    upcoming_appointments,
)
from agenda.service.request_appointments import RequestAppointment, request_appointments
from agenda.service.retention import pseudonymise_appointments
from agenda.service.sas_supply import (
    SasEffector,
    SasSite,
    SasSlot,
    sas_appointment_facts,
    sas_effector,
    sas_effectors_by_national_id,
    sas_free_slots,
    sas_sites,
    sas_slot,
    slot_shared_with_sas,
)
from agenda.service.search import search_free_slots
from agenda.service.slots import NewSlot, add_generated_slots
from agenda.service.supply_stats import (
    AppointmentFacts,
    appointment_facts,
    appointment_facts_page,
    effector_names,
    supply_by_hour,
)
from agenda.service.templates import create_template, list_templates

__all__ = [
    "AppointmentCancelled",
    "AppointmentFacts",
    "AppointmentMoved",
    "AppointmentNeedsRebooking",
    "AppointmentOut",
    "AppointmentOutcomeRecorded",
    "EffectorData",
    "EffectorInvitedBySms",
    "EffectorOut",
    "FreeSlot",
    "FreeSlotEffector",
    "HoldExpired",
    "HoldOut",
    "NewSlot",
    "PatientAppointment",
    "RequestAppointment",
    "SasEffector",
    "SasSite",
    "SasSlot",
    "SiteData",
    "SlotBooked",
    "SlotState",
    "SlotUnavailable",
    "SlotsChanged",
    "TemplateIn",
    "add_generated_slots",
    "appointment_facts",
    "appointment_facts_page",
    "appointments_of_requests",
    "cancel",
    "confirm",
    "count_booked_by_effector",
    "count_booked_by_effector_in_periods",
    "create_template",
    "effector_names",
    "get_effector",
    "get_effector_profile",
    "get_my_profile",
    "get_own_appointment",
    "hold",
    "list_appointments",
    "list_effectors",
    "list_templates",
    "move_appointment",
    "pseudonymise_appointments",
    "relabel_appointments",
    "release",
    "request_appointments",
    "sas_appointment_facts",
    "sas_effector",
    "sas_effectors_by_national_id",
    "sas_free_slots",
    "sas_sites",
    "sas_slot",
    "search_free_slots",
    "slot_shared_with_sas",
    "supply_by_hour",
    "upcoming_appointments",
    "upsert_effector",
]

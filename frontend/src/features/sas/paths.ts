/** Addresses of the SAS pages. INT_R04 puts the slot page's URL in `Slot.comment`. */
export const SAS_EFFECTOR_ROUTE = "/sas/effecteurs/:effectorId";
export const SAS_SLOT_ROUTE = "/sas/effecteurs/:effectorId/creneaux/:slotId";
export const SAS_BOOKINGS_PATH = "/sas/reservations";
/** Coordinators: the health of the link to the SAS platform. */
export const SAS_LINK_PATH = "/coordination/lien-sas";

/** Addresses of the SAS pages (the effector page's URL is what INT_R04 puts in `Slot.comment`). */
export const SAS_EFFECTOR_ROUTE = "/sas/effecteurs/:effectorId";

/** Coordinators: the patients' rights page (access, rectification, erasure). */
export const PATIENT_RIGHTS_PATH = "/coordination/droits-patients";

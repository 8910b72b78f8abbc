/**
 * The regulation feature's public surface: what other features may use (they import
 * "features/regulation", never its files). Pages are mounted by App.tsx.
 */
export { formatWhen, parisDay } from "./model";
export { EMPTY_PATIENT, PatientIdentity, textOrNull, type PatientDraft, type SetPatient } from "./PatientFields";
export { REQUEST_PATH } from "./paths";
export { regulationKeys } from "./queryKeys";

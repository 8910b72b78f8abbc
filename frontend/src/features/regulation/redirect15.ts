/**
 * A call sent to the 15 is recorded with only what is known (POST /api/regulation/redirects-15):
 * no identity field is required, the red flag is. The normal request keeps its full rules, and
 * stays the path whenever the identity is complete (the request then carries the transfer
 * follow-up of the regulators).
 */
import { api, useApiMutation, type ApiError, type Schemas } from "../../api";
import type { PatientDraft } from "./PatientFields";
import { textOrNull } from "./PatientFields";

export type Redirect15 = Schemas["Redirect15Out"];

/** Everything a normal request needs to identify and locate the patient has been typed. */
export function identityComplete(p: PatientDraft): boolean {
  const located = p.commune_insee.trim() !== "" || p.address_line.trim() !== "";
  return [p.family_name, p.given_name, p.birth_date, p.phone].every((v) => v.trim() !== "") && located;
}

export function redirectBody(patient: PatientDraft, redFlagId: string, origin: Schemas["Origin"]): Schemas["Redirect15Create"] {
  return {
    red_flag_id: redFlagId,
    given_name: textOrNull(patient.given_name),
    family_name: textOrNull(patient.family_name),
    birth_date: patient.birth_date || null,
    phone: textOrNull(patient.phone),
    origin,
  };
}

export function useRecordRedirect15(onSuccess: (record: Redirect15) => void, onError: (error: ApiError) => void) {
  return useApiMutation((body: Schemas["Redirect15Create"]) => api.POST("/api/regulation/redirects-15", { body }), {
    onSuccess,
    onError,
  });
}

/**
 * The patient part of the intake and referral forms: the draft as typed (strings, so nothing is
 * lost when the server refuses), its conversion to the API body, and the fields themselves.
 */
import { useCallback, useState } from "react";

import type { FieldError, Schemas } from "../../api";
import { useTerritoryQuery } from "../../shell/territory";
import { Field, InputField, Loaded, RadioGroup } from "../../ui";
import type { Origin } from "./model";
import { regulationTexts } from "./texts";

const t = regulationTexts;
const ti = t.intake;

type Sex = Schemas["Sex"];
type Mobility = Schemas["Mobility"];
type HasGp = "yes" | "no" | "unknown";

export interface PatientDraft {
  family_name: string;
  given_name: string;
  birth_date: string;
  sex: Sex | "";
  phone: string;
  commune_insee: string;
  address_line: string;
  has_gp: HasGp | "";
  gp_name: string;
  mobility: Mobility;
  sms_consent: boolean;
  notes: string;
}

export const EMPTY_PATIENT: PatientDraft = {
  family_name: "",
  given_name: "",
  birth_date: "",
  sex: "",
  phone: "",
  commune_insee: "",
  address_line: "",
  has_gp: "",
  gp_name: "",
  mobility: "can_travel",
  sms_consent: false,
  notes: "",
};

/** Empty text -> null; the API wants null (or nothing) for what was not typed. */
export function textOrNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/**
 * The API body's patient part. Required values left empty are left out (undefined), so that the
 * server answers "Champ obligatoire" for each of them, by name.
 */
export function patientBody(p: PatientDraft) {
  return {
    family_name: p.family_name,
    given_name: p.given_name,
    birth_date: p.birth_date || undefined,
    phone: p.phone.trim() || undefined,
    sex: p.sex || undefined,
    commune_insee: textOrNull(p.commune_insee),
    address_line: textOrNull(p.address_line),
    has_gp: p.has_gp === "yes" ? true : p.has_gp === "no" ? false : null,
    gp_name: p.has_gp === "yes" ? textOrNull(p.gp_name) : null,
    mobility: p.mobility,
    sms_consent: p.sms_consent,
    notes: textOrNull(p.notes),
  };
}

/**
 * The server checks the commune only once the other fields are valid; say it at once so that one
 * round is enough.
 */
export function withCommuneError(errors: FieldError[], commune: string): FieldError[] {
  if (commune || errors.some((e) => e.field === "commune_insee") || !errors.some((e) => e.field !== null)) return errors;
  return [...errors, { field: "commune_insee", msg: t.referral.communeRequired }];
}

export type SetPatient = <K extends keyof PatientDraft>(key: K, value: PatientDraft[K]) => void;

/** The patient as typed, the setter of one field, and a reset (the draft outlives a refusal). */
export function usePatientDraft(phone = ""): [PatientDraft, SetPatient, (draft: PatientDraft) => void] {
  const [patient, setPatient] = useState<PatientDraft>(() => ({ ...EMPTY_PATIENT, phone }));
  const set = useCallback<SetPatient>((key, value) => setPatient((p) => ({ ...p, [key]: value })), []);
  return [patient, set, setPatient];
}

/** The input id of each field the errors name, for the error summary's links. */
export function errorFieldIds(errors: FieldError[], idPrefix: string): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const e of errors) if (e.field) ids[e.field] = `${idPrefix}-${e.field}`;
  return ids;
}

interface Props {
  idPrefix: string;
  patient: PatientDraft;
  set: SetPatient;
  errors: Record<string, string>;
}

function TextField({
  idPrefix,
  name,
  label,
  value,
  onChange,
  error,
  hint,
  type = "text",
  autoCapitalize,
}: {
  idPrefix: string;
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  hint?: string;
  type?: "text" | "tel";
  autoCapitalize?: string;
}) {
  return (
    <InputField
      id={`${idPrefix}-${name}`}
      label={label}
      hint={hint}
      error={error}
      name={name}
      type={type}
      inputMode={type === "tel" ? "tel" : undefined}
      // The patient's data, not the user's: no browser autofill.
      autoComplete="off"
      autoCapitalize={autoCapitalize}
      spellCheck={false}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/**
 * Who and how old, in the order the caller says it: names, birth date (and sex unless `withSex`
 * is false), mobile phone; then the commune unless `withCommune` is false (the page shows
 * `CommuneField` further down).
 */
export function PatientIdentity({
  idPrefix,
  patient,
  set,
  errors,
  withSex = true,
  withCommune = true,
  today,
}: Props & { withSex?: boolean; withCommune?: boolean; today: string }) {
  return (
    <div className="patient-fields">
      <div className="field-row">
        <TextField
          idPrefix={idPrefix}
          name="family_name"
          label={ti.familyName}
          value={patient.family_name}
          onChange={(v) => set("family_name", v)}
          error={errors.family_name}
          autoCapitalize="characters"
        />
        <TextField
          idPrefix={idPrefix}
          name="given_name"
          label={ti.givenName}
          value={patient.given_name}
          onChange={(v) => set("given_name", v)}
          error={errors.given_name}
          autoCapitalize="words"
        />
        <InputField
          id={`${idPrefix}-birth_date`}
          label={ti.birthDate}
          error={errors.birth_date}
          name="birth_date"
          type="date"
          max={today}
          min="1900-01-01"
          value={patient.birth_date}
          onChange={(e) => set("birth_date", e.target.value)}
        />
      </div>
      <div className="field-row">
        {withSex ? <SexField idPrefix={idPrefix} patient={patient} set={set} errors={errors} /> : null}
        <TextField
          idPrefix={idPrefix}
          name="phone"
          type="tel"
          label={ti.phone}
          hint={ti.phoneHint}
          value={patient.phone}
          onChange={(v) => set("phone", v)}
          error={errors.phone}
        />
      </div>
      {withCommune ? <CommuneField idPrefix={idPrefix} patient={patient} set={set} errors={errors} /> : null}
    </div>
  );
}

/** The commune of the territory where the patient is (a list of the territory's communes). */
export function CommuneField({ idPrefix, patient, set, errors }: Props) {
  const territory = useTerritoryQuery();
  return (
    <Loaded query={territory}>
      {({ communes }) => (
        <Field id={`${idPrefix}-commune_insee`} label={ti.commune} hint={ti.communeHint} error={errors.commune_insee}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              name="commune_insee"
              value={patient.commune_insee}
              onChange={(e) => set("commune_insee", e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            >
              <option value="">{ti.communePlaceholder}</option>
              {[...communes]
                .sort((a, b) => a.name.localeCompare(b.name, "fr"))
                .map((c) => (
                  <option key={c.insee_code} value={c.insee_code}>
                    {c.name} ({c.postal_code})
                  </option>
                ))}
            </select>
          )}
        </Field>
      )}
    </Loaded>
  );
}

export function SexField({ idPrefix, patient, set, errors }: Props) {
  return (
    <RadioGroup
      id={`${idPrefix}-sex`}
      legend={ti.sex}
      name={`${idPrefix}-sex`}
      options={[
        { value: "female", label: t.labels.sex.female },
        { value: "male", label: t.labels.sex.male },
        { value: "undetermined", label: t.labels.sex.undetermined },
      ]}
      value={patient.sex || null}
      onChange={(v) => set("sex", v as Sex)}
      error={errors.sex}
    />
  );
}

/** The situation: médecin traitant, mobility, address, SMS consent. */
export function PatientDetails({ idPrefix, patient, set, errors }: Props) {
  return (
    <div className="patient-fields">
      <RadioGroup
        id={`${idPrefix}-has_gp`}
        legend={ti.hasGp}
        name={`${idPrefix}-has_gp`}
        options={[
          { value: "yes", label: t.labels.yes },
          { value: "no", label: t.labels.no },
          { value: "unknown", label: t.labels.unknown },
        ]}
        value={patient.has_gp || null}
        onChange={(v) => set("has_gp", v as HasGp)}
        error={errors.has_gp}
      />
      {patient.has_gp === "yes" ? (
        <TextField
          idPrefix={idPrefix}
          name="gp_name"
          label={ti.gpName}
          value={patient.gp_name}
          onChange={(v) => set("gp_name", v)}
          error={errors.gp_name}
        />
      ) : null}
      <RadioGroup
        id={`${idPrefix}-mobility`}
        legend={ti.mobility}
        name={`${idPrefix}-mobility`}
        options={[
          { value: "can_travel", label: t.labels.mobility.can_travel },
          { value: "needs_home_visit", label: t.labels.mobility.needs_home_visit },
        ]}
        value={patient.mobility}
        onChange={(v) => set("mobility", v as Mobility)}
        error={errors.mobility}
      />
      <TextField
        idPrefix={idPrefix}
        name="address_line"
        label={ti.address}
        value={patient.address_line}
        onChange={(v) => set("address_line", v)}
        error={errors.address_line}
      />
      <div className={`field${errors.sms_consent ? " field-invalid" : ""}`}>
        {errors.sms_consent ? <p className="field-error">{errors.sms_consent}</p> : null}
        <label className="checkbox checkbox-large">
          <input type="checkbox" checked={patient.sms_consent} onChange={(e) => set("sms_consent", e.target.checked)} />
          {ti.smsConsent}
        </label>
      </div>
    </div>
  );
}

/** The free-text notes about the patient's call. */
export function NotesField({
  idPrefix,
  label,
  hint,
  patient,
  set,
  error,
}: {
  idPrefix: string;
  label: string;
  hint: string;
  patient: PatientDraft;
  set: SetPatient;
  error?: string | undefined;
}) {
  return (
    <Field id={`${idPrefix}-notes`} label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          rows={3}
          value={patient.notes}
          onChange={(e) => set("notes", e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        />
      )}
    </Field>
  );
}

/** Who is calling or referring (patient, pharmacist, nurse…), among `options`. */
export function OriginField<O extends Origin>({
  idPrefix,
  label,
  options,
  value,
  onChange,
  error,
}: {
  idPrefix: string;
  label: string;
  options: readonly O[];
  value: O;
  onChange: (origin: O) => void;
  error?: string | undefined;
}) {
  return (
    <Field id={`${idPrefix}-origin`} label={label} error={error}>
      {({ id, describedBy }) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as O)} aria-describedby={describedBy}>
          {options.map((o) => (
            <option key={o} value={o}>
              {t.labels.origin[o]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * The referral form (/orientations/nouvelle) for pharmacists, nurses, emergency departments:
 * phone first (big inputs, few required fields). Red-flag boxes come first: one ticked shows
 * "Appelez le 15" with a tel:15 button at once (before recording), and the call is recorded as
 * sent to the 15 with only what is known (a first name is enough), never queued.
 */
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";

import { api, errorsByField, useApiMutation, type FieldError, type Schemas } from "../../api";
import { Page } from "../../shell/Page";
import { ErrorSummary, Field, InputField, Loaded } from "../../ui";
import { Call15Alert } from "./components";
import {
  EMPTY_PATIENT,
  NotesField,
  OriginField,
  PatientDetails,
  PatientIdentity,
  SexField,
  errorFieldIds,
  patientBody,
  usePatientDraft,
  withCommuneError,
} from "./PatientFields";
import { appliesToSex, fieldLabels, parisDay, type ProtocolCurrent, type ReferralOut } from "./model";
import { REFERRALS_PATH } from "./paths";
import { useProtocol } from "./protocol";
import { identityComplete, redirectBody, useRecordRedirect15, type Redirect15 } from "./redirect15";
import { regulationTexts } from "./texts";

const t = regulationTexts;
const tr = t.referral;
const ID = "orientation";
const ORIGIN_KEY = "snp.referral.origin";

type ReferrerOrigin = Schemas["ReferralCreate"]["origin"];
const REFERRER_ORIGINS: readonly ReferrerOrigin[] = ["pharmacist", "nurse", "emergency_department", "other"];

function rememberedOrigin(): ReferrerOrigin {
  try {
    const value = window.localStorage.getItem(ORIGIN_KEY);
    return REFERRER_ORIGINS.find((o) => o === value) ?? "pharmacist";
  } catch {
    return "pharmacist";
  }
}

export interface ReferralsBackState {
  flash?: string;
}

export function ReferralPage() {
  const protocol = useProtocol();
  return (
    <Page title={tr.title} intro={tr.intro}>
      <Loaded query={protocol}>
        {(protocol) => <ReferralForm protocol={protocol} />}
      </Loaded>
    </Page>
  );
}

function ReferralForm({ protocol }: { protocol: ProtocolCurrent }) {
  const navigate = useNavigate();
  const document = protocol.document;
  const [patient, set, setPatient] = usePatientDraft();
  const [origin, setOrigin] = useState<ReferrerOrigin>(rememberedOrigin);
  const [structure, setStructure] = useState("");
  const [referrerPhone, setReferrerPhone] = useState("");
  const [motif, setMotif] = useState("");
  const [flags, setFlags] = useState<Record<string, boolean>>({});
  // "None of these": every flag shown and not ticked is answered "Non" (carried to the operator).
  const [noneOfThese, setNoneOfThese] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [recorded15, setRecorded15] = useState<ReferralOut | Redirect15 | null>(null);
  const send = useApiMutation((body: Schemas["ReferralCreate"]) => api.POST("/api/regulation/referrals", { body }), {
    onError: (error) => setErrors(withCommuneError(error.messages, patient.commune_insee)),
    onSuccess: (referral) => {
      setErrors([]);
      if (referral.call_15) {
        setRecorded15(referral);
        return;
      }
      navigate(REFERRALS_PATH, {
        state: { flash: tr.sent(`${referral.given_name} ${referral.family_name}`) } satisfies ReferralsBackState,
      });
    },
  });
  const redirect = useRecordRedirect15(
    (record) => {
      setErrors([]);
      setRecorded15(record);
    },
    (error) => setErrors(error.messages),
  );
  const submitting = send.isPending || redirect.isPending;
  const byField = errorsByField(errors);
  // The referral form asks every red flag (the age-specific ones say which age they concern),
  // except those about the other sex once the patient's sex is given.
  const shown = document.red_flags.filter((f) => appliesToSex(f.sexes, patient.sex));
  const ticked = shown.find((f) => flags[f.id]) ?? null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    try {
      window.localStorage.setItem(ORIGIN_KEY, origin);
    } catch {
      // Private browsing: nothing to remember, no harm.
    }
    if (ticked && !identityComplete(patient)) {
      // Only what is known: the red flag, and a first name, a name or a number.
      redirect.mutate(redirectBody(patient, ticked.id, origin));
      return;
    }
    // Ticked: "Oui"; with "none of these", the others: "Non"; otherwise left unanswered.
    const red_flags = Object.fromEntries(
      shown.filter((f) => flags[f.id] || noneOfThese).map((f) => [f.id, Boolean(flags[f.id])]),
    );
    const body = {
      ...patientBody(patient),
      origin,
      structure: structure.trim() || null,
      referrer_phone: referrerPhone.trim() || null,
      motif: motif || null,
      red_flags,
    };
    // Fields left out on purpose (see patientBody): the server names each missing one.
    send.mutate(body as Schemas["ReferralCreate"]);
  }

  const fieldIds = errorFieldIds(errors, ID);

  if (recorded15) {
    return (
      <div className="referral-done">
        <Call15Alert reason={ticked?.reason ?? null} instruction={t.call15.referrerInstruction} callButton>
          <p>{tr.recorded15}</p>
        </Call15Alert>
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary button-large"
            onClick={() => {
              setRecorded15(null);
              setPatient(EMPTY_PATIENT);
              setFlags({});
              setNoneOfThese(false);
              setMotif("");
            }}
          >
            {tr.another}
          </button>
          <Link to={REFERRALS_PATH} className="button button-secondary button-large">
            {tr.backToList}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form className="referral" onSubmit={onSubmit} noValidate aria-busy={submitting}>
      <ErrorSummary title={tr.errorTitle} intro={tr.errorIntro} errors={errors} fieldIds={fieldIds} labels={fieldLabels(document)} />

      <fieldset className="card referral-flags" aria-describedby={`${ID}-flags-intro`}>
        <legend>
          <h2>{tr.redFlagsTitle}</h2>
        </legend>
        <p className="field-hint" id={`${ID}-flags-intro`}>
          {tr.redFlagsIntro}
        </p>
        {ticked ? <Call15Alert reason={ticked.reason} instruction={t.call15.referrerInstruction} callButton /> : null}
        <div className="flag-checks">
          {shown.map((flag) => (
            <label key={flag.id} className={`flag-check${flags[flag.id] ? " flag-check-on" : ""}`}>
              <input
                type="checkbox"
                checked={Boolean(flags[flag.id])}
                onChange={(e) => setFlags((f) => ({ ...f, [flag.id]: e.target.checked }))}
              />
              <span>
                <strong>{flag.reason}</strong>
                <span className="flag-check-question">{flag.question}</span>
              </span>
            </label>
          ))}
        </div>
        {ticked ? null : (
          <label className={`flag-check flag-check-none${noneOfThese ? " flag-check-on" : ""}`}>
            <input type="checkbox" checked={noneOfThese} onChange={(e) => setNoneOfThese(e.target.checked)} />
            <span>
              <strong>{tr.noneOfThese}</strong>
              <span className="flag-check-question">{tr.noneOfTheseHint}</span>
            </span>
          </label>
        )}
        {byField.red_flags ? <p className="field-error">{byField.red_flags}</p> : null}
      </fieldset>

      <section className="card" aria-labelledby={`${ID}-patient-title`}>
        <h2 id={`${ID}-patient-title`}>{tr.patientTitle}</h2>
        <PatientIdentity idPrefix={ID} patient={patient} set={set} errors={byField} today={parisDay(new Date())} withSex={false} />
        <Field id={`${ID}-motif`} label={tr.motif} error={byField.motif}>
          {({ id, describedBy, invalid }) => (
            <select id={id} value={motif} onChange={(e) => setMotif(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined}>
              <option value="">{tr.motifNone}</option>
              {document.motifs.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <NotesField idPrefix={ID} label={tr.notes} hint={tr.notesHint} patient={patient} set={set} error={byField.notes} />
        <OriginField
          idPrefix={ID}
          label={tr.origin}
          options={REFERRER_ORIGINS}
          value={origin}
          onChange={setOrigin}
          error={byField.origin}
        />
        <details className="more" open={hasDetailErrors(byField) || undefined}>
          <summary>{tr.more}</summary>
          <SexField idPrefix={ID} patient={patient} set={set} errors={byField} />
          <PatientDetails idPrefix={ID} patient={patient} set={set} errors={byField} />
          <InputField
            id={`${ID}-structure`}
            label={tr.structure}
            hint={tr.structureHint}
            error={byField.structure}
            type="text"
            value={structure}
            onChange={(e) => setStructure(e.target.value)}
          />
          <InputField
            id={`${ID}-referrer-phone`}
            label={tr.referrerPhone}
            hint={tr.referrerPhoneHint}
            error={byField.referrer_phone}
            type="tel"
            autoComplete="tel"
            value={referrerPhone}
            onChange={(e) => setReferrerPhone(e.target.value)}
          />
        </details>
      </section>

      <div className="form-actions form-actions-sticky">
        <button
          type="submit"
          className={`button button-large button-block ${ticked ? "button-danger" : "button-primary"}`}
          disabled={submitting}
        >
          {submitting ? tr.submitting : ticked ? tr.submitRedFlag : tr.submit}
        </button>
      </div>
    </form>
  );
}

const DETAIL_FIELDS = ["sex", "has_gp", "gp_name", "mobility", "address_line", "sms_consent", "structure", "referrer_phone"];

function hasDetailErrors(byField: Record<string, string>): boolean {
  return DETAIL_FIELDS.some((f) => byField[f]);
}


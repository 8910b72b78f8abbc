/**
 * "Nouvel appel": the operator's phone intake, in the order of the conversation: who and how old
 * (the focus starts in the family name), then the red flags of that age, then the motif with its
 * questions, then the rest (commune, médecin traitant, origin, notes, call-back). One submission
 * creates the request, keeps it in the operator's hands and triages it. A red flag answered yes
 * records the call as sent to the 15 with only what is known (a first name is enough). A refused
 * submission keeps everything typed and shows each message by its field.
 */
import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";

import { api, errorsByField, useApiMutation, type FieldError, type Schemas } from "../../api";
import { Page } from "../../shell/Page";
import { linkCallToRequest } from "../telephony";
import { ErrorSummary, Field, InputField, Loaded } from "../../ui";
import { Call15Alert } from "./components";
import { OpenMatchesNotice } from "./frontdesk";
import {
  answersToSend,
  fieldLabels,
  localInputToIso,
  parisDay,
  redFlagHit,
  type Answers,
  type Origin,
  type ProtocolCurrent,
} from "./model";
import { CONSOLE_PATH, REQUEST_PATH } from "./paths";
import {
  CommuneField,
  NotesField,
  OriginField,
  PatientDetails,
  PatientIdentity,
  errorFieldIds,
  patientBody,
  textOrNull,
  usePatientDraft,
  withCommuneError,
} from "./PatientFields";
import { useProtocol } from "./protocol";
import { identityComplete, redirectBody, useRecordRedirect15, type Redirect15 } from "./redirect15";
import { regulationTexts } from "./texts";
import { TriageForm, useTriageContext } from "./TriageForm";

const t = regulationTexts;
const ti = t.intake;
const ID = "appel";
/** The first thing asked: the focus is there when the page opens (after N on the console too). */
const FIRST_FIELD = `${ID}-family_name`;

const ORIGINS: readonly Origin[] = ["patient_call", "pharmacist", "nurse", "emergency_department", "other"];

export function IntakePage() {
  const protocol = useProtocol();
  return (
    <Page title={ti.title} intro={ti.intro} focusId={FIRST_FIELD}>
      <p>
        <Link to={CONSOLE_PATH}>← {ti.backToQueue}</Link>
      </p>
      <Loaded query={protocol}>
        {(protocol) => <IntakeForm protocol={protocol} />}
      </Loaded>
    </Page>
  );
}

function IntakeForm({ protocol }: { protocol: ProtocolCurrent }) {
  const navigate = useNavigate();
  const document = protocol.document;
  // A call taken on the CPTS line opens this page with the caller's number (and the call).
  const [params] = useSearchParams();
  const callId = Number(params.get("appel")) || null;
  const [patient, set] = usePatientDraft(params.get("telephone") ?? "");
  const [origin, setOrigin] = useState<Origin>("patient_call");
  const [structure, setStructure] = useState("");
  const [motif, setMotif] = useState("");
  const [answers, setAnswers] = useState<Answers>({});
  const [callbackAt, setCallbackAt] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const create = useApiMutation((body: Schemas["RequestCreate"]) => api.POST("/api/regulation/requests", { body }), {
    onSuccess: async (created) => {
      if (callId !== null) await linkCallToRequest(callId, created.id);
      navigate(REQUEST_PATH(created.id), { state: { justCreated: true } });
    },
    onError: (error) => setErrors(withCommuneError(error.messages, patient.commune_insee)),
  });
  const [recorded15, setRecorded15] = useState<Redirect15 | null>(null);
  const redirect = useRecordRedirect15(
    (record) => {
      setErrors([]);
      setRecorded15(record);
    },
    (error) => setErrors(error.messages),
  );
  const submitting = create.isPending || redirect.isPending;
  // Questions about the other sex are not asked once the sex is known (as on the request page).
  const sex = patient.sex || null;
  const { band, motif: currentMotif } = useTriageContext(document, patient.birth_date, motif, sex);
  const hit = redFlagHit(document, answers);
  const byField = errorsByField(errors);

  // The form appears once the protocol is loaded, after the page focused its title.
  useEffect(() => {
    window.document.getElementById(FIRST_FIELD)?.focus();
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (hit && !identityComplete(patient)) {
      // Only what is known: the red flag, and a first name, a name or a number.
      redirect.mutate(redirectBody(patient, hit.id, origin));
      return;
    }
    const sent = hit
      ? Object.fromEntries(Object.entries(answers).filter(([key]) => document.red_flags.some((f) => f.id === key)))
      : answersToSend(document, band?.id ?? null, currentMotif, answers, sex);
    const body = {
      ...patientBody(patient),
      origin,
      referrer_structure: origin === "patient_call" ? null : textOrNull(structure),
      motif: textOrNull(motif),
      claim: true,
      answers: sent,
      callback_at: hit ? null : localInputToIso(callbackAt),
    };
    // Fields left out on purpose (see patientBody): the server names each missing one.
    create.mutate(body as Schemas["RequestCreate"]);
  }

  const fieldIds = errorFieldIds(errors, ID);
  const today = parisDay(new Date());

  if (recorded15) {
    return (
      <div className="intake-done">
        <Call15Alert reason={recorded15.red_flag_text} instruction={recorded15.message}>
          <p>{ti.recorded15}</p>
        </Call15Alert>
        <div className="form-actions">
          <Link to={CONSOLE_PATH} className="button button-primary button-large">
            {ti.backToQueue}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form className="intake" onSubmit={onSubmit} noValidate aria-busy={submitting}>
      <ErrorSummary title={ti.errorTitle} intro={ti.errorIntro} errors={errors} fieldIds={fieldIds} labels={fieldLabels(document)} />

      {hit ? (
        <Call15Alert reason={hit.reason} question={hit.question}>
          <p className="call15-actions">
            <button type="submit" className="button call15-record" disabled={submitting}>
              {submitting ? ti.submitting : ti.submitRedFlag}
            </button>
            <button type="button" className="button button-link-light" onClick={() => setAnswers(withoutYes(answers))}>
              {t.call15.undo}
            </button>
          </p>
        </Call15Alert>
      ) : null}

      <section className="card intake-patient" aria-labelledby={`${ID}-patient-title`}>
        <h2 id={`${ID}-patient-title`}>{ti.patientSection}</h2>
        <PatientIdentity idPrefix={ID} patient={patient} set={set} errors={byField} today={today} withCommune={false} />
        <OpenMatchesNotice phone={patient.phone} familyName={patient.family_name} birthDate={patient.birth_date} />
      </section>

      <section className="card intake-triage" aria-labelledby={`${ID}-triage-title`}>
        <h2 id={`${ID}-triage-title`}>{ti.requestSection}</h2>
        <TriageForm
          document={document}
          protocolNumber={protocol.number}
          birthDate={patient.birth_date}
          motif={motif}
          onMotifChange={setMotif}
          answers={answers}
          onAnswersChange={setAnswers}
          errors={byField}
          idPrefix={ID}
          showAlert={false}
          sex={sex}
        />
      </section>

      <section className="card intake-rest" aria-labelledby={`${ID}-rest-title`}>
        <h2 id={`${ID}-rest-title`}>{ti.restSection}</h2>
        <div className="intake-columns">
          <div>
            <CommuneField idPrefix={ID} patient={patient} set={set} errors={byField} />
            <PatientDetails idPrefix={ID} patient={patient} set={set} errors={byField} />
          </div>
          <div>
            <OriginField idPrefix={ID} label={ti.origin} options={ORIGINS} value={origin} onChange={setOrigin} error={byField.origin} />
            {origin === "patient_call" ? null : (
              <InputField
                id={`${ID}-referrer_structure`}
                label={ti.referrerStructure}
                error={byField.referrer_structure}
                type="text"
                autoComplete="off"
                value={structure}
                onChange={(e) => setStructure(e.target.value)}
              />
            )}
            <NotesField idPrefix={ID} label={ti.notes} hint={ti.notesHint} patient={patient} set={set} error={byField.notes} />
            {hit ? null : (
              <Field id={`${ID}-callback_at`} label={ti.callbackAt} hint={ti.callbackAtHint} error={byField.callback_at}>
                {({ id, describedBy, invalid }) => (
                  <input
                    id={id}
                    type="datetime-local"
                    value={callbackAt}
                    onChange={(e) => setCallbackAt(e.target.value)}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                  />
                )}
              </Field>
            )}
          </div>
        </div>
      </section>

      <div className="form-actions">
        <button type="submit" className={`button ${hit ? "button-danger" : "button-primary"} button-large`} disabled={submitting}>
          {submitting ? ti.submitting : hit ? ti.submitRedFlag : ti.submit}
        </button>
      </div>
    </form>
  );
}

function withoutYes(answers: Answers): Answers {
  const next: Answers = {};
  for (const [key, value] of Object.entries(answers)) if (value !== true) next[key] = value;
  return next;
}


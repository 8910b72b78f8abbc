/**
 * One request (/regulation/demandes/:id): who handles it, the triage (form or result), the
 * booking (candidates), call-backs to the patient, closing with an outcome, and its history.
 * Re-fetched live whenever the server says this request changed.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";

import { api } from "../../api/client";
import type { FieldError } from "../../api/errors";
import { useUser } from "../../shell/auth";
import { formatDateTime } from "../../shell/format";
import { LiveStatusBanner, useLiveEvents } from "../../shell/live";
import { ErrorNotice, Loading, Page } from "../../shell/Page";
import { useTerritory } from "../../shell/territory";
import { AppointmentOutcomeCard } from "../agenda/ConsultationLog";
import { describeFailure } from "../../shell/useApi";
import { Candidates } from "./Candidates";
import { CorrectDetails, RegulatorDecisionCard, RegulatorDecisionNote, SafetyNotices, Transfer15Card } from "./safety";
import { Call15Alert, ErrorSummary, Field, Flash, PriorityBadge, RadioGroup, UrgencyTag } from "./components";
import {
  adviceFor,
  answersToSend,
  errorsByField,
  fieldLabels,
  formatBirthDate,
  formatWhen,
  localInputToIso,
  motifLabel,
  perform,
  redFlagHit,
  timeLeftLabel,
  urgencyOf,
  type Answers,
  type CallbackResult,
  type Orientation,
  type Outcome,
  type Priority,
  type ProtocolCurrent,
  type RedFlag,
  type RequestOut,
} from "./model";
import { CONSOLE_PATH, REGULATOR_PATH } from "./paths";
import { useProtocol } from "./protocol";
import { patientName } from "./QueueTable";
import { regulationTexts } from "./texts";
import { TriageForm, useTriageContext } from "./TriageForm";
import { useNow } from "./useQueue";

const t = regulationTexts;
const td = t.detail;

const OPEN = new Set(["received", "waiting", "claimed", "oriented"]);

export interface BackState {
  flash?: string;
}

export function RequestPage() {
  const params = useParams();
  const requestId = Number(params.requestId);
  const [request, setRequest] = useState<RequestOut | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const running = useRef(false);
  const again = useRef(false);

  const load = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    do {
      again.current = false;
      try {
        const { data, error, response } = await api.GET("/api/regulation/requests/{request_id}", {
          params: { path: { request_id: requestId } },
        });
        if (data) {
          setRequest(data);
          setFailure(null);
        } else setFailure(describeFailure(response.status, error));
      } catch {
        setFailure(describeFailure(null, null));
      }
    } while (again.current);
    running.current = false;
  }, [requestId]);

  useEffect(() => {
    setRequest(null);
    void load();
  }, [load]);

  useLiveEvents((message) => {
    if (message.type === "resync" || (message.type.startsWith("request.") && message.request_id === requestId)) void load();
  });

  const title = request ? td.title(patientName(request)) : td.loadingTitle;
  return (
    <Page title={title}>
      {request ? (
        <RequestView request={request} reload={load} />
      ) : failure ? (
        <ErrorNotice message={failure} onRetry={() => void load()} />
      ) : (
        <Loading />
      )}
    </Page>
  );
}

function RequestView({ request, reload }: { request: RequestOut; reload: () => Promise<void> }) {
  const user = useUser();
  const navigate = useNavigate();
  const location = useLocation();
  const { state: protocolState } = useProtocol();
  const protocol = protocolState.status === "ok" ? protocolState.data : null;
  const [flash, setFlash] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const backPath = user.role === "regulator" ? REGULATOR_PATH : CONSOLE_PATH;
  const backLabel = user.role === "regulator" ? td.backRegulator : td.back;

  const open = OPEN.has(request.status);
  const mine = request.status === "claimed" && request.claimed_by_user_id === user.id;
  const claimedByOther = request.status === "claimed" && !mine;
  // Someone else's claim blocks changes (coordinators may step in, as the server allows).
  const canAct = open && (!claimedByOther || user.role === "coordinator");
  const operatorBlocked = user.role === "operator" && request.assigned_to === "regulator";
  const justCreated = Boolean((location.state as { justCreated?: boolean } | null)?.justCreated);

  function back(message: string) {
    navigate(backPath, { state: { flash: message } satisfies BackState });
  }

  async function act(action: "claim" | "release"): Promise<void> {
    setProblem(null);
    setFlash(null);
    const path = { params: { path: { request_id: request.id } } };
    const result = await perform(
      action === "claim"
        ? api.POST("/api/regulation/requests/{request_id}/claim", path)
        : api.POST("/api/regulation/requests/{request_id}/release", path),
    );
    if (!result.ok) {
      setProblem(result.errors[0]?.msg ?? t.errors.generic);
      await reload();
      return;
    }
    if (action === "release") back(t.console.released);
    else await reload();
  }

  return (
    <div className="request">
      <p className="request-back">
        <Link to={backPath}>← {backLabel}</Link>
        <LiveStatusBanner />
      </p>

      {request.status === "redirected_15" ? (
        <Call15Alert reason={request.red_flag_text} instruction={t.call15.instruction}>
          <p>{t.call15.recorded}</p>
          <Transfer15Card request={request} onRecorded={reload} />
        </Call15Alert>
      ) : null}

      <RequestHeader request={request} />
      <SafetyNotices request={request} />
      <RegulatorDecisionNote request={request} />

      <section className="claim-bar" aria-label={td.handling}>
        <p>
          {!open ? (
            <strong>{td.closedAs(request.outcome ? t.labels.outcome[request.outcome] : t.labels.status[request.status])}</strong>
          ) : mine ? (
            <strong className="claimed-me">{td.claimedByYou}</strong>
          ) : claimedByOther ? (
            <span className="claimed-other">{td.claimedByOther(request.claimed_by_name ?? "")}</span>
          ) : (
            td.notClaimed
          )}
          {open && request.assigned_to === "regulator" ? <span className="tag tag-regulator">{td.assignedRegulator}</span> : null}
        </p>
        <div className="claim-actions">
          {open && request.status !== "claimed" && request.status !== "oriented" && !operatorBlocked ? (
            <button type="button" className="button button-primary" onClick={() => void act("claim")}>
              {td.claim}
            </button>
          ) : null}
          {mine ? (
            <button type="button" className="button button-secondary" onClick={() => void act("release")}>
              {td.release}
            </button>
          ) : null}
          {canAct && request.status !== "oriented" && request.assigned_to === "operator" && user.role !== "regulator" ? (
            <TransferButton requestId={request.id} onDone={() => back(td.transferred)} onError={setProblem} />
          ) : null}
        </div>
      </section>

      {problem ? (
        <div className="notice notice-error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      {flash ? <Flash>{flash}</Flash> : null}

      <div className={request.status === "redirected_15" ? "request-grid request-grid-side-only" : "request-grid"}>
        <div className="request-main">
          {request.status !== "redirected_15" ? (
            <TriageCard
              request={request}
              protocol={protocol}
              canAct={canAct && request.status !== "oriented"}
              justCreated={justCreated}
              reload={reload}
            />
          ) : null}
          {open && request.awaiting_regulator && user.role === "regulator" && canAct ? (
            <RegulatorDecisionCard request={request} onDecided={reload} />
          ) : null}
          {open && request.triaged_at && request.may_book && request.status !== "oriented" && canAct ? (
            <Candidates request={request} reload={reload} onBooked={(message) => back(message)} />
          ) : null}
          {open && canAct ? (
            <CloseCard request={request} onClosed={(outcome) => back(t.close.done(t.labels.outcome[outcome]))} />
          ) : null}
        </div>
        <div className="request-side">
          <PatientCard request={request} />
          {canAct && request.status !== "oriented" ? <CorrectDetails request={request} onSaved={reload} /> : null}
          {request.appointment_id && request.consultation_at && (user.role === "operator" || user.role === "coordinator") ? (
            <AppointmentOutcomeCard appointmentId={request.appointment_id} consultationAt={request.consultation_at} />
          ) : null}
          <CallbacksCard request={request} canAct={canAct} reload={reload} onFlash={setFlash} />
          <TimelineCard request={request} />
        </div>
      </div>
    </div>
  );
}

function RequestHeader({ request }: { request: RequestOut }) {
  const now = useNow(15_000);
  const document = useProtocolDocumentOrNull();
  const left = request.deadline_at ? Math.round((Date.parse(request.deadline_at) - now) / 1000) : null;
  const open = OPEN.has(request.status) && request.status !== "oriented";
  return (
    <div className="request-head">
      <PriorityBadge priority={(request.priority as Priority | null) ?? null} />
      <div className="request-head-main">
        <p className="request-motif">{motifLabel(document, request.motif)}</p>
        <p className="muted">
          {request.age_label} · {t.labels.origin[request.origin]}
          {request.referrer_structure ? ` · ${request.referrer_structure}` : ""} · {td.receivedAt} {formatWhen(request.received_at)}
        </p>
      </div>
      <div className="request-head-side">
        <span className={`status-pill status-${request.status}`}>{t.labels.status[request.status]}</span>
        {open && request.deadline_at ? (
          <UrgencyTag urgency={urgencyOf(left)}>
            {timeLeftLabel(left)} ({formatWhen(request.deadline_at)})
          </UrgencyTag>
        ) : null}
      </div>
    </div>
  );
}

function useProtocolDocumentOrNull() {
  const { state } = useProtocol();
  return state.status === "ok" ? state.data.document : null;
}

// -- triage ------------------------------------------------------------------------------------

function TriageCard({
  request,
  protocol,
  canAct,
  justCreated,
  reload,
}: {
  request: RequestOut;
  protocol: ProtocolCurrent | null;
  canAct: boolean;
  justCreated: boolean;
  reload: () => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [advice, setAdvice] = useState<string | null>(null);
  const triaged = request.triaged_at !== null;

  if (!protocol) return <Loading />;
  const showForm = canAct && (!triaged || editing);

  return (
    <section className="card" aria-labelledby="tri-title">
      <div className="card-head">
        <h2 id="tri-title">{showForm ? t.triage.title : t.result.title}</h2>
        {triaged && canAct ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing((e) => !e)}>
            {editing ? t.triage.cancelRetriage : t.triage.retriage}
          </button>
        ) : null}
      </div>
      {showForm ? (
        <RequestTriageForm
          request={request}
          protocol={protocol}
          onDone={async (result) => {
            setAdvice(result);
            setEditing(false);
            await reload();
          }}
        />
      ) : triaged ? (
        <TriageResult request={request} protocol={protocol} advice={advice} highlight={justCreated} />
      ) : (
        <p className="muted">{t.labels.untriagedLong}</p>
      )}
    </section>
  );
}

function RequestTriageForm({
  request,
  protocol,
  onDone,
}: {
  request: RequestOut;
  protocol: ProtocolCurrent;
  onDone: (advice: string | null) => Promise<void>;
}) {
  const document = protocol.document;
  const [motif, setMotif] = useState(request.motif ?? "");
  const [answers, setAnswers] = useState<Answers>(() => ({ ...((request.triage_answers ?? {}) as Answers) }));
  const [callbackAt, setCallbackAt] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [redFlagState, setRedFlagState] = useState<"idle" | "recording" | "failed">("idle");
  const { band, motif: currentMotif } = useTriageContext(document, request.birth_date, motif);
  const byField = errorsByField(errors);

  async function send(sent: Answers, callback: string | null) {
    return perform(
      api.POST("/api/regulation/requests/{request_id}/triage", {
        params: { path: { request_id: request.id } },
        body: { answers: sent, motif: motif || null, callback_at: callback },
      }),
    );
  }

  // A red flag ends the triage at once: recorded without waiting for the other answers.
  async function onRedFlag(flag: RedFlag) {
    setRedFlagState("recording");
    const result = await send({ ...answersToSend(document, band?.id ?? null, null, answers), [flag.id]: true }, null);
    if (result.ok) {
      await onDone(null);
      return;
    }
    setRedFlagState("failed");
    setErrors(result.errors);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    const result = await send(answersToSend(document, band?.id ?? null, currentMotif, answers), localInputToIso(callbackAt));
    setSubmitting(false);
    if (result.ok) {
      setErrors([]);
      await onDone(result.data.advice ?? null);
      return;
    }
    setErrors(result.errors);
  }

  const fieldIds: Record<string, string> = {};
  for (const e of errors) if (e.field) fieldIds[e.field] = `tri-${e.field}`;

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
      <ErrorSummary title={t.triage.errorTitle} errors={errors} fieldIds={fieldIds} labels={fieldLabels(document)} />
      <TriageForm
        document={document}
        protocolNumber={protocol.number}
        birthDate={request.birth_date}
        motif={motif}
        onMotifChange={setMotif}
        answers={answers}
        onAnswersChange={setAnswers}
        errors={byField}
        idPrefix="tri"
        onRedFlag={(flag) => void onRedFlag(flag)}
        alertExtra={
          <p className="call15-state" role="status">
            {redFlagState === "recording" ? t.call15.recording : redFlagState === "failed" ? t.call15.recordFailed : null}
          </p>
        }
      />
      {redFlagHit(document, answers) ? null : (
        <>
          <Field id="tri-callback_at" label={t.intake.callbackAt} hint={t.intake.callbackAtHint} error={byField.callback_at}>
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
          <div className="form-actions">
            <button type="submit" className="button button-primary button-large" disabled={submitting}>
              {submitting ? t.triage.submitting : t.triage.submit}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

export function TriageResult({
  request,
  protocol,
  advice,
  highlight,
}: {
  request: RequestOut;
  protocol: ProtocolCurrent | null;
  advice: string | null;
  highlight: boolean;
}) {
  const tr = t.result;
  const document = protocol?.document ?? null;
  const band = document?.age_bands.find((b) => b.id === request.age_band);
  const shownAdvice =
    advice ?? (protocol && request.protocol_version === protocol.number ? adviceFor(document, request.triage_rule) : null);
  return (
    <div className={`triage-result${highlight ? " triage-result-new" : ""}`} role={highlight ? "status" : undefined}>
      <dl className="facts facts-result">
        <div>
          <dt>{tr.priority}</dt>
          <dd>
            <PriorityBadge priority={(request.priority as Priority | null) ?? null} />{" "}
            {request.priority ? t.labels.priority[request.priority as Priority] : null}
          </dd>
        </div>
        <div>
          <dt>{tr.deadline}</dt>
          <dd>{request.deadline_at ? formatWhen(request.deadline_at) : t.labels.none}</dd>
        </div>
        <div>
          <dt>{tr.orientation}</dt>
          <dd>{request.orientation ? t.labels.orientation[request.orientation as Orientation] : t.labels.none}</dd>
        </div>
        {request.callback_at ? (
          <div>
            <dt>{tr.callbackAt}</dt>
            <dd>{formatWhen(request.callback_at)}</dd>
          </div>
        ) : null}
      </dl>
      {shownAdvice ? (
        <p className="notice notice-info">
          <strong>{tr.advice} :</strong> {shownAdvice}
        </p>
      ) : null}
      <p className="card-note">
        {tr.version} {request.protocol_version ?? "—"} · {tr.rule} <code>{request.triage_rule ?? "—"}</code>
        {band ? ` · ${band.label}` : ""}
      </p>
    </div>
  );
}

// -- transfer, patient, call-backs, closing, history ---------------------------------------

function TransferButton({
  requestId,
  onDone,
  onError,
}: {
  requestId: number;
  onDone: () => void;
  onError: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (open) area.current?.focus();
  }, [open]);

  async function submit() {
    setBusy(true);
    const result = await perform(
      api.POST("/api/regulation/requests/{request_id}/transfer", {
        params: { path: { request_id: requestId } },
        body: { note: note.trim() || null },
      }),
    );
    setBusy(false);
    if (result.ok) onDone();
    else onError(result.errors[0]?.msg ?? t.errors.generic);
  }

  if (!open) {
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        {t.detail.transfer}
      </button>
    );
  }
  return (
    <div className="transfer-box">
      <label htmlFor="transfer-note">{t.detail.transferNote}</label>
      <textarea id="transfer-note" ref={area} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="inline-actions">
        <button type="button" className="button button-primary" onClick={() => void submit()} disabled={busy}>
          {t.detail.transferConfirm}
        </button>
        <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
          {t.detail.transferCancel}
        </button>
      </div>
    </div>
  );
}

function PatientCard({ request }: { request: RequestOut }) {
  const { state: territory } = useTerritory();
  const commune =
    territory.status === "ok" && request.commune_insee
      ? territory.data.communes.find((c) => c.insee_code === request.commune_insee)
      : undefined;
  const rows: [string, ReactNode][] = [
    [td.age, `${request.age_label} (${td.born(formatBirthDate(request.birth_date))}) · ${t.labels.sex[request.sex]}`],
    [
      td.phone,
      <a key="tel" href={`tel:${request.phone}`} className="phone-link">
        {request.phone_display}
      </a>,
    ],
    [td.commune, commune ? `${commune.name} (${commune.postal_code})` : (request.commune_insee ?? t.labels.none)],
  ];
  if (request.address_line) rows.push([td.address, request.address_line]);
  rows.push([
    td.gp,
    request.has_gp === true ? td.gpYes(request.gp_name) : request.has_gp === false ? t.labels.no : t.labels.unknown,
  ]);
  rows.push([td.mobility, t.labels.mobility[request.mobility]]);
  rows.push([td.sms, request.sms_consent ? td.smsYes : td.smsNo]);
  if (request.notes) rows.push([td.notes, request.notes]);
  if (request.outcome_note) rows.push([td.outcomeNote, request.outcome_note]);
  return (
    <section className="card" aria-labelledby="patient-title">
      <h2 id="patient-title">{td.summary}</h2>
      <dl className="facts-list">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const CALLBACK_RESULTS: readonly CallbackResult[] = ["reached", "no_answer", "voicemail", "busy", "wrong_number"];

function CallbacksCard({
  request,
  canAct,
  reload,
  onFlash,
}: {
  request: RequestOut;
  canAct: boolean;
  reload: () => Promise<void>;
  onFlash: (message: string) => void;
}) {
  const tc = t.callbacks;
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [allowed, setAllowed] = useState(false);
  const failed = request.callback_attempts.filter((a) => a.result !== "reached").length;

  async function log(result: CallbackResult) {
    setBusy(true);
    const answer = await perform(
      api.POST("/api/regulation/requests/{request_id}/callbacks", {
        params: { path: { request_id: request.id } },
        body: { result, note: note.trim() || null },
      }),
    );
    setBusy(false);
    if (answer.ok) {
      setErrors([]);
      setNote("");
      setAllowed(answer.data.unreachable_allowed);
      onFlash(tc.logged(t.labels.callbackResult[result]));
      await reload();
    } else setErrors(answer.errors);
  }

  return (
    <section className="card" aria-labelledby="rappels-title">
      <div className="card-head">
        <h2 id="rappels-title">{tc.title}</h2>
        {failed > 0 ? <span className="badge badge-warning">{tc.failed(failed)}</span> : null}
      </div>
      <a className="button button-secondary button-block phone-button" href={`tel:${request.phone}`}>
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" focusable="false">
          <path
            d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
            fill="currentColor"
          />
        </svg>
        {tc.call(request.phone_display)}
      </a>
      {canAct ? (
        <div className="callback-log">
          <p className="field-label" id="callback-log-title">
            {tc.logTitle}
          </p>
          {errors.length > 0 ? (
            <div className="notice notice-error" role="alert">
              {errors.map((e, i) => (
                <p key={i}>{e.msg}</p>
              ))}
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="callback-note">{tc.note}</label>
            <input id="callback-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
          </div>
          <div className="callback-buttons" role="group" aria-labelledby="callback-log-title">
            {CALLBACK_RESULTS.map((result) => (
              <button
                key={result}
                type="button"
                className={`button button-small ${result === "reached" ? "button-primary" : "button-secondary"}`}
                onClick={() => void log(result)}
                disabled={busy}
              >
                {t.labels.callbackResult[result]}
              </button>
            ))}
          </div>
          {allowed ? <p className="card-note">{tc.unreachableAllowed}</p> : null}
        </div>
      ) : null}
      {request.callback_attempts.length === 0 ? (
        <p className="muted">{tc.none}</p>
      ) : (
        <table className="compact-table">
          <caption className="visually-hidden">{tc.tableCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{tc.at}</th>
              <th scope="col">{tc.result}</th>
              <th scope="col">{tc.by}</th>
            </tr>
          </thead>
          <tbody>
            {request.callback_attempts.map((a) => (
              <tr key={a.id}>
                <td className="nowrap">{formatWhen(a.at)}</td>
                <td>
                  {t.labels.callbackResult[a.result]}
                  {a.note ? <span className="cell-sub">{a.note}</span> : null}
                </td>
                <td>{a.operator_name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const OUTCOMES: readonly Outcome[] = [
  "medical_advice",
  "teleconsultation",
  "pharmacist",
  "emergency_department",
  "redirected_15",
  "transferred_regulator",
  "unreachable",
  "cancelled_by_patient",
  "no_slot_found",
  "slot_booked",
];

function CloseCard({ request, onClosed }: { request: RequestOut; onClosed: (outcome: Outcome) => void }) {
  const tc = t.close;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const byField = errorsByField(errors);
  const failed = request.callback_attempts.filter((a) => a.result !== "reached").length;
  const oriented = request.status === "oriented";
  const options = OUTCOMES.filter((o) => o !== "slot_booked" || oriented).map((o) => ({
    value: o,
    label: t.labels.outcome[o],
  }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!outcome || busy) {
      if (!outcome) setErrors([{ field: "outcome", msg: tc.chooseOutcome }]);
      return;
    }
    setBusy(true);
    const result = await perform(
      api.POST("/api/regulation/requests/{request_id}/close", {
        params: { path: { request_id: request.id } },
        body: { outcome, note: note.trim() || null },
      }),
    );
    setBusy(false);
    if (result.ok) onClosed(outcome);
    else setErrors(result.errors);
  }

  return (
    <section className="card" aria-labelledby="cloture-title">
      <h2 id="cloture-title">{tc.title}</h2>
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary title={tc.errorTitle} errors={errors} fieldIds={{ note: "close-note", outcome: "close-outcome" }} />
        <RadioGroup
          id="close-outcome"
          legend={tc.outcome}
          name="close-outcome"
          options={options}
          value={outcome}
          onChange={(v) => {
            setOutcome(v);
            setErrors([]);
          }}
          error={byField.outcome}
          inline={false}
          className="outcome-options"
          hint={outcome === "unreachable" ? tc.unreachableHint(failed) : null}
        />
        <Field
          id="close-note"
          label={outcome === "no_slot_found" ? tc.noteTried : tc.note}
          hint={outcome === "no_slot_found" ? tc.noteTriedHint : undefined}
          error={byField.note}
        >
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={3}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              required={outcome === "no_slot_found"}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? tc.submitting : tc.submit}
          </button>
        </div>
      </form>
    </section>
  );
}

function timelineDetail(kind: string, detail: Record<string, unknown> | null): string | null {
  if (!detail) return null;
  const tt = t.timeline;
  const str = (key: string) => (typeof detail[key] === "string" ? (detail[key] as string) : null);
  switch (kind) {
    case "received": {
      const origin = str("origin");
      return origin && origin in t.labels.origin ? t.labels.origin[origin as keyof typeof t.labels.origin] : origin;
    }
    case "triaged": {
      const parts = [str("priority"), str("orientation") ? t.labels.orientation[str("orientation") as Orientation] : null];
      if (typeof detail.protocol_version === "number") parts.push(tt.protocolVersion(detail.protocol_version));
      return parts.filter(Boolean).join(" · ");
    }
    case "red_flag":
      return str("flag_text");
    case "closed": {
      const outcome = str("outcome");
      return outcome && outcome in t.labels.outcome ? t.labels.outcome[outcome as Outcome] : outcome;
    }
    case "callback": {
      const result = str("result");
      return result && result in t.labels.callbackResult ? t.labels.callbackResult[result as CallbackResult] : result;
    }
    case "released":
      return str("reason") === "stale" ? tt.staleRelease : null;
    case "transferred":
      return str("note");
    case "oriented": {
      const orientation = str("orientation");
      return orientation && orientation in t.labels.orientation ? t.labels.orientation[orientation as Orientation] : orientation;
    }
    case "slot_held": {
      const kind = str("consultation");
      return kind && kind in t.candidates.kinds ? t.candidates.kinds[kind as keyof typeof t.candidates.kinds] : null;
    }
    case "escalated": {
      const n = typeof detail.effectors === "number" ? t.escalation.effectors(detail.effectors) : null;
      const step = str("step");
      return [step ? (t.escalation.steps[step] ?? step) : null, n].filter(Boolean).join(" · ") || null;
    }
    case "to_rebook":
      return str("cause");
    case "updated":
      return Array.isArray(detail.fields) ? detail.fields.join(", ") : null;
    default:
      return null;
  }
}

function TimelineCard({ request }: { request: RequestOut }) {
  const tt = t.timeline;
  return (
    <section className="card" aria-labelledby="historique-title">
      <h2 id="historique-title">{tt.title}</h2>
      {request.timeline.length === 0 ? (
        <p className="muted">{tt.empty}</p>
      ) : (
        <ol className="timeline">
          {request.timeline.map((entry, i) => {
            const extra = timelineDetail(entry.kind, entry.detail);
            return (
              <li key={i} className={`timeline-${entry.kind}`}>
                <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                  {formatWhen(entry.at)}
                </time>
                <p>
                  <strong>{tt.kinds[entry.kind] ?? entry.kind}</strong>
                  {extra ? ` : ${extra}` : ""}
                </p>
                <p className="cell-sub">{tt.by(entry.actor_name)}</p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

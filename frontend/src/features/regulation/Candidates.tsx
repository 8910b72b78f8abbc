/**
 * Finding the patient a slot: the ranked candidates (each with why it ranks there), a map, and
 * the booking journey: select -> hold -> "confirm with the patient on the phone" -> confirm ->
 * booked (the request is closed). When nothing fits the deadline: the best later options and
 * the escalation ladder (SMS broadcasts to the médecin traitant, nearby effectors, the CPTS).
 */
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useRef, useState } from "react";

import { api, refreshCoalesced, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { useUser } from "../../shell/auth";
import { formatClock } from "../../shell/format";
import { useLiveInvalidation } from "../../shell/live";
import { ErrorNotice, Loading, Modal, Notice } from "../../ui";
import { formatDuration, formatWhen, type RequestOut } from "./model";
import { regulationKeys } from "./queryKeys";
import { regulationTexts } from "./texts";

const CandidatesMap = lazy(() => import("./CandidatesMap"));

const t = regulationTexts;
const tc = t.candidates;
const tb = t.booking;
const te = t.escalation;

export type Candidate = Schemas["CandidateOut"];
type Kind = Candidate["kind"];
type Hold = Schemas["RequestHoldOut"];
type EscalationStep = Schemas["EscalationStepOut"];

/** "4 min 05 s", "42 s". */
function countdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return m > 0 ? `${m} min ${s} s` : `${seconds} s`;
}


export function Candidates({
  request,
  onBooked,
  focusOnArrival = false,
}: {
  request: RequestOut;
  onBooked: (message: string) => void;
  /** Just triaged: the proposed slots are the next step, brought into view with the focus. */
  focusOnArrival?: boolean;
}) {
  const user = useUser();
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the slots first appear
  useEffect(() => {
    if (!focusOnArrival) return;
    // After the page's own focus on its title (a parent's effect runs after this one).
    const timer = window.setTimeout(() => {
      heading.current?.scrollIntoView({ block: "start" });
      heading.current?.focus({ preventScroll: true });
    }, 0);
    return () => window.clearTimeout(timer);
  }, []);
  const mine = request.status === "claimed" && request.claimed_by_user_id === user.id;
  const [kind, setKind] = useState<Kind | "">("");
  const [selected, setSelected] = useState<number | null>(null);
  const [hold, setHold] = useState<{ hold: Hold; candidate: Candidate } | null>(null);
  // The "Réserver" button that opened the booking dialog: the focus goes back to it on close.
  const opener = useRef<HTMLButtonElement | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const client = useQueryClient();
  const allCandidates = regulationKeys.candidates(request.id);
  const candidates = useApiQuery(
    regulationKeys.candidates(request.id, kind, request.deadline_at ?? "", request.orientation ?? ""),
    (signal) =>
      api.GET("/api/regulation/requests/{request_id}/candidates", {
        params: { path: { request_id: request.id }, query: kind ? { limit: 10, kind } : { limit: 10 } },
        signal,
      }),
  );
  const refresh = () => refreshCoalesced(client, allCandidates);

  // Another request booked (a slot may be gone) or we reconnected: the list may be stale.
  useLiveInvalidation([allCandidates], (message) => message.type === "request.booked" && message.request_id !== request.id);

  const holdSlot = useApiMutation(
    (candidate: Candidate) =>
      api.POST("/api/regulation/requests/{request_id}/hold", {
        params: { path: { request_id: request.id } },
        body: { slot_id: candidate.slot_id, kind: candidate.kind },
      }),
    {
      onMutate: (candidate) => {
        setSelected(candidate.slot_id);
        setProblem(null);
      },
      onSuccess: (held, candidate) => setHold({ hold: held, candidate }),
      onError: (error) => {
        setProblem(error.message);
        refresh();
      },
    },
  );
  const holding = holdSlot.isPending ? (holdSlot.variables?.slot_id ?? null) : null;
  const select = (candidate: Candidate, button: HTMLButtonElement) => {
    opener.current = button;
    holdSlot.mutate(candidate);
  };

  const data = candidates.data ?? null;
  const inTime = data?.items.filter((c) => !c.after_deadline) ?? [];
  const later = data?.items.filter((c) => c.after_deadline) ?? [];

  return (
    <section className="card candidates" aria-labelledby="creneaux-title">
      <div className="card-head">
        <h2 id="creneaux-title" ref={heading} tabIndex={-1}>
          {tc.title}
        </h2>
        <div className="inline-actions">
          <label className="inline-select">
            <span>{tc.kindFilter}</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind | "")}>
              <option value="">{tc.kindAuto}</option>
              {(["AMB", "HH", "VR"] as const).map((k) => (
                <option key={k} value={k}>
                  {tc.kinds[k]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button-secondary button-small" onClick={refresh}>
            {tc.refresh}
          </button>
        </div>
      </div>
      {request.deadline_at ? <p className="card-note">{tc.intro(formatWhen(request.deadline_at))}</p> : null}
      {!mine ? <p className="notice notice-info">{tc.claimFirst}</p> : null}
      {problem ? (
        <div className="notice notice-error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      {candidates.isPending ? <Loading /> : null}
      {candidates.error && !data ? <ErrorNotice message={candidates.error.message} onRetry={refresh} /> : null}
      {data ? (
        <>
          {data.message ? <p className="notice notice-warning">{data.message}</p> : null}
          {inTime.length > 0 ? (
            <CandidateList
              items={inTime}
              canBook={mine}
              holding={holding}
              selected={selected}
              onSelect={select}
              label={tc.listLabel}
            />
          ) : (
            <p className="notice notice-warning">{data.items.length === 0 ? tc.none : tc.noneBeforeDeadline}</p>
          )}
          {later.length > 0 ? (
            <div className="later">
              <h3>{tc.laterTitle}</h3>
              <p className="card-note">{tc.laterIntro}</p>
              <CandidateList
                items={later}
                canBook={mine}
                holding={holding}
                selected={selected}
                onSelect={select}
                label={tc.laterTitle}
              />
            </div>
          ) : null}
          {data.items.length > 0 || data.place ? (
            <Suspense fallback={null}>
              <CandidatesMap place={data.place} items={data.items} selected={selected} onSelect={setSelected} />
            </Suspense>
          ) : null}
          {data.escalation ? (
            <EscalationLadder requestId={request.id} ladder={data.escalation} canAct={mine} onStarted={refresh} />
          ) : null}
        </>
      ) : null}
      {hold ? (
        <BookingDialog
          request={request}
          hold={hold.hold}
          candidate={hold.candidate}
          returnFocus={() => (opener.current?.isConnected ? opener.current : heading.current)}
          onClose={async (outcome) => {
            setHold(null);
            if (outcome.booked) {
              onBooked(outcome.message);
              return;
            }
            if (outcome.message) setProblem(outcome.message);
            refresh();
            await client.invalidateQueries({ queryKey: regulationKeys.request(request.id) });
          }}
        />
      ) : null}
    </section>
  );
}

const FIRST_SHOWN = 5;

function effectorLine(c: Candidate): string {
  return c.effector.specialty_text ? `${c.effector.name} — ${c.effector.specialty_text}` : c.effector.name;
}

function CandidateList({
  items,
  canBook,
  holding,
  selected,
  onSelect,
  label,
}: {
  items: readonly Candidate[];
  canBook: boolean;
  holding: number | null;
  selected: number | null;
  onSelect: (c: Candidate, button: HTMLButtonElement) => void;
  label: string;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, FIRST_SHOWN);
  return (
    <>
      <ol className="candidate-list" aria-label={label}>
        {shown.map((c) => {
          const when = formatWhen(c.start_at);
          return (
            <li
              key={c.slot_id}
              className={`candidate${selected === c.slot_id ? " candidate-selected" : ""}${c.after_deadline ? " candidate-late" : ""}`}
              data-testid="candidate"
              data-slot-id={c.slot_id}
            >
              <span className="candidate-rank">
                <span className="visually-hidden">{tc.rank(c.rank)}</span>
                <span aria-hidden="true">{c.rank}</span>
              </span>
              <div className="candidate-body">
                <p className="candidate-when">
                  <strong>{when}</strong>
                  <span className="candidate-kind">{tc.kinds[c.kind]}</span>
                  {c.effector.is_patient_gp ? <span className="tag tag-gp">{tc.patientGp}</span> : null}
                  {c.offered_first ? <span className="tag tag-offered">{tc.offeredFirst}</span> : null}
                  {c.after_deadline ? <span className="tag tag-late">{tc.afterDeadline}</span> : null}
                </p>
                <p className="candidate-who">{effectorLine(c)}</p>
                <p className="muted">
                  {c.site.name} · {c.site.address_line}, {c.site.postal_code} {c.site.city}
                  {c.site.position_approximate ? (
                    <>
                      {" "}
                      <span className="tag tag-approximate" title={tc.approximateTitle} data-testid="position-approximate">
                        {tc.approximate}
                      </span>
                    </>
                  ) : null}
                </p>
                <p className="candidate-why">
                  <span className="visually-hidden">{tc.why} : </span>
                  {c.explanation}
                </p>
                {c.score_details ? (
                  <details className="candidate-details">
                    <summary>{tc.details}</summary>
                    <p>{c.score_details}</p>
                  </details>
                ) : null}
              </div>
              <div className="candidate-action">
                <button
                  type="button"
                  className="button button-primary"
                  disabled={!canBook || holding !== null}
                  onClick={(event) => onSelect(c, event.currentTarget)}
                  aria-label={tc.bookLabel(c.effector.name, when)}
                >
                  {holding === c.slot_id ? tc.holding : tc.book}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {items.length > shown.length ? (
        <button type="button" className="button button-secondary button-small more-button" onClick={() => setAll(true)}>
          {tc.showMore(items.length - shown.length)}
        </button>
      ) : null}
    </>
  );
}

type DialogOutcome = { booked: true; message: string } | { booked: false; message: string | null };

function BookingDialog({
  request,
  hold,
  candidate,
  onClose,
  returnFocus,
}: {
  request: RequestOut;
  hold: Hold;
  candidate: Candidate;
  onClose: (outcome: DialogOutcome) => Promise<void>;
  returnFocus: () => HTMLElement | null;
}) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  const [now, setNow] = useState(() => Date.now());
  const expiresAt = Date.parse(hold.hold_expires_at);
  const left = Math.round((expiresAt - now) / 1000);
  const done = useRef(false);

  useEffect(() => {
    // The patient's answer is the next thing to record: start on "confirm".
    confirmButton.current?.focus();
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  async function finish(outcome: DialogOutcome) {
    if (done.current) return;
    done.current = true;
    await onClose(outcome);
  }

  const confirmation = useApiMutation(
    () =>
      api.POST("/api/regulation/requests/{request_id}/confirm", {
        params: { path: { request_id: request.id } },
        body: { slot_id: hold.slot_id, kind: hold.kind },
      }),
    {
      onSuccess: (booked) =>
        finish({ booked: true, message: tb.booked(candidate.effector.name, formatWhen(booked.appointment.start_at)) }),
    },
  );
  // Whether the server answers or not, the dialog closes: the hold expires by itself anyway.
  const release = useApiMutation(() =>
    api.POST("/api/regulation/requests/{request_id}/release-hold", {
      params: { path: { request_id: request.id } },
      body: { slot_id: hold.slot_id },
    }),
  );
  const busy = confirmation.isPending || release.isPending;
  const error = confirmation.error?.message ?? null;
  const confirm = () => confirmation.mutate();
  const decline = (message: string | null = null) =>
    release.mutate(undefined, { onSettled: () => void finish({ booked: false, message }) });

  return (
    // Escape or the close button: the patient did not confirm; give the slot back. A click
    // beside the dialog does nothing (the hold is not lost by a slip of the mouse).
    <Modal
      title={tb.title}
      describedBy="booking-intro"
      closeOnBackdrop={false}
      returnFocus={returnFocus}
      onClose={() => {
        if (!busy) decline();
      }}
    >
      <p id="booking-intro">{tb.intro}</p>
      <dl className="facts-list booking-facts">
        <div>
          <dt>{tb.who}</dt>
          <dd>
            <strong>{effectorLine(candidate)}</strong>
          </dd>
        </div>
        <div>
          <dt>{tb.when}</dt>
          <dd>
            <strong>{formatWhen(hold.start_at)}</strong> ({formatDuration((Date.parse(hold.end_at) - Date.parse(hold.start_at)) / 1000)})
          </dd>
        </div>
        <div>
          <dt>{tb.where}</dt>
          <dd>
            {candidate.site.name}
            <br />
            {candidate.site.address_line}, {candidate.site.postal_code} {candidate.site.city}
            {candidate.site.position_approximate ? <span className="cell-sub">{tc.approximate}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{tb.kind}</dt>
          <dd>{tc.kinds[hold.kind]}</dd>
        </div>
        <div>
          <dt>{tb.agendaLabel}</dt>
          <dd>{hold.patient_label}</dd>
        </div>
      </dl>
      <p className={left > 0 ? "card-note" : "notice notice-warning"} role={left > 0 ? undefined : "alert"}>
        {left > 0 ? tb.holdUntil(formatClock(hold.hold_expires_at), countdown(left)) : tb.holdExpired}
      </p>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions booking-actions">
        <button type="button" className="button button-primary button-large" onClick={confirm} disabled={busy || left <= 0} ref={confirmButton}>
          {busy ? tb.confirming : tb.confirm}
        </button>
        <button type="button" className="button button-secondary" onClick={() => decline()} disabled={busy}>
          {left > 0 && !error ? tb.decline : tb.otherSlot}
        </button>
      </div>
    </Modal>
  );
}

function EscalationLadder({
  requestId,
  ladder,
  canAct,
  onStarted,
}: {
  requestId: number;
  ladder: Schemas["EscalationOut"];
  canAct: boolean;
  onStarted: () => void;
}) {
  const [flash, setFlash] = useState<string | null>(null);
  // One call: regulation records the step and, in the same transaction, notifications starts
  // the step's SMS broadcast (its handler of `RequestEscalated`).
  const escalate = useApiMutation(
    (step: EscalationStep) =>
      api.POST("/api/regulation/requests/{request_id}/escalations", {
        params: { path: { request_id: requestId } },
        body: { step: step.step },
      }),
    {
      onSuccess: (recorded, step) => setFlash(te.done(step.label, recorded.effector_ids.length)),
      onSettled: () => onStarted(),
    },
  );
  const busy = escalate.isPending ? (escalate.variables?.step ?? null) : null;
  const problem = escalate.error?.message ?? null;
  const start = (step: EscalationStep) => escalate.mutate(step);

  return (
    <div className="escalation">
      <h3>{te.title}</h3>
      <p className="card-note">{te.intro}</p>
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <ol className="ladder">
        {ladder.steps.map((step) => (
          <li key={step.step} className={step.available ? "ladder-step" : "ladder-step ladder-step-off"}>
            <div>
              <p className="ladder-label">{step.label}</p>
              <p className="muted">
                {step.available
                  ? `${te.effectors(step.effector_ids.length)} · ${te.timeout(step.timeout_minutes)}`
                  : (step.reason ?? te.unavailable)}
              </p>
            </div>
            {step.started_at ? (
              <span className="tag tag-started">{te.started(formatWhen(step.started_at))}</span>
            ) : step.available ? (
              <button
                type="button"
                className="button button-secondary"
                disabled={!canAct || busy !== null}
                onClick={() => start(step)}
                aria-label={te.startLabel(step.label)}
              >
                {busy === step.step ? te.starting : te.start}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A loaded request: the claim bar, then the triage, booking and closing beside the patient's facts. */
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";

import { api, useApiMutation } from "../../../api";
import { useUser } from "../../../shell/auth";
import { LiveStatusBanner } from "../../../shell/live";
import { Notice } from "../../../ui";
import { AppointmentOutcomeCard } from "../../agenda";
import { RequestSmsCard } from "../../notifications";
import { Candidates } from "../Candidates";
import { Call15Alert } from "../components";
import { OPEN_STATUSES, type RequestOut } from "../model";
import { CONSOLE_PATH, REGULATOR_PATH } from "../paths";
import { useProtocol } from "../protocol";
import { regulationKeys } from "../queryKeys";
import { CorrectDetails, RegulatorDecisionCard, RegulatorDecisionNote, SafetyNotices, Transfer15Card } from "../safety";
import { regulationTexts } from "../texts";
import { AppointmentsCard, HistoryCard, TransferReason } from "../frontdesk";
import { CallbacksCard } from "./CallbacksCard";
import { CloseCard } from "./CloseCard";
import { PatientCard } from "./PatientCard";
import type { BackState } from "./RequestPage";
import { RequestHeader } from "./RequestHeader";
import { TimelineCard } from "./TimelineCard";
import { TransferButton } from "./TransferButton";
import { TriageCard } from "./TriageCard";

const t = regulationTexts;
const td = t.detail;

export function RequestView({ request }: { request: RequestOut }) {
  const user = useUser();
  const navigate = useNavigate();
  const location = useLocation();
  const protocol = useProtocol().data ?? null;
  const client = useQueryClient();
  const reload = () => client.invalidateQueries({ queryKey: regulationKeys.request(request.id) });
  const [flash, setFlash] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const backPath = user.role === "regulator" ? REGULATOR_PATH : CONSOLE_PATH;
  const backLabel = user.role === "regulator" ? td.backRegulator : td.back;

  const open = OPEN_STATUSES.has(request.status);
  const mine = request.status === "claimed" && request.claimed_by_user_id === user.id;
  const claimedByOther = request.status === "claimed" && !mine;
  // Someone else's claim blocks changes (coordinators may step in, as the server allows).
  const canAct = open && (!claimedByOther || user.role === "coordinator");
  const operatorBlocked = user.role === "operator" && request.assigned_to === "regulator";
  const justCreated = Boolean((location.state as { justCreated?: boolean } | null)?.justCreated);
  // Triaged while this page is open (or at intake): the proposed slots get the focus, not « Clôturer ».
  const untriagedOnArrival = useRef(request.triaged_at === null);

  function back(message: string) {
    navigate(backPath, { state: { flash: message } satisfies BackState });
  }

  const handling = useApiMutation(
    (action: "claim" | "release") => {
      const path = { params: { path: { request_id: request.id } } };
      return action === "claim"
        ? api.POST("/api/regulation/requests/{request_id}/claim", path)
        : api.POST("/api/regulation/requests/{request_id}/release", path);
    },
    {
      onMutate: () => {
        setProblem(null);
        setFlash(null);
      },
      onSuccess: (_answer, action) => (action === "release" ? back(t.console.released) : reload()),
      onError: (error) => {
        setProblem(error.message);
        return reload();
      },
    },
  );
  const act = (action: "claim" | "release") => handling.mutate(action);

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
      {open ? <TransferReason request={request} /> : null}
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
            <button type="button" className="button button-primary" onClick={() => act("claim")}>
              {td.claim}
            </button>
          ) : null}
          {mine ? (
            <button type="button" className="button button-secondary" onClick={() => act("release")}>
              {td.release}
            </button>
          ) : null}
          {canAct && request.status !== "oriented" && request.assigned_to === "operator" && user.role !== "regulator" ? (
            <TransferButton requestId={request.id} onDone={() => back(td.transferred)} onError={setProblem} />
          ) : null}
        </div>
      </section>

      {problem ? (
        <Notice tone="error" block>
          <p>{problem}</p>
        </Notice>
      ) : null}
      {flash ? <Notice tone="success">{flash}</Notice> : null}

      <div className={request.status === "redirected_15" ? "request-grid request-grid-side-only" : "request-grid"}>
        <div className="request-main">
          <AppointmentsCard
            requestId={request.id}
            deadline={request.deadline_at}
            appointments={request.appointments ?? []}
            canChange={!claimedByOther || user.role === "coordinator"}
            onChanged={(message) => {
              setFlash(message);
              return reload();
            }}
          />
          {request.status !== "redirected_15" ? (
            <TriageCard
              request={request}
              protocol={protocol}
              canAct={canAct && request.status !== "oriented"}
              justCreated={justCreated}
            />
          ) : null}
          {open && request.awaiting_regulator && user.role === "regulator" && canAct ? (
            <RegulatorDecisionCard request={request} onDecided={reload} />
          ) : null}
          {open && request.triaged_at && request.may_book && request.status !== "oriented" && canAct ? (
            <Candidates
              request={request}
              onBooked={(message) => back(message)}
              focusOnArrival={justCreated || untriagedOnArrival.current}
            />
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
          <CallbacksCard request={request} canAct={canAct} onFlash={setFlash} />
          <TimelineCard request={request} />
          <RequestSmsCard requestId={request.id} />
          <HistoryCard requestId={request.id} />
        </div>
      </div>
    </div>
  );
}

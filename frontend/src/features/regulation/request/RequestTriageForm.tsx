/** Triage (or re-triage) of a request: red flags first, then the motif's questions. */
import { useState, type FormEvent } from "react";

import { api, errorsByField, useApiMutation } from "../../../api";
import { formatClock, parseApiDate } from "../../../shell/format";
import { ErrorSummary, InputField, Notice } from "../../../ui";
import {
  answersToSend,
  fieldLabels,
  localInputToIso,
  redFlagHit,
  type Answers,
  type ProtocolCurrent,
  type RedFlag,
  type RequestOut,
} from "../model";
import { regulationKeys } from "../queryKeys";
import { regulationTexts } from "../texts";
import { type ReferrerAnswers, TriageForm, useTriageContext } from "../TriageForm";

const t = regulationTexts;

export function RequestTriageForm({
  request,
  protocol,
  onDone,
}: {
  request: RequestOut;
  protocol: ProtocolCurrent;
  onDone: (advice: string | null) => void;
}) {
  const document = protocol.document;
  const [motif, setMotif] = useState(request.motif ?? "");
  // A referral's own red-flag answers come pre-filled (marked as the referrer's); a flag they did
  // not answer stays unanswered. A later triage starts from the last one.
  const referrer = referrerAnswersOf(request);
  const [answers, setAnswers] = useState<Answers>(() => ({
    ...((request.triage_answers ?? referrer?.answers ?? {}) as Answers),
  }));
  const [callbackAt, setCallbackAt] = useState("");
  const [redFlagState, setRedFlagState] = useState<"idle" | "recording" | "failed">("idle");
  const sex = request.sex;
  const { band, motif: currentMotif } = useTriageContext(document, request.birth_date, motif, sex);
  const triage = useApiMutation(
    ({ sent, callback }: { sent: Answers; callback: string | null }) =>
      api.POST("/api/regulation/requests/{request_id}/triage", {
        params: { path: { request_id: request.id } },
        body: { answers: sent, motif: motif || null, callback_at: callback },
      }),
    { invalidates: [regulationKeys.request(request.id)] },
  );
  const errors = triage.error?.fieldErrors ?? [];
  const byField = errorsByField(errors);
  const submitting = triage.isPending;

  // A red flag ends the triage at once: recorded without waiting for the other answers.
  function onRedFlag(flag: RedFlag) {
    setRedFlagState("recording");
    triage.mutate(
      { sent: { ...answersToSend(document, band?.id ?? null, null, answers, sex), [flag.id]: true }, callback: null },
      { onSuccess: () => onDone(null), onError: () => setRedFlagState("failed") },
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    triage.mutate(
      { sent: answersToSend(document, band?.id ?? null, currentMotif, answers, sex), callback: localInputToIso(callbackAt) },
      { onSuccess: (result) => onDone(result.advice ?? null) },
    );
  }

  const fieldIds: Record<string, string> = {};
  for (const e of errors) if (e.field) fieldIds[e.field] = `tri-${e.field}`;

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
      <ErrorSummary title={t.triage.errorTitle} error={triage.error} fieldIds={fieldIds} labels={fieldLabels(document)} />
      {referrer ? <Notice tone="info">{t.triage.referrerNotice(referrer.label)}</Notice> : null}
      <TriageForm
        sex={sex}
        referrerAnswers={referrer}
        document={document}
        protocolNumber={protocol.number}
        birthDate={request.birth_date}
        motif={motif}
        onMotifChange={setMotif}
        answers={answers}
        onAnswersChange={setAnswers}
        errors={byField}
        idPrefix="tri"
        onRedFlag={onRedFlag}
        alertExtra={
          <p className="call15-state" role="status">
            {redFlagState === "recording" ? t.call15.recording : redFlagState === "failed" ? t.call15.recordFailed : null}
          </p>
        }
      />
      {redFlagHit(document, answers) ? null : (
        <>
          <InputField
            id="tri-callback_at"
            label={t.intake.callbackAt}
            hint={t.intake.callbackAtHint}
            error={byField.callback_at}
            type="datetime-local"
            value={callbackAt}
            onChange={(e) => setCallbackAt(e.target.value)}
          />
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

/** The referrer's red-flag answers of a referral, with « Réponse du pharmacien (14:32) ». */
function referrerAnswersOf(request: RequestOut): ReferrerAnswers | null {
  const given = request.referrer_answers;
  if (!given || Object.keys(given).length === 0) return null;
  return { answers: given, label: t.triage.referrerAnswer(request.origin, formatClock(parseApiDate(request.received_at))) };
}

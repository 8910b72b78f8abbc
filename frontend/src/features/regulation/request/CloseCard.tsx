/** Closing a request with its outcome (and a note when no slot could be found). */
import { useState, type FormEvent } from "react";

import { api, errorsByField, useApiMutation, type FieldError } from "../../../api";
import { ErrorSummary, Field, RadioGroup } from "../../../ui";
import type { Outcome, RequestOut } from "../model";
import { regulationTexts } from "../texts";

const t = regulationTexts;

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

export function CloseCard({ request, onClosed }: { request: RequestOut; onClosed: (outcome: Outcome) => void }) {
  const tc = t.close;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const close = useApiMutation(
    (chosen: Outcome) =>
      api.POST("/api/regulation/requests/{request_id}/close", {
        params: { path: { request_id: request.id } },
        body: { outcome: chosen, note: note.trim() || null },
      }),
    { onSuccess: (_closed, chosen) => onClosed(chosen) },
  );
  const busy = close.isPending;
  const byField = errorsByField([...errors, ...(close.error?.fieldErrors ?? [])]);
  const failed = request.callback_attempts.filter((a) => a.result !== "reached").length;
  const oriented = request.status === "oriented";
  const options = OUTCOMES.filter((o) => o !== "slot_booked" || oriented).map((o) => ({
    value: o,
    label: t.labels.outcome[o],
  }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!outcome || busy) {
      if (!outcome) setErrors([{ field: "outcome", msg: tc.chooseOutcome }]);
      return;
    }
    setErrors([]);
    close.mutate(outcome);
  }

  return (
    <section className="card" aria-labelledby="cloture-title">
      <h2 id="cloture-title">{tc.title}</h2>
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary
          title={tc.errorTitle}
          errors={errors}
          error={close.error}
          fieldIds={{ note: "close-note", outcome: "close-outcome" }}
        />
        <RadioGroup
          id="close-outcome"
          legend={tc.outcome}
          name="close-outcome"
          options={options}
          value={outcome}
          onChange={(v) => {
            setOutcome(v);
            setErrors([]);
            close.reset();
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

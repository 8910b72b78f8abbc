/**
 * After a red flag: how the call reached the 15 (warm transfer, or the patient told to call),
 * recorded once with its time and author; until then, the form.
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, type Schemas } from "../../../api";
import { formatDateTime } from "../../../shell/format";
import { Button, ErrorSummary, Field, Notice, RadioGroup } from "../../../ui";
import { safetyTexts } from "./texts";

type RequestOut = Schemas["RequestOut"];
type Mode = Schemas["Transfer15Mode"];

const t = safetyTexts.transfer;
const MODES: readonly Mode[] = ["warm_transfer", "told_to_call_15"];

export function Transfer15Card({ request, onRecorded }: { request: RequestOut; onRecorded: () => Promise<void> | void }) {
  const [mode, setMode] = useState<Mode>("warm_transfer");
  const [note, setNote] = useState("");
  const record = useApiMutation(
    () =>
      api.POST("/api/regulation/requests/{request_id}/transfer-15", {
        params: { path: { request_id: request.id } },
        body: { mode, note: note.trim() || null },
      }),
    { onSuccess: async () => await onRecorded() },
  );

  if (request.transfer_15_mode && request.transfer_15_at) {
    return (
      <Notice tone="success" className="transfer-15-recorded">
        {t.recorded(t.modes[request.transfer_15_mode], formatDateTime(request.transfer_15_at), request.transfer_15_by_name ?? "")}
      </Notice>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    record.mutate();
  }

  return (
    <form className="transfer-15-form" onSubmit={submit} aria-labelledby="transfer-15-title">
      <h3 id="transfer-15-title">{t.title}</h3>
      <p>{t.intro}</p>
      <ErrorSummary title={t.errorTitle} error={record.error} />
      <RadioGroup
        legend={t.mode}
        name="transfer-15-mode"
        options={MODES.map((value) => ({ value, label: t.modes[value] }))}
        value={mode}
        onChange={setMode}
      />
      <Field label={t.note}>
        {(p) => (
          <input
            id={p.id}
            aria-describedby={p.describedBy}
            aria-invalid={p.invalid}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" busy={record.isPending}>
        {record.isPending ? t.saving : t.submit}
      </Button>
    </form>
  );
}

/**
 * Correct a request's birth date, sex, motif or notes. The server decides the consequences:
 * age, sex or motif changed after triage sends the request back to triage; red-flag words in
 * the notes raise the warning (both shown by `SafetyNotices` once saved).
 */
import { useState, type FormEvent } from "react";

import { api, fieldErrorIn, useApiMutation, type Schemas } from "../../../api";
import { Button, ErrorSummary, InputField, Notice, SelectField, TextAreaField } from "../../../ui";
import { useProtocolDocument } from "../protocol";
import { safetyTexts } from "./texts";

type RequestOut = Schemas["RequestOut"];
type RequestUpdate = Schemas["RequestUpdate"];
type Sex = Schemas["Sex"];

const t = safetyTexts.correct;
const SEXES: readonly Sex[] = ["female", "male", "undetermined"];

export function CorrectDetails({ request, onSaved }: { request: RequestOut; onSaved: () => Promise<void> | void }) {
  const document = useProtocolDocument();
  const [birthDate, setBirthDate] = useState(request.birth_date);
  const [sex, setSex] = useState<Sex>(request.sex);
  const [motif, setMotif] = useState(request.motif ?? "");
  const [notes, setNotes] = useState(request.notes ?? "");
  const [done, setDone] = useState<string | null>(null);
  const [open, setOpen] = useState(false); // the fields exist only while shown

  function changes(): RequestUpdate {
    const body: RequestUpdate = {};
    if (birthDate !== request.birth_date) body.birth_date = birthDate;
    if (sex !== request.sex) body.sex = sex;
    if (motif && motif !== (request.motif ?? "")) body.motif = motif;
    if (notes.trim() !== (request.notes ?? "")) body.notes = notes.trim() || null;
    return body;
  }

  const save = useApiMutation(
    (body: RequestUpdate) =>
      api.PATCH("/api/regulation/requests/{request_id}", { params: { path: { request_id: request.id } }, body }),
    {
      onSuccess: async () => {
        setDone(t.saved);
        await onSaved();
      },
    },
  );
  const error = (field: string) => fieldErrorIn(save.error?.messages ?? [], field);

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = changes();
    if (Object.keys(body).length === 0) {
      setDone(t.nothing);
      return;
    }
    setDone(null);
    save.mutate(body);
  }

  return (
    <details className="card correct-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t.title}</summary>
      {open ? (
        <form onSubmit={submit}>
          <p className="card-note">{t.intro}</p>
          <ErrorSummary title={t.errorTitle} error={save.error} />
          <InputField
            label={t.birthDate}
            error={error("birth_date")}
            type="date"
            value={birthDate}
            onChange={(e) => setBirthDate(e.target.value)}
          />
          <SelectField label={t.sex} error={error("sex")} value={sex} choices={SEXES} labelOf={(value) => t.sexes[value]} onChange={setSex} />
          <SelectField
            label={t.motif}
            error={error("motif")}
            value={motif}
            choices={(document?.motifs ?? []).map((m) => m.id)}
            labelOf={(id) => document?.motifs.find((m) => m.id === id)?.label ?? id}
            onChange={setMotif}
            placeholder="—"
          />
          <TextAreaField
            label={t.notes}
            error={error("notes")}
            rows={3}
            maxLength={2000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
          {done ? <Notice tone="success">{done}</Notice> : null}
          <Button type="submit" variant="primary" busy={save.isPending}>
            {save.isPending ? t.saving : t.submit}
          </Button>
        </form>
      ) : null}
    </details>
  );
}

/**
 * A regulator's decision on a request the protocol sent to them: orientation, priority, delay
 * and a note for the effector. Until it is recorded no slot can be booked (the server refuses).
 */
import { useState, type FormEvent } from "react";

import { api, fieldErrorIn, useApiMutation, type Schemas } from "../../../api";
import { formatDateTime } from "../../../shell/format";
import { Button, ErrorSummary, InputField, Notice, SelectField, TextAreaField } from "../../../ui";
import { safetyTexts } from "./texts";

type RequestOut = Schemas["RequestOut"];
type Decision = Schemas["RegulatorDecisionIn"];

const t = safetyTexts.decision;
const ORIENTATIONS: readonly Decision["orientation"][] = ["AMB", "HH", "VR", "PHARMACIST"];
const PRIORITIES: readonly Decision["priority"][] = ["P2", "P3"];

/** What the decision recorded (any role), shown once there is one. */
export function RegulatorDecisionNote({ request }: { request: RequestOut }) {
  if (!request.regulator_decision_at) return null;
  return (
    <Notice tone="info" block className="regulator-decision">
      <h2 className="notice-title">{t.title}</h2>
      <p>{t.recorded(request.regulator_decision_by_name ?? "", formatDateTime(request.regulator_decision_at))}</p>
      {request.regulator_note ? <p className="regulator-note">{request.regulator_note}</p> : null}
    </Notice>
  );
}

export function RegulatorDecisionCard({ request, onDecided }: { request: RequestOut; onDecided: () => Promise<void> | void }) {
  const [orientation, setOrientation] = useState<Decision["orientation"]>("AMB");
  const [priority, setPriority] = useState<Decision["priority"]>("P2");
  const [hours, setHours] = useState("4");
  const [note, setNote] = useState("");
  const decide = useApiMutation(
    () =>
      api.POST("/api/regulation/requests/{request_id}/regulator-decision", {
        params: { path: { request_id: request.id } },
        body: { orientation, priority, deadline_hours: Number(hours), note },
      }),
    { onSuccess: async () => await onDecided() },
  );
  const error = (field: string) => fieldErrorIn(decide.error?.messages ?? [], field);

  function submit(event: FormEvent) {
    event.preventDefault();
    decide.mutate();
  }

  return (
    <section className="card" aria-labelledby="regulator-decision-title">
      <div className="card-head">
        <h2 id="regulator-decision-title">{t.title}</h2>
      </div>
      <p className="card-note">{t.intro}</p>
      <form onSubmit={submit} className="regulator-decision-form">
        <ErrorSummary title={t.errorTitle} error={decide.error} />
        <SelectField
          label={t.orientation}
          error={error("orientation")}
          value={orientation}
          choices={ORIENTATIONS}
          labelOf={(value) => t.orientations[value]}
          onChange={setOrientation}
        />
        <SelectField
          label={t.priority}
          error={error("priority")}
          value={priority}
          choices={PRIORITIES}
          labelOf={(value) => t.priorities[value]}
          onChange={setPriority}
        />
        <InputField
          label={t.deadline}
          error={error("deadline_hours")}
          type="number"
          min={1}
          max={48}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
        />
        <TextAreaField
          label={t.note}
          error={error("note")}
          rows={3}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <p className="card-note">{t.adviceOnly}</p>
        <Button type="submit" variant="primary" busy={decide.isPending}>
          {decide.isPending ? t.saving : t.submit}
        </Button>
      </form>
    </section>
  );
}

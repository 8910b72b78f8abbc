/** Adding or changing an absence (free slots in it are removed, booked ones kept). */
import { useState, type FormEvent } from "react";

import { api, fieldErrorIn, useApiMutation, type FieldError, type Schemas } from "../../../api";
import { ErrorSummary, InputField, Modal } from "../../../ui";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { hhmm, todayInParis } from "../time";
import { Actions } from "../ui";
import type { Absence } from "./availability";

const a = agendaTexts.absences;

export function AbsenceForm({ absence, onClose, onDone }: { absence: Absence | null; onClose: () => void; onDone: (message: string) => void }) {
  const [start, setStart] = useState(absence?.start_date ?? todayInParis());
  const [end, setEnd] = useState(absence?.end_date ?? "");
  const [reason, setReason] = useState(absence?.reason ?? "");
  const [partial, setPartial] = useState(Boolean(absence?.start_time));
  const [startTime, setStartTime] = useState(absence?.start_time ? hhmm(absence.start_time) : "14:00");
  const [endTime, setEndTime] = useState(absence?.end_time ? hhmm(absence.end_time) : "19:00");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const save = useApiMutation(
    (body: Schemas["AbsenceIn"]) =>
      absence
        ? api.PATCH("/api/agenda/absences/{absence_id}", { params: { path: { absence_id: absence.id } }, body })
        : api.POST("/api/agenda/absences", { body }),
    {
      invalidates: [agendaKeys.absences],
      onSuccess: (saved) => onDone(a.saved(saved.slots_removed, saved.slots_created, saved.booked_kept)),
      onError: (error) => setErrors(error.messages),
    },
  );
  const busy = save.isPending;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!start || !end) {
      setErrors([{ field: start ? "end_date" : "start_date", msg: a.required }]);
      return;
    }
    if (partial && (!startTime || !endTime)) {
      setErrors([{ field: startTime ? "end_time" : "start_time", msg: a.hoursRequired }]);
      return;
    }
    setErrors([]);
    const hours = partial ? { start_time: startTime, end_time: endTime } : { start_time: null, end_time: null };
    save.mutate({ start_date: start, end_date: end, ...hours, reason: reason.trim() || null });
  }

  return (
    <Modal title={absence ? a.formEdit : a.formCreate} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={a.errorTitle} errors={errors} />
        <div className="ag-row">
          <InputField
            label={a.startDate}
            error={fieldErrorIn(errors, "start_date")}
            className="ag-grow"
            type="date"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            required
          />
          <InputField
            label={a.endDate}
            error={fieldErrorIn(errors, "end_date")}
            className="ag-grow"
            type="date"
            value={end}
            min={start}
            onChange={(e) => setEnd(e.target.value)}
            required
          />
        </div>
        <fieldset className="field ag-fieldset">
          <legend>{a.hoursLegend}</legend>
          <div className="ag-checks">
            <label className="checkbox ag-check">
              <input type="radio" name="absence-hours" checked={!partial} onChange={() => setPartial(false)} />
              <span>{a.wholeDays}</span>
            </label>
            <label className="checkbox ag-check">
              <input type="radio" name="absence-hours" checked={partial} onChange={() => setPartial(true)} />
              <span>{a.someHours}</span>
            </label>
          </div>
        </fieldset>
        {partial ? (
          <div className="ag-row">
            <InputField
              label={a.startTime}
              error={fieldErrorIn(errors, "start_time")}
              className="ag-grow"
              type="time"
              value={startTime}
              onChange={(e) => setStartTime(e.target.value)}
              required
            />
            <InputField
              label={a.endTime}
              error={fieldErrorIn(errors, "end_time")}
              className="ag-grow"
              type="time"
              value={endTime}
              onChange={(e) => setEndTime(e.target.value)}
              required
            />
          </div>
        ) : null}
        <InputField
          label={a.reasonField}
          hint={a.reasonHint}
          error={fieldErrorIn(errors, "reason")}
          type="text"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <Actions>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? a.submitting : absence ? a.submitEdit : a.submitCreate}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {a.cancel}
          </button>
        </Actions>
      </form>
    </Modal>
  );
}

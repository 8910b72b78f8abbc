/** Adding or changing an absence (free slots in it are removed, booked ones kept). */
import { useState, type FormEvent } from "react";

import { api, errorsByField, useApiMutation, type FieldError, type Schemas } from "../../../api";
import { ErrorSummary, InputField, Modal, RadioGroup, RangeFields, rangeFieldIds } from "../../../ui";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { hhmm, todayInParis } from "../time";
import { SubmitOrCancel } from "../ui";
import type { Absence } from "./availability";

const a = agendaTexts.absences;
const ID = "absence";
const FIELD_IDS = rangeFieldIds(ID, "start_date", "end_date", "start_time", "end_time");

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
  const byField = errorsByField(errors);
  /** What every range of this form shares: its ids, its errors, its legend read only by screen readers. */
  const inThisForm = { idPrefix: ID, errors: byField, legendHidden: true };

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
        <ErrorSummary title={a.errorTitle} errors={errors} fieldIds={FIELD_IDS} />
        <RangeFields
          legend={a.period}
          {...inThisForm}
          type="date"
          start={{ name: "start_date", label: a.startDate, value: start, onChange: setStart }}
          end={{ name: "end_date", label: a.endDate, value: end, onChange: setEnd }}
          wide
          ordered
          required
        />
        <RadioGroup
          legend={a.hoursLegend}
          name="absence-hours"
          options={[
            { value: false, label: a.wholeDays },
            { value: true, label: a.someHours },
          ]}
          value={partial}
          onChange={setPartial}
        />
        {partial ? (
          <RangeFields
            legend={a.hoursRange}
            {...inThisForm}
            type="time"
            start={{ name: "start_time", label: a.startTime, value: startTime, onChange: setStartTime }}
            end={{ name: "end_time", label: a.endTime, value: endTime, onChange: setEndTime }}
            wide
            required
          />
        ) : null}
        <InputField
          label={a.reasonField}
          hint={a.reasonHint}
          error={byField.reason}
          type="text"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <SubmitOrCancel
          busy={busy}
          submit={absence ? a.submitEdit : a.submitCreate}
          submitting={a.submitting}
          cancel={a.cancel}
          onCancel={onClose}
        />
      </form>
    </Modal>
  );
}

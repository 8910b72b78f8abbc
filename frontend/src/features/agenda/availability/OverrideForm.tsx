/**
 * Changing the hours of one date: the date, the place, the ranges (added and removed) and the
 * slot length; « Voir les changements » asks the server what would change (usual slots removed,
 * booked ones kept, new ones opened), and only then can the change be confirmed.
 */
import { useState, type FormEvent } from "react";

import { api, errorsByField, useApiMutation, type ApiError, type FieldError, type Schemas } from "../../../api";
import { Button, ErrorSummary, InputField, Modal, RangeFields, rangeFieldId } from "../../../ui";
import { SiteField, type EffectorProfile } from "../me";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { slotWhen, todayInParis } from "../time";
import { Actions, SlotMinutesField } from "../ui";

const o = agendaTexts.overrides;

type Range = { key: number; start: string; end: string };
type Body = Schemas["OverrideIn"];

let nextKey = 1;
const newRange = (start: string, end: string): Range => ({ key: nextKey++, start, end });

export function OverrideForm({ me, onClose, onDone }: { me: EffectorProfile; onClose: () => void; onDone: (message: string) => void }) {
  const [day, setDay] = useState("");
  const [siteId, setSiteId] = useState<number>(me.sites[0]?.id ?? 0);
  const [ranges, setRanges] = useState<Range[]>(() => [newRange("09:00", "12:00")]);
  const [slotMinutes, setSlotMinutes] = useState("20");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [previewed, setPreviewed] = useState<string | null>(null);

  const onError = (error: ApiError) => setErrors(error.messages);
  const preview = useApiMutation((body: Body) => api.POST("/api/agenda/overrides/preview", { body }), {
    onError,
    onSuccess: (_, body) => setPreviewed(JSON.stringify(body)),
  });
  const save = useApiMutation((body: Body) => api.POST("/api/agenda/overrides", { body }), {
    invalidates: [agendaKeys.overrides],
    onError,
    onSuccess: (saved) => onDone(o.saved(saved.slots_created, saved.slots_removed, saved.booked_kept)),
  });

  const minutes = Number(slotMinutes);
  const body: Body = {
    site_id: siteId,
    day,
    ranges: ranges.map((r) => ({ start_time: r.start, end_time: r.end })),
    slot_minutes: minutes,
    note: note.trim() || null,
  };
  // The change can be confirmed once what it does was shown for exactly these values.
  const upToDate = preview.data !== undefined && previewed === JSON.stringify(body);
  const byField = errorsByField(errors);
  const fieldIds: Record<string, string> = { day: "ovr-day", slot_minutes: "ovr-slot-minutes" };
  ranges.forEach((_, i) => {
    for (const side of ["start_time", "end_time"]) fieldIds[`ranges.${i}.${side}`] = rangeFieldId(`ovr-range-${i}`, `ranges.${i}.${side}`);
  });

  function checked(): Body | null {
    if (!day) {
      setErrors([{ field: "day", msg: o.required }]);
      return null;
    }
    setErrors([]);
    return body;
  }

  function onPreview() {
    const valid = checked();
    if (valid) preview.mutate(valid);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!upToDate) {
      onPreview();
      return;
    }
    const valid = checked();
    if (valid) save.mutate(valid);
  }

  function setRange(index: number, change: Partial<Range>) {
    setRanges((list) => list.map((r, i) => (i === index ? { ...r, ...change } : r)));
  }

  return (
    <Modal title={o.formTitle} onClose={onClose} wide>
      <form onSubmit={onSubmit} noValidate aria-busy={save.isPending} className="ag-form">
        <ErrorSummary title={o.errorTitle} errors={errors} fieldIds={fieldIds} />
        <div className="ag-row">
          <InputField
            id="ovr-day"
            label={o.dayField}
            error={byField.day}
            className="ag-grow"
            type="date"
            min={todayInParis()}
            value={day}
            onChange={(e) => setDay(e.target.value)}
            required
          />
          <SiteField label={o.siteField} sites={me.sites} value={siteId} onChange={setSiteId} error={byField.site_id} className="ag-grow" />
        </div>
        {ranges.map((range, i) => (
          <RangeFields
            key={range.key}
            legend={o.rangeLegend(i + 1)}
            type="time"
            idPrefix={`ovr-range-${i}`}
            step={300}
            errors={byField}
            ordered
            required
            start={{ name: `ranges.${i}.start_time`, label: o.startTime, value: range.start, onChange: (start) => setRange(i, { start }) }}
            end={{ name: `ranges.${i}.end_time`, label: o.endTime, value: range.end, onChange: (end) => setRange(i, { end }) }}
          >
            <Button
              className="ag-button-danger ag-small ag-range-remove"
              aria-label={o.removeRangeLabel(i + 1)}
              onClick={() => setRanges((list) => list.filter((r) => r.key !== range.key))}
            >
              {o.removeRange}
            </Button>
          </RangeFields>
        ))}
        {ranges.length === 0 ? <p className="card-note">{o.noRange}</p> : null}
        <div className="ag-row">
          <Button
            className="ag-small"
            disabled={ranges.length >= 6}
            onClick={() => setRanges((list) => [...list, newRange(list.length ? "14:00" : "09:00", list.length ? "17:00" : "12:00")])}
          >
            {o.addRange}
          </Button>
        </div>
        <SlotMinutesField
          id="ovr-slot-minutes"
          label={o.slotMinutes}
          error={byField.slot_minutes}
          value={slotMinutes}
          onChange={setSlotMinutes}
          required
        />
        <InputField
          label={o.noteField}
          hint={o.noteHint}
          error={byField.note}
          value={note}
          maxLength={200}
          onChange={(e) => setNote(e.target.value)}
        />
        {upToDate && preview.data ? <OverridePreview preview={preview.data} /> : <p className="card-note">{o.previewFirst}</p>}
        <Actions>
          <button type="button" className="button button-secondary" onClick={onPreview} disabled={preview.isPending}>
            {preview.isPending ? o.previewing : o.preview}
          </button>
          {upToDate ? (
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              {save.isPending ? o.submitting : o.confirm}
            </button>
          ) : null}
          <button type="button" className="button button-secondary" onClick={onClose}>
            {o.cancel}
          </button>
        </Actions>
      </form>
    </Modal>
  );
}

const LISTED = 12;

function When({ slots }: { slots: readonly { start_at: string; end_at: string }[] }) {
  return (
    <ul>
      {slots.slice(0, LISTED).map((s) => (
        <li key={s.start_at}>{slotWhen(s.start_at, s.end_at)}</li>
      ))}
    </ul>
  );
}

function OverridePreview({ preview }: { preview: Schemas["OverridePreview"] }) {
  return (
    <section className="notice notice-info ag-preview" aria-label={o.previewTitle} aria-live="polite">
      <p>{o.added(preview.added.length)}</p>
      <p>{o.removed(preview.removed.length)}</p>
      {preview.removed.length > 0 ? <When slots={preview.removed} /> : null}
      {preview.kept.length > 0 ? (
        <>
          <p>{o.kept(preview.kept.length)}</p>
          <When slots={preview.kept} />
        </>
      ) : null}
      {preview.skipped.length > 0 ? (
        <>
          <p>{o.skipped(preview.skipped.length)}</p>
          <ul>
            {preview.skipped.slice(0, LISTED).map((s) => (
              <li key={s.start_at} data-reason={s.reason}>
                {slotWhen(s.start_at, s.end_at)}
                {"\u00a0: "}
                {s.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

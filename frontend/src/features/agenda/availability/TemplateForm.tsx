/** Adding or changing a recurring availability (the slots it opens are created by the server). */
import { useState, type FormEvent } from "react";

import { api, errorsByField, useApiMutation, type ApiError, type FieldError, type Schemas } from "../../../api";
import { CheckboxGroup, ErrorSummary, Modal, RangeFields, rangeFieldId, rangeFieldIds } from "../../../ui";
import { SiteField, type EffectorProfile } from "../me";
import { agendaKeys } from "../queryKeys";
import { kindOptions, visibilityOptions } from "../SlotDialog";
import { agendaTexts } from "../texts";
import { hhmm, minutesBetween, slotWhen, todayInParis } from "../time";
import { SlotMinutesField, SubmitOrCancel } from "../ui";
import { WEEKDAYS, type Kind, type Template, type Visibility, type Weekday } from "./availability";

const t = agendaTexts.templates;
const ID = "template";
const FIELD_IDS = {
  ...rangeFieldIds(ID, "start_time", "end_time", "slot_minutes", "valid_from", "valid_until"),
  more_ranges: rangeFieldId(`${ID}-second`, "start_time"),
};

export function TemplateForm({
  me,
  template,
  onClose,
  onDone,
}: {
  me: EffectorProfile;
  template: Template | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [weekdays, setWeekdays] = useState<Weekday[]>(
    template ? (template.weekdays.split(",").filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d))) : [],
  );
  const [startTime, setStartTime] = useState(template ? hhmm(template.start_time) : "14:00");
  const [endTime, setEndTime] = useState(template ? hhmm(template.end_time) : "16:00");
  const [slotMinutes, setSlotMinutes] = useState(String(template?.slot_minutes ?? 20));
  const [validFrom, setValidFrom] = useState(template?.valid_from ?? todayInParis());
  const [validUntil, setValidUntil] = useState(template?.valid_until ?? "");
  const [siteId, setSiteId] = useState<number>(template?.site_id ?? me.sites[0]?.id ?? 0);
  const [kinds, setKinds] = useState<Kind[]>(template ? [...template.kinds] : ["AMB"]);
  const [visibility, setVisibility] = useState<Visibility[]>(template ? [...template.visibility] : ["SNP", "CPTS"]);
  const [shared, setShared] = useState(template?.shared_with_sas ?? true);
  const [holidays, setHolidays] = useState(template?.include_public_holidays ?? false);
  const [active, setActive] = useState(template?.active ?? true);
  const [everyOther, setEveryOther] = useState((template?.every_weeks ?? 1) === 2);
  const firstExtra = template?.more_ranges?.[0];
  const [second, setSecond] = useState(Boolean(firstExtra));
  const [secondStart, setSecondStart] = useState(firstExtra ? hhmm(firstExtra.start_time) : "17:00");
  const [secondEnd, setSecondEnd] = useState(firstExtra ? hhmm(firstExtra.end_time) : "19:00");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const options = { invalidates: [agendaKeys.templates], onError: (error: ApiError) => setErrors(error.messages) };
  const create = useApiMutation((body: Schemas["TemplateIn"]) => api.POST("/api/agenda/templates", { body }), {
    ...options,
    onSuccess: (created) => onDone(t.created(created.slots_created)),
  });
  const update = useApiMutation(
    ({ id, body }: { id: number; body: Schemas["TemplatePatch"] }) =>
      api.PATCH("/api/agenda/templates/{template_id}", { params: { path: { template_id: id } }, body }),
    { ...options, onSuccess: (saved) => onDone(t.saved(saved.slots_created, saved.slots_removed)) },
  );
  const preview = useApiMutation((body: Schemas["TemplateIn"]) => api.POST("/api/agenda/templates/preview", { body }));
  const busy = create.isPending || update.isPending;
  const byField = errorsByField(errors);
  /** What every range of this form shares: its ids, its errors, its legend read only by screen readers. */
  const inThisForm = { idPrefix: ID, errors: byField, legendHidden: true };

  const minutes = Number(slotMinutes);
  const span = startTime && endTime ? minutesBetween(startTime, endTime) : 0;
  const perDay = minutes > 0 && span > 0 ? Math.floor(span / minutes) : 0;

  function checked(): Schemas["TemplateIn"] | null {
    const local: FieldError[] = [];
    if (weekdays.length === 0) local.push({ field: "weekdays", msg: t.chooseDay });
    if (kinds.length === 0) local.push({ field: "kinds", msg: agendaTexts.slotForm.chooseKind });
    if (visibility.length === 0) local.push({ field: "visibility", msg: agendaTexts.slotForm.chooseVisibility });
    if (local.length > 0) {
      setErrors(local);
      return null;
    }
    setErrors([]);
    return {
      site_id: siteId,
      weekdays: weekdays.join(","),
      start_time: startTime,
      end_time: endTime,
      slot_minutes: minutes,
      valid_from: validFrom || null,
      valid_until: validUntil || null,
      kinds,
      visibility,
      shared_with_sas: shared,
      include_public_holidays: holidays,
      every_weeks: everyOther ? 2 : 1,
      more_ranges: second ? [{ start_time: secondStart, end_time: secondEnd }] : [],
    };
  }

  function onPreview() {
    const body = checked();
    if (body) preview.mutate(body);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const body = checked();
    if (!body) return;
    if (template) update.mutate({ id: template.id, body: { ...body, active, valid_from: validFrom || template.valid_from } });
    else create.mutate(body);
  }

  return (
    <Modal title={template ? t.formEdit : t.formCreate} onClose={onClose} wide>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={t.errorTitle} errors={errors} fieldIds={FIELD_IDS} />
        <CheckboxGroup
          legend={t.weekdays}
          options={WEEKDAYS.map((d) => ({ value: d, label: agendaTexts.weekdays[d]?.[1] ?? d }))}
          value={weekdays}
          onChange={setWeekdays}
          error={byField.weekdays}
        />
        <RangeFields
          legend={t.hours}
          {...inThisForm}
          type="time"
          start={{ name: "start_time", label: t.startTime, value: startTime, onChange: setStartTime }}
          end={{ name: "end_time", label: t.endTime, value: endTime, onChange: setEndTime }}
          step={300}
          required
        >
          <SlotMinutesField
            id={FIELD_IDS.slot_minutes}
            label={t.slotMinutes}
            hint={perDay > 0 ? t.perDay(perDay) : undefined}
            error={byField.slot_minutes}
            value={slotMinutes}
            onChange={setSlotMinutes}
            required
          />
        </RangeFields>
        <div className="field ag-checklist">
          <label className="checkbox">
            <input type="checkbox" checked={second} onChange={(e) => setSecond(e.target.checked)} />
            {t.secondRange}
          </label>
        </div>
        {second ? (
          <RangeFields
            legend={t.secondRange}
            legendHidden
            type="time"
            idPrefix={`${ID}-second`}
            start={{ name: "start_time", label: t.secondStart, value: secondStart, onChange: setSecondStart, error: byField.more_ranges }}
            end={{ name: "end_time", label: t.secondEnd, value: secondEnd, onChange: setSecondEnd }}
            step={300}
          />
        ) : null}
        <div className="field ag-checklist">
          <label className="checkbox">
            <input type="checkbox" checked={everyOther} onChange={(e) => setEveryOther(e.target.checked)} />
            {t.everyOtherWeek}
          </label>
        </div>
        <RangeFields
          legend={t.validity}
          {...inThisForm}
          type="date"
          start={{ name: "valid_from", label: t.validFrom, value: validFrom, onChange: setValidFrom }}
          end={{ name: "valid_until", label: t.validUntil, hint: t.validUntilHint, value: validUntil, onChange: setValidUntil }}
          wide
          ordered
        />
        <SiteField label={t.siteField} sites={me.sites} value={siteId} onChange={setSiteId} error={byField.site_id} />
        <CheckboxGroup legend={agendaTexts.slotForm.kinds} options={kindOptions} value={kinds} onChange={setKinds} error={byField.kinds} />
        <CheckboxGroup
          legend={agendaTexts.slotForm.visibility}
          hint={agendaTexts.slotForm.visibilityHint}
          options={visibilityOptions}
          value={visibility}
          onChange={setVisibility}
          error={byField.visibility}
        />
        <div className="field ag-checklist">
          <label className="checkbox">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            {agendaTexts.slotForm.sharedWithSas}
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={holidays} onChange={(e) => setHolidays(e.target.checked)} />
            {t.includeHolidays}
          </label>
          {template ? (
            <label className="checkbox">
              <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
              {t.activeField}
            </label>
          ) : null}
        </div>
        <ErrorSummary title={t.previewFailed} error={preview.error} />
        {preview.data ? <PreviewReport preview={preview.data} /> : null}
        <SubmitOrCancel
          busy={busy}
          submit={template ? t.submitEdit : t.submitCreate}
          submitting={t.submitting}
          cancel={t.cancel}
          onCancel={onClose}
        >
          <button type="button" className="button button-secondary" onClick={onPreview} disabled={preview.isPending}>
            {preview.isPending ? t.previewing : t.preview}
          </button>
        </SubmitOrCancel>
      </form>
    </Modal>
  );
}

const LISTED = 10;

function PreviewReport({ preview }: { preview: Schemas["TemplatePreview"] }) {
  return (
    <section className="notice notice-info ag-preview" aria-label={t.previewTitle} aria-live="polite">
      <p>{t.previewSlots(preview.slots)}</p>
      {preview.skipped_count === 0 ? (
        <p>{t.previewNoneSkipped}</p>
      ) : (
        <>
          <p>{t.previewSkipped(preview.skipped_count)}</p>
          <ul>
            {preview.skipped.slice(0, LISTED).map((s) => (
              <li key={s.start_at} data-reason={s.reason}>
                {slotWhen(s.start_at, s.end_at)}{"\u00a0: "}{s.detail}
              </li>
            ))}
          </ul>
          {preview.skipped_count > LISTED ? <p>{t.previewMore(preview.skipped_count - LISTED)}</p> : null}
        </>
      )}
    </section>
  );
}

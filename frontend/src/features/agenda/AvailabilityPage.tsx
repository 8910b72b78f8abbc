/** Recurring availability (weekly templates materialised as slots) and absences. */
import { useState, type FormEvent } from "react";

import { api, type Schemas } from "../../api/client";
import type { FieldError } from "../../api/errors";
import { Card, EmptyState, Loaded, Page } from "../../shell/Page";
import { useApiQuery } from "../../shell/useApi";
import { AgendaTabs } from "./AgendaTabs";
import { siteLabel, siteName, WithMyProfile, type EffectorProfile } from "./me";
import { kindOptions, visibilityOptions } from "./SlotDialog";
import { agendaTexts } from "./texts";
import { formatDate, hhmm, minutesBetween, todayInParis } from "./time";
import { Actions, CheckboxGroup, ErrorSummary, Field, fieldError, Modal, send, Success } from "./ui";
import "./agenda.css";

type Template = Schemas["TemplateOut"];
type Absence = Schemas["AbsenceOut"];
type Kind = Template["kinds"][number];
type Visibility = Template["visibility"][number];

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
type Weekday = (typeof WEEKDAYS)[number];

const t = agendaTexts.templates;
const a = agendaTexts.absences;

export function AvailabilityPage() {
  const tx = agendaTexts.availability;
  return (
    <Page title={tx.title} intro={tx.intro}>
      <AgendaTabs />
      <WithMyProfile>
        {(me) => (
          <>
            <TemplatesCard me={me} />
            <AbsencesCard />
          </>
        )}
      </WithMyProfile>
    </Page>
  );
}

function weekdaysLabel(codes: string): string {
  const list = codes.split(",").filter(Boolean);
  if (list.join(",") === "MO,TU,WE,TH,FR") return t.everyWeekday;
  if (list.length === 7) return t.everyDay;
  return list.map((c) => agendaTexts.weekdays[c]?.[list.length === 1 ? 1 : 0] ?? c).join(", ");
}

function templateSummary(tpl: Template): string {
  return `${weekdaysLabel(tpl.weekdays).toLowerCase()} ${hhmm(tpl.start_time)}–${hhmm(tpl.end_time)}`;
}

// --- Recurring availability ---------------------------------------------------------------------

type TemplateDialog = { mode: "create" } | { mode: "edit"; template: Template } | { mode: "delete"; template: Template };

function TemplatesCard({ me }: { me: EffectorProfile }) {
  const { state, reload } = useApiQuery((signal) => api.GET("/api/agenda/templates", { signal }), []);
  const [dialog, setDialog] = useState<TemplateDialog | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  function done(message: string) {
    setDialog(null);
    setFlash(message);
    reload();
  }

  return (
    <Card
      title={t.title}
      id="ag-templates"
      aside={
        <button
          type="button"
          className="button button-primary"
          disabled={me.sites.length === 0}
          onClick={() => {
            setFlash(null);
            setDialog({ mode: "create" });
          }}
        >
          {t.add}
        </button>
      }
    >
      {me.sites.length === 0 ? <p className="notice notice-warning">{agendaTexts.noSite}</p> : null}
      {flash ? <Success>{flash}</Success> : null}
      <Loaded state={state} onRetry={reload}>
        {(templates) =>
          templates.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <div className="table-scroll ag-stacked" tabIndex={0} role="region" aria-labelledby="ag-templates-table">
              <table>
                <caption id="ag-templates-table" className="visually-hidden">
                  {t.table}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t.days}</th>
                    <th scope="col">{t.hours}</th>
                    <th scope="col">{t.validity}</th>
                    <th scope="col">{t.kinds}</th>
                    <th scope="col">{t.site}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {templates.map((tpl) => (
                    <tr key={tpl.id}>
                      <th scope="row">{weekdaysLabel(tpl.weekdays)}</th>
                      <td className="nowrap">
                        {hhmm(tpl.start_time)}–{hhmm(tpl.end_time)}
                        <span className="cell-sub">{t.minutes(tpl.slot_minutes)}</span>
                      </td>
                      <td>
                        {tpl.valid_until ? t.fromUntil(formatDate(tpl.valid_from), formatDate(tpl.valid_until)) : t.from(formatDate(tpl.valid_from))}
                        <span className="cell-sub">{tpl.include_public_holidays ? t.holidaysIncluded : t.holidaysSkipped}</span>
                      </td>
                      <td>{tpl.kinds.map((k) => agendaTexts.kinds[k]).join(", ")}</td>
                      <td>{siteName(me.sites, tpl.site_id) || "—"}</td>
                      <td>
                        <span className={tpl.active ? "status status-ok" : "status status-off"}>{tpl.active ? t.active : t.inactive}</span>
                      </td>
                      <td>
                        <div className="ag-row-actions">
                          <button
                            type="button"
                            className="button button-secondary ag-small"
                            aria-label={t.editLabel(templateSummary(tpl))}
                            onClick={() => {
                              setFlash(null);
                              setDialog({ mode: "edit", template: tpl });
                            }}
                          >
                            {t.edit}
                          </button>
                          <button
                            type="button"
                            className="button ag-button-danger ag-small"
                            aria-label={t.deleteLabel(templateSummary(tpl))}
                            onClick={() => {
                              setFlash(null);
                              setDialog({ mode: "delete", template: tpl });
                            }}
                          >
                            {t.delete}
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {dialog?.mode === "create" ? <TemplateForm me={me} template={null} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "edit" ? <TemplateForm me={me} template={dialog.template} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "delete" ? <DeleteTemplate template={dialog.template} onClose={() => setDialog(null)} onDone={done} /> : null}
    </Card>
  );
}

function TemplateForm({
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
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  const minutes = Number(slotMinutes);
  const span = startTime && endTime ? minutesBetween(startTime, endTime) : 0;
  const perDay = minutes > 0 && span > 0 ? Math.floor(span / minutes) : 0;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local: FieldError[] = [];
    if (weekdays.length === 0) local.push({ field: "weekdays", msg: t.chooseDay });
    if (kinds.length === 0) local.push({ field: "kinds", msg: agendaTexts.slotForm.chooseKind });
    if (visibility.length === 0) local.push({ field: "visibility", msg: agendaTexts.slotForm.chooseVisibility });
    if (local.length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setErrors([]);
    const body = {
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
    };
    if (template) {
      const outcome = await send(
        api.PATCH("/api/agenda/templates/{template_id}", {
          params: { path: { template_id: template.id } },
          body: { ...body, active, valid_from: validFrom || template.valid_from },
        }),
      );
      setBusy(false);
      if (outcome.ok) onDone(t.saved(outcome.data.slots_created, outcome.data.slots_removed));
      else setErrors(outcome.errors);
      return;
    }
    const outcome = await send(api.POST("/api/agenda/templates", { body }));
    setBusy(false);
    if (outcome.ok) onDone(t.created(outcome.data.slots_created));
    else setErrors(outcome.errors);
  }

  return (
    <Modal title={template ? t.formEdit : t.formCreate} onClose={onClose} wide>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={t.errorTitle} errors={errors} />
        <CheckboxGroup
          legend={t.weekdays}
          options={WEEKDAYS.map((d) => ({ value: d, label: agendaTexts.weekdays[d]?.[1] ?? d }))}
          value={weekdays}
          onChange={setWeekdays}
          error={fieldError(errors, "weekdays")}
        />
        <div className="ag-row">
          <Field label={t.startTime} error={fieldError(errors, "start_time")}>
            {({ id, describedBy, invalid }) => (
              <input id={id} type="time" step={300} value={startTime} onChange={(e) => setStartTime(e.target.value)} required aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
          <Field label={t.endTime} error={fieldError(errors, "end_time")}>
            {({ id, describedBy, invalid }) => (
              <input id={id} type="time" step={300} value={endTime} onChange={(e) => setEndTime(e.target.value)} required aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
          <Field
            label={t.slotMinutes}
            error={fieldError(errors, "slot_minutes")}
            hint={perDay > 0 ? t.perDay(perDay) : undefined}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="number"
                inputMode="numeric"
                min={5}
                max={240}
                step={5}
                value={slotMinutes}
                onChange={(e) => setSlotMinutes(e.target.value)}
                required
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
        </div>
        <div className="ag-row">
          <Field label={t.validFrom} error={fieldError(errors, "valid_from")} className="ag-grow">
            {({ id, describedBy, invalid }) => (
              <input id={id} type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
          <Field label={t.validUntil} hint={t.validUntilHint} error={fieldError(errors, "valid_until")} className="ag-grow">
            {({ id, describedBy, invalid }) => (
              <input id={id} type="date" value={validUntil} min={validFrom} onChange={(e) => setValidUntil(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
        </div>
        <Field label={t.siteField} error={fieldError(errors, "site_id")}>
          {({ id, describedBy, invalid }) => (
            <select id={id} value={siteId} onChange={(e) => setSiteId(Number(e.target.value))} aria-describedby={describedBy} aria-invalid={invalid}>
              {me.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {siteLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <CheckboxGroup legend={agendaTexts.slotForm.kinds} options={kindOptions} value={kinds} onChange={setKinds} error={fieldError(errors, "kinds")} />
        <CheckboxGroup
          legend={agendaTexts.slotForm.visibility}
          hint={agendaTexts.slotForm.visibilityHint}
          options={visibilityOptions}
          value={visibility}
          onChange={setVisibility}
          error={fieldError(errors, "visibility")}
        />
        <div className="field ag-field ag-checklist">
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
        <Actions>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t.submitting : template ? t.submitEdit : t.submitCreate}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t.cancel}
          </button>
        </Actions>
      </form>
    </Modal>
  );
}

function DeleteTemplate({ template, onClose, onDone }: { template: Template; onClose: () => void; onDone: (message: string) => void }) {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  async function onConfirm() {
    setBusy(true);
    const outcome = await send(api.DELETE("/api/agenda/templates/{template_id}", { params: { path: { template_id: template.id } } }));
    setBusy(false);
    if (outcome.ok) onDone(t.deleted(outcome.data.slots_removed));
    else setErrors(outcome.errors);
  }
  return (
    <Modal title={t.confirmDelete} onClose={onClose}>
      <ErrorSummary title={t.failed} errors={errors} />
      <p>{t.confirmDeleteBody(templateSummary(template))}</p>
      <Actions>
        <button type="button" className="button ag-button-danger" onClick={onConfirm} disabled={busy}>
          {t.confirm}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t.cancel}
        </button>
      </Actions>
    </Modal>
  );
}

// --- Absences -----------------------------------------------------------------------------------

type AbsenceDialog = { mode: "create" } | { mode: "edit"; absence: Absence } | { mode: "delete"; absence: Absence };

function absencePeriod(absence: Absence): string {
  return a.period_(formatDate(absence.start_date), formatDate(absence.end_date));
}

function AbsencesCard() {
  const { state, reload } = useApiQuery((signal) => api.GET("/api/agenda/absences", { signal }), []);
  const [dialog, setDialog] = useState<AbsenceDialog | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  function done(message: string) {
    setDialog(null);
    setFlash(message);
    reload();
  }

  return (
    <Card
      title={a.title}
      id="ag-absences"
      aside={
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setFlash(null);
            setDialog({ mode: "create" });
          }}
        >
          {a.add}
        </button>
      }
    >
      {flash ? <Success>{flash}</Success> : null}
      <Loaded state={state} onRetry={reload}>
        {(absences) =>
          absences.length === 0 ? (
            <EmptyState>{a.empty}</EmptyState>
          ) : (
            <div className="table-scroll ag-stacked" tabIndex={0} role="region" aria-labelledby="ag-absences-table">
              <table>
                <caption id="ag-absences-table" className="visually-hidden">
                  {a.table}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{a.period}</th>
                    <th scope="col">{a.reason}</th>
                    <th scope="col">
                      <span className="visually-hidden">{a.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...absences]
                    .sort((x, y) => x.start_date.localeCompare(y.start_date))
                    .map((absence) => (
                      <tr key={absence.id}>
                        <th scope="row">{absencePeriod(absence)}</th>
                        <td>{absence.reason ?? "—"}</td>
                        <td>
                          <div className="ag-row-actions">
                            <button
                              type="button"
                              className="button button-secondary ag-small"
                              aria-label={a.editLabel(absencePeriod(absence))}
                              onClick={() => {
                                setFlash(null);
                                setDialog({ mode: "edit", absence });
                              }}
                            >
                              {a.edit}
                            </button>
                            <button
                              type="button"
                              className="button ag-button-danger ag-small"
                              aria-label={a.deleteLabel(absencePeriod(absence))}
                              onClick={() => {
                                setFlash(null);
                                setDialog({ mode: "delete", absence });
                              }}
                            >
                              {a.delete}
                            </button>
                          </div>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {dialog?.mode === "create" ? <AbsenceForm absence={null} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "edit" ? <AbsenceForm absence={dialog.absence} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "delete" ? <DeleteAbsence absence={dialog.absence} onClose={() => setDialog(null)} onDone={done} /> : null}
    </Card>
  );
}

function AbsenceForm({ absence, onClose, onDone }: { absence: Absence | null; onClose: () => void; onDone: (message: string) => void }) {
  const [start, setStart] = useState(absence?.start_date ?? todayInParis());
  const [end, setEnd] = useState(absence?.end_date ?? "");
  const [reason, setReason] = useState(absence?.reason ?? "");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!start || !end) {
      setErrors([{ field: start ? "end_date" : "start_date", msg: a.required }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    const body = { start_date: start, end_date: end, reason: reason.trim() || null };
    const outcome = absence
      ? await send(api.PATCH("/api/agenda/absences/{absence_id}", { params: { path: { absence_id: absence.id } }, body }))
      : await send(api.POST("/api/agenda/absences", { body }));
    setBusy(false);
    if (outcome.ok) onDone(a.saved(outcome.data.slots_removed, outcome.data.slots_created, outcome.data.booked_kept));
    else setErrors(outcome.errors);
  }

  return (
    <Modal title={absence ? a.formEdit : a.formCreate} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={a.errorTitle} errors={errors} />
        <div className="ag-row">
          <Field label={a.startDate} error={fieldError(errors, "start_date")} className="ag-grow">
            {({ id, describedBy, invalid }) => (
              <input id={id} type="date" value={start} onChange={(e) => setStart(e.target.value)} required aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
          <Field label={a.endDate} error={fieldError(errors, "end_date")} className="ag-grow">
            {({ id, describedBy, invalid }) => (
              <input id={id} type="date" value={end} min={start} onChange={(e) => setEnd(e.target.value)} required aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
        </div>
        <Field label={a.reasonField} hint={a.reasonHint} error={fieldError(errors, "reason")}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="text" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
          )}
        </Field>
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

function DeleteAbsence({ absence, onClose, onDone }: { absence: Absence; onClose: () => void; onDone: (message: string) => void }) {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  async function onConfirm() {
    setBusy(true);
    const outcome = await send(api.DELETE("/api/agenda/absences/{absence_id}", { params: { path: { absence_id: absence.id } } }));
    setBusy(false);
    if (outcome.ok) onDone(a.deleted(outcome.data.slots_created ?? 0));
    else setErrors(outcome.errors);
  }
  return (
    <Modal title={a.confirmDelete} onClose={onClose}>
      <ErrorSummary title={a.failed} errors={errors} />
      <p>{a.confirmDeleteBody(absencePeriod(absence))}</p>
      <Actions>
        <button type="button" className="button ag-button-danger" onClick={onConfirm} disabled={busy}>
          {a.confirm}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {a.cancel}
        </button>
      </Actions>
    </Modal>
  );
}

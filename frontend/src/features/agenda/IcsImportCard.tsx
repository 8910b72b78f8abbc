/** ICS upload with choices: the site, kinds, visibility, SAS sharing, all-day events converted
 * into chosen hours or ignored; a preview (nothing written) lists what would be created and
 * what would be skipped with why, then « Importer » applies the same choices. */
import { useState, type FormEvent } from "react";

import { api, errorsByField, sendingFile, useApiMutation, type FieldError, type Schemas } from "../../api";
import { Card } from "../../shell/Page";
import { CheckboxGroup, DataTable, ErrorSummary, Modal, Notice, RangeFields, rangeFieldIds, SelectField, type Column } from "../../ui";
import type { Kind, Visibility } from "./availability/availability";
import { SiteField, type EffectorProfile } from "./me";
import { agendaKeys } from "./queryKeys";
import { kindOptions, visibilityOptions } from "./SlotDialog";
import { agendaTexts } from "./texts";
import { slotWhen } from "./time";
import { Actions, FilePicker, SlotMinutesField } from "./ui";

type IcsReport = Schemas["IcsImportReport"];
type IcsPreview = Schemas["IcsPreview"];
type AllDay = "ignore" | "convert";

interface PreviewRow {
  start_at: string;
  end_at: string;
  action: "create" | "skip";
  reason: string;
}

const t = agendaTexts.calendars;
const ALL_DAY: readonly AllDay[] = ["ignore", "convert"];
const LISTED = 200;
const ID = "ics";
const FIELD_IDS = rangeFieldIds(ID, "all_day_start", "all_day_end", "all_day_slot_minutes");

// The typed body says `file: string` and the options' defaults; the real body is the FormData
// built from the choices (`bodySerializer`).
const typedBody = { file: "", all_day: "ignore", all_day_start: "08:00", all_day_end: "12:00", shared_with_sas: true } as const;

const previewUpload = (form: FormData) =>
  sendingFile(api.POST("/api/agenda/ics/import/preview", { body: typedBody, bodySerializer: () => form }));
const importUpload = (form: FormData) => sendingFile(api.POST("/api/agenda/ics/import", { body: typedBody, bodySerializer: () => form }));

export function IcsImportCard({ me }: { me: EffectorProfile }) {
  const [file, setFile] = useState<File | null>(null);
  const [siteId, setSiteId] = useState<number>(me.sites[0]?.id ?? 0);
  const [kinds, setKinds] = useState<Kind[]>(["AMB"]);
  const [visibility, setVisibility] = useState<Visibility[]>(["SNP", "CPTS"]);
  const [shared, setShared] = useState(true);
  const [allDay, setAllDay] = useState<AllDay>("ignore");
  const [allDayStart, setAllDayStart] = useState("08:00");
  const [allDayEnd, setAllDayEnd] = useState("12:00");
  const [allDayMinutes, setAllDayMinutes] = useState("20");
  const [preview, setPreview] = useState<IcsPreview | null>(null);
  const [report, setReport] = useState<IcsReport | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const onError = (error: { messages: FieldError[] }) => setErrors(error.messages);
  const previewing = useApiMutation(previewUpload, {
    onSuccess: setPreview,
    onError,
  });
  const importing = useApiMutation(importUpload, {
    invalidates: [agendaKeys.all],
    onSuccess: (done) => {
      setPreview(null);
      setReport(done);
    },
    onError: (error) => {
      setPreview(null);
      onError(error);
    },
  });
  const busy = previewing.isPending || importing.isPending;
  const byField = errorsByField(errors);

  function changed<V>(set: (value: V) => void) {
    return (value: V) => {
      set(value);
      setReport(null);
    };
  }

  function form(): FormData | null {
    const local: FieldError[] = [];
    if (!file) local.push({ field: "file", msg: t.chooseFile });
    if (kinds.length === 0) local.push({ field: "kinds", msg: agendaTexts.slotForm.chooseKind });
    if (visibility.length === 0) local.push({ field: "visibility", msg: agendaTexts.slotForm.chooseVisibility });
    setErrors(local);
    if (local.length > 0 || !file) return null;
    const data = new FormData();
    data.append("file", file);
    data.append("effector_id", String(me.id));
    if (siteId) data.append("site_id", String(siteId));
    for (const kind of kinds) data.append("kinds", kind);
    for (const audience of visibility) data.append("visibility", audience);
    data.append("shared_with_sas", String(shared));
    data.append("all_day", allDay);
    if (allDay === "convert") {
      data.append("all_day_start", allDayStart);
      data.append("all_day_end", allDayEnd);
      data.append("all_day_slot_minutes", allDayMinutes);
    }
    return data;
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setReport(null);
    const data = form();
    if (data) previewing.mutate(data);
  }

  function onImport() {
    const data = form();
    if (data) importing.mutate(data);
  }

  return (
    <Card title={t.uploadTitle} id="ag-upload">
      <p>{t.uploadIntro(t.uploadMarker)}</p>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={t.uploadFailed} errors={errors} fieldIds={FIELD_IDS} />
        <div className="ag-row">
          <FilePicker
            label={t.file}
            accept=".ics,text/calendar"
            file={file}
            onChange={changed(setFile)}
            error={byField.file}
            className="ag-grow"
          />
          {me.sites.length > 1 ? (
            <SiteField label={t.site} sites={me.sites} value={siteId} onChange={changed(setSiteId)} error={byField.site_id} className="ag-grow" />
          ) : null}
        </div>
        <CheckboxGroup legend={agendaTexts.slotForm.kinds} options={kindOptions} value={kinds} onChange={changed(setKinds)} error={byField.kinds} />
        <CheckboxGroup
          legend={agendaTexts.slotForm.visibility}
          hint={agendaTexts.slotForm.visibilityHint}
          options={visibilityOptions}
          value={visibility}
          onChange={changed(setVisibility)}
          error={byField.visibility}
        />
        <div className="field ag-checklist">
          <label className="checkbox">
            <input type="checkbox" checked={shared} onChange={(e) => changed(setShared)(e.target.checked)} />
            {agendaTexts.slotForm.sharedWithSas}
          </label>
        </div>
        <SelectField
          label={t.allDay}
          hint={t.allDayHint}
          value={allDay}
          choices={ALL_DAY}
          labelOf={(choice) => t.allDayChoices[choice]}
          onChange={changed(setAllDay)}
          error={byField.all_day}
        />
        {allDay === "convert" ? (
          <RangeFields
            legend={t.allDayRange}
            legendHidden
            type="time"
            idPrefix={ID}
            errors={byField}
            start={{ name: "all_day_start", label: t.allDayStart, value: allDayStart, onChange: changed(setAllDayStart) }}
            end={{ name: "all_day_end", label: t.allDayEnd, value: allDayEnd, onChange: changed(setAllDayEnd) }}
            step={300}
          >
            <SlotMinutesField
              id={FIELD_IDS.all_day_slot_minutes}
              label={t.allDayMinutes}
              error={byField.all_day_slot_minutes}
              value={allDayMinutes}
              onChange={changed(setAllDayMinutes)}
            />
          </RangeFields>
        ) : null}
        <Actions>
          <button type="submit" className="button button-primary" disabled={busy || me.sites.length === 0}>
            {previewing.isPending ? t.previewing : t.preview}
          </button>
        </Actions>
      </form>
      {report ? <ImportReport report={report} /> : null}
      {preview ? (
        <Modal title={t.previewTitle} onClose={() => setPreview(null)} wide>
          <PreviewTable preview={preview} />
          <Actions>
            <button type="button" className="button button-primary" onClick={onImport} disabled={busy}>
              {importing.isPending ? t.uploading : t.upload}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setPreview(null)}>
              {t.previewBack}
            </button>
          </Actions>
        </Modal>
      ) : null}
    </Card>
  );
}

const columns: readonly Column<PreviewRow>[] = [
  { key: "when", header: t.previewWhen, rowHeader: true, cell: (row) => slotWhen(row.start_at, row.end_at) },
  { key: "action", header: t.previewAction, cell: (row) => (row.action === "create" ? t.previewCreate : t.previewSkip) },
  { key: "reason", header: t.previewReason, cell: (row) => row.reason },
];

function PreviewTable({ preview }: { preview: IcsPreview }) {
  const rows: PreviewRow[] = [
    ...preview.created.map((s) => ({ ...s, action: "create" as const, reason: "" })),
    ...preview.skipped.map((s) => ({ start_at: s.start_at, end_at: s.end_at, action: "skip" as const, reason: s.detail })),
  ].sort((a, b) => a.start_at.localeCompare(b.start_at));
  const listed = preview.created.length + preview.skipped.length;
  const total = preview.to_create + preview.skipped_count;
  return (
    <section aria-live="polite" className="ag-preview">
      <Notice tone="info">
        {t.previewSummary(preview.to_create, preview.unchanged, preview.to_remove, preview.skipped_count)}{" "}
        {t.previewAllDay(preview.all_day_ignored, preview.all_day_converted)}
      </Notice>
      {rows.length > 0 ? (
        <DataTable
          caption={t.previewCaption}
          columns={columns}
          rows={rows}
          rowKey={(row) => `${row.action}-${row.start_at}-${row.end_at}`}
          rowProps={(row) => ({ "data-action": row.action })}
        />
      ) : null}
      {total > listed ? <p className="muted">{t.previewMore(Math.min(LISTED, listed), total)}</p> : null}
    </section>
  );
}

function ImportReport({ report }: { report: IcsReport }) {
  const facts: [string, number][] = [
    [t.reportEvents, report.events],
    [t.reportSlots, report.slots],
    [t.reportCreated, report.created],
    [t.reportUnchanged, report.unchanged],
    [t.reportRemoved, report.removed],
    [t.reportSkipped, report.skipped],
    [t.reportAllDayIgnored, report.all_day_ignored ?? 0],
    [t.reportAllDayConverted, report.all_day_converted ?? 0],
  ];
  return (
    <section aria-labelledby="ag-ics-report" className="ag-report" role="status">
      <h3 id="ag-ics-report">{t.report}</h3>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/**
 * Territory and directory from public data: the official communes file (preview, apply), then
 * the Annuaire Santé extraction, read by a background job whose progress the page polls, with
 * its preview (added, changed, left) before applying.
 */
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, fieldErrorIn, sendingFile, useApiMutation, useApiQuery, type FieldError, type Schemas } from "../../api";
import { Card, Page } from "../../shell/Page";
import { ErrorSummary, InputField, Notice } from "../../ui";
import { Actions, agendaKeys, FilePicker } from "../agenda";
import { COORDINATION_PATHS } from "./paths";
import { publicDataTexts } from "./publicDataTexts";
import { coordinationKeys } from "./queryKeys";
import "./coordination.css";

type CommunesPreview = Schemas["CommunesPreview"];
type Job = Schemas["AnnuaireJobOut"];

const t = publicDataTexts;
const numbers = new Intl.NumberFormat("fr-FR");

function upload(file: File): FormData {
  const form = new FormData();
  form.append("file", file);
  return form;
}

export function PublicDataPage() {
  return (
    <Page title={t.title} intro={t.intro}>
      <p>
        <Link to={COORDINATION_PATHS.directory}>← {t.back}</Link>
      </p>
      <CommunesCard />
      <AnnuaireCard />
    </Page>
  );
}

function CommunesCard() {
  const tc = t.communes;
  const [file, setFile] = useState<File | null>(null);
  const [keep, setKeep] = useState("");
  const [preview, setPreview] = useState<CommunesPreview | null>(null);
  const [applied, setApplied] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);

  const send = useApiMutation(
    ({ form, apply }: { form: FormData; apply: boolean }) =>
      sendingFile(
        api.POST("/api/territory/communes/import", {
          params: { query: { apply, ...(keep.trim() ? { keep: keep.trim() } : {}) } },
          body: { file: "" },
          bodySerializer: () => form,
        }),
      ),
    {
      invalidates: [coordinationKeys.all, ["shell"]],
      onSuccess: (data, { apply }) => {
        setPreview(data);
        setApplied(apply);
        setErrors([]);
      },
      onError: (error) => setErrors(error.messages),
    },
  );

  function submit(apply: boolean) {
    setApplied(false);
    if (!file) {
      setErrors([{ field: "file", msg: tc.chooseFile }]);
      return;
    }
    send.mutate({ form: upload(file), apply });
  }

  function onPreview(event: FormEvent) {
    event.preventDefault();
    setPreview(null);
    submit(false);
  }

  return (
    <Card title={tc.card} id="pd-communes">
      <p className="muted">{tc.help}</p>
      <form onSubmit={onPreview} noValidate aria-busy={send.isPending} className="ag-form">
        <ErrorSummary title={tc.failed} errors={errors} />
        <FilePicker
          label={tc.file}
          accept=".csv,text/csv"
          file={file}
          error={fieldErrorIn(errors, "file")}
          onChange={(f) => {
            setFile(f);
            setPreview(null);
            setApplied(false);
            setErrors([]);
          }}
        />
        <InputField label={tc.keep} hint={tc.keepHint} value={keep} maxLength={2000} onChange={(e) => setKeep(e.target.value)} />
        <Actions>
          <button type="submit" className="button button-secondary" disabled={send.isPending}>
            {send.isPending && !preview ? tc.previewing : tc.preview}
          </button>
          {preview && !applied ? (
            <button type="button" className="button button-primary" disabled={send.isPending} onClick={() => submit(true)}>
              {send.isPending ? tc.applying : tc.apply}
            </button>
          ) : null}
        </Actions>
      </form>
      {preview ? (
        <section aria-label={tc.card} role="status" data-testid="communes-preview">
          {applied ? <Notice tone="success">{tc.applied}</Notice> : null}
          <p>
            <strong>{tc.counts(preview.added_count, preview.changed_count, preview.unchanged_count)}</strong>
          </p>
          {preview.added.length > 0 ? (
            <div className="table-scroll">
              <table>
                <caption>{tc.added}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tc.insee}</th>
                    <th scope="col">{tc.name}</th>
                    <th scope="col">{tc.postal}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.added.map((c) => (
                    <tr key={c.insee_code}>
                      <td>{c.insee_code}</td>
                      <td>{c.name}</td>
                      <td>{(c.postal_codes ?? []).join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {preview.changed.length > 0 ? (
            <div className="table-scroll">
              <table>
                <caption>{tc.changed}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tc.insee}</th>
                    <th scope="col">{tc.name}</th>
                    <th scope="col">{tc.fields}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.changed.map((c) => (
                    <tr key={c.commune.insee_code}>
                      <td>{c.commune.insee_code}</td>
                      <td>{c.commune.name}</td>
                      <td>{c.fields.join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </Card>
  );
}

const PROFESSIONS = ["gp", "nurse", "pharmacist"] as const;

function AnnuaireCard() {
  const ta = t.annuaire;
  const [file, setFile] = useState<File | null>(null);
  const [professions, setProfessions] = useState<string[]>(["gp"]);
  const [jobId, setJobId] = useState<number | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);

  const job = useApiQuery(
    [...coordinationKeys.all, "annuaire-job", jobId],
    (signal) => api.GET("/api/agenda/annuaire/imports/{job_id}", { params: { path: { job_id: jobId ?? 0 } }, signal }),
    {
      enabled: jobId !== null,
      // The job runs in the background: its progress is polled while it reads or writes.
      refetchInterval: (query) => (query.state.data && ["ready", "done", "failed", "discarded"].includes(query.state.data.status) ? false : 1000),
    },
  );

  const start = useApiMutation(
    (form: FormData) =>
      sendingFile(
        api.POST("/api/agenda/annuaire/imports", {
          params: { query: { professions: professions.join(",") } },
          body: { file: "" },
          bodySerializer: () => form,
        }),
      ),
    {
      onSuccess: (data) => {
        setJobId(data.id);
        setErrors([]);
      },
      onError: (error) => setErrors(error.messages),
    },
  );
  const step = useApiMutation(
    ({ id, action }: { id: number; action: "apply" | "discard" }) =>
      action === "apply"
        ? api.POST("/api/agenda/annuaire/imports/{job_id}/apply", { params: { path: { job_id: id } } })
        : api.POST("/api/agenda/annuaire/imports/{job_id}/discard", { params: { path: { job_id: id } } }),
    {
      invalidates: [[...coordinationKeys.all, "annuaire-job"], agendaKeys.effectors],
      onError: (error) => setErrors(error.messages),
    },
  );

  function onStart(event: FormEvent) {
    event.preventDefault();
    setJobId(null);
    if (!file) {
      setErrors([{ field: "file", msg: ta.chooseFile }]);
      return;
    }
    start.mutate(upload(file));
  }

  const current: Job | undefined = job.data;
  return (
    <Card title={ta.card} id="pd-annuaire">
      <p className="muted">{ta.help}</p>
      <form onSubmit={onStart} noValidate aria-busy={start.isPending} className="ag-form">
        <ErrorSummary title={ta.failed} errors={errors} />
        <FilePicker
          label={ta.file}
          accept=".txt,.csv,text/plain"
          file={file}
          error={fieldErrorIn(errors, "file")}
          onChange={(f) => {
            setFile(f);
            setJobId(null);
            setErrors([]);
          }}
        />
        <fieldset className="pd-professions">
          <legend>{ta.professions}</legend>
          {PROFESSIONS.map((p) => (
            <label key={p}>
              <input
                type="checkbox"
                checked={professions.includes(p)}
                onChange={(e) => setProfessions((all) => (e.target.checked ? [...all, p] : all.filter((x) => x !== p)))}
              />{" "}
              {ta[p]}
            </label>
          ))}
        </fieldset>
        <Actions>
          <button type="submit" className="button button-primary" disabled={start.isPending || current?.status === "previewing" || current?.status === "applying"}>
            {start.isPending ? ta.starting : ta.start}
          </button>
        </Actions>
      </form>
      {current ? <JobView job={current} busy={step.isPending} onStep={(action) => step.mutate({ id: current.id, action })} /> : null}
    </Card>
  );
}

function JobView({ job, busy, onStep }: { job: Job; busy: boolean; onStep: (action: "apply" | "discard") => void }) {
  const ta = t.annuaire;
  if (job.status === "failed") return <Notice tone="error">{job.error ?? ta.failed}</Notice>;
  if (job.status === "discarded") return <Notice tone="info">{ta.discarded}</Notice>;
  if (job.status === "previewing" || job.status === "applying") {
    const percent = job.file_bytes ? Math.min(100, Math.round((job.bytes_read / job.file_bytes) * 100)) : 0;
    return (
      <div role="status" data-testid="annuaire-progress">
        <p>{job.status === "applying" ? ta.applyingTitle : ta.progress(numbers.format(job.lines_read), percent)}</p>
        <progress max={100} value={job.status === "applying" ? undefined : percent} />
      </div>
    );
  }
  const preview = job.preview;
  return (
    <section aria-label={ta.previewTitle} data-testid="annuaire-preview">
      {job.status === "done" && job.report ? (
        <Notice tone="success">
          {ta.done(job.report.created ?? 0, job.report.updated ?? 0, job.report.unchanged ?? 0)}{" "}
          {job.report.geocoded !== undefined ? ta.geocoded(job.report.geocoded) : null}
          {job.report.geocoding_failed ? ta.geocodingFailed : null}
        </Notice>
      ) : null}
      {preview ? (
        <>
          <h3>{ta.previewTitle}</h3>
          <p>{ta.summary(numbers.format(preview.lines_read), numbers.format(preview.lines_kept))}</p>
          <dl className="pd-counts">
            <div>
              <dt>{ta.added}</dt>
              <dd data-testid="count-added">{preview.added_count}</dd>
            </div>
            <div>
              <dt>{ta.changed}</dt>
              <dd data-testid="count-changed">{preview.changed_count}</dd>
            </div>
            <div>
              <dt>{ta.unchanged}</dt>
              <dd data-testid="count-unchanged">{preview.unchanged_count}</dd>
            </div>
            <div>
              <dt>{ta.left}</dt>
              <dd data-testid="count-left">{preview.left_count}</dd>
            </div>
            <div>
              <dt>{ta.rejected}</dt>
              <dd data-testid="count-rejected">{preview.rejected_count}</dd>
            </div>
          </dl>
          <EntryTable caption={ta.added} entries={preview.added} total={preview.added_count} />
          {preview.changed.length > 0 ? (
            <div className="table-scroll">
              <table>
                <caption>{ta.changed}</caption>
                <thead>
                  <tr>
                    <th scope="col">{ta.name}</th>
                    <th scope="col">{ta.fields}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.changed.map((c) => (
                    <tr key={c.entry.rpps}>
                      <td>{c.entry.name}</td>
                      <td>{c.fields.join(" ; ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <EntryTable caption={ta.left} entries={preview.left} total={preview.left_count} />
          {preview.rejected.length > 0 ? (
            <details>
              <summary>
                {ta.rejected} ({preview.rejected_count})
              </summary>
              <ul>
                {preview.rejected.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
      {job.status === "ready" ? (
        <Actions>
          <button type="button" className="button button-primary" disabled={busy} onClick={() => onStep("apply")}>
            {ta.apply}
          </button>
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => onStep("discard")}>
            {ta.discard}
          </button>
        </Actions>
      ) : null}
    </section>
  );
}

function EntryTable({ caption, entries, total }: { caption: string; entries: readonly Schemas["AnnuaireEntry"][]; total: number }) {
  const ta = t.annuaire;
  if (entries.length === 0) return null;
  return (
    <div className="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{ta.name}</th>
            <th scope="col">{ta.profession}</th>
            <th scope="col">{ta.communes}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.rpps}>
              <td>{e.name}</td>
              <td>{e.profession}</td>
              <td>{e.communes.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length < total ? <p className="muted">{ta.more(entries.length, total)}</p> : null}
    </div>
  );
}

/**
 * Protocol versions (/coordination/protocole), for the coordination and the regulators: the
 * list, uploading a YAML draft (problems shown with their place in the document), the diff
 * against the version in force and the clinical checks, the physician's approval (regulators,
 * with a reason; never the author: the server refuses it), then publishing an approved version.
 */
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from "react";

import { api, type Schemas } from "../../../api/client";
import { useUser } from "../../../shell/auth";
import { formatDateTime } from "../../../shell/format";
import { EmptyState, Loaded, Loading, Page } from "../../../shell/Page";
import { describeFailure } from "../../../shell/useApi";
import { perform } from "../../regulation/model";
import { useRefreshing } from "../../regulation/useRefreshing";
import { ApproveButton } from "./ApproveButton";
import { ChecksPanel } from "./ChecksPanel";
import { parseUnifiedDiff } from "./diff";
import { protocolTexts as t } from "./texts";

import "./protocols.css";

type Summary = Schemas["ProtocolVersionSummary"];
type Version = Schemas["ProtocolVersionOut"];
type Status = Schemas["ProtocolStatus"];

export function ProtocolsPage() {
  const { state, reload } = useRefreshing(() => api.GET("/api/regulation/protocols"), "protocols");
  const [selected, setSelected] = useState<number | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const items = state.status === "ok" ? state.data.items : [];
  const current = items.find((v) => v.status === "published") ?? null;

  return (
    <Page title={t.title} intro={t.intro}>
      {flash ? (
        <p className="notice notice-success" role="status">
          {flash}
        </p>
      ) : null}
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{t.list.title}</h2>
        <Loaded state={state} onRetry={reload}>
          {({ items: versions }) =>
            versions.length === 0 ? (
              <EmptyState>{t.list.empty}</EmptyState>
            ) : (
              <VersionTable versions={versions} selected={selected} onSelect={setSelected} />
            )
          }
        </Loaded>
      </section>

      {selected !== null ? (
        <VersionPanel
          key={selected}
          number={selected}
          currentNumber={current?.number ?? null}
          onClose={() => setSelected(null)}
          onPublished={(n) => {
            setFlash(t.publish.done(n));
            reload();
          }}
          onApproved={(n) => {
            setFlash(t.approve.done(n));
            reload();
          }}
        />
      ) : null}

      <UploadCard
        currentNumber={current?.number ?? null}
        onUploaded={(version) => {
          setFlash(t.upload.done(version.number));
          setSelected(version.number);
          reload();
        }}
      />
    </Page>
  );
}

function StatusTag({ status }: { status: Status }) {
  return <span className={`proto-status proto-status-${status}`}>{t.status[status]}</span>;
}

function VersionTable({
  versions,
  selected,
  onSelect,
}: {
  versions: readonly Summary[];
  selected: number | null;
  onSelect: (n: number) => void;
}) {
  const tl = t.list;
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{tl.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{tl.number}</th>
            <th scope="col">{tl.titleColumn}</th>
            <th scope="col">{tl.status}</th>
            <th scope="col">{tl.author}</th>
            <th scope="col">{tl.created}</th>
            <th scope="col">{tl.approved}</th>
            <th scope="col">{tl.published}</th>
            <th scope="col">
              <span className="visually-hidden">{tl.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.number} className={selected === v.number ? "row-selected" : undefined}>
              <th scope="row">{v.number}</th>
              <td>
                {v.title}
                {v.note ? <span className="cell-sub">{v.note}</span> : null}
              </td>
              <td>
                <StatusTag status={v.status} />
              </td>
              <td>{v.author_name}</td>
              <td className="nowrap">{formatDateTime(v.created_at)}</td>
              <td>
                {v.approved_by_name ?? "—"}
                {v.approved_at ? <span className="cell-sub">{formatDateTime(v.approved_at)}</span> : null}
              </td>
              <td className="nowrap">{v.published_at ? formatDateTime(v.published_at) : "—"}</td>
              <td>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => onSelect(v.number)}
                  aria-label={tl.viewLabel(v.number)}
                  aria-pressed={selected === v.number}
                >
                  {tl.view}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function VersionPanel({
  number,
  currentNumber,
  onClose,
  onPublished,
  onApproved,
}: {
  number: number;
  currentNumber: number | null;
  onClose: () => void;
  onPublished: (n: number) => void;
  onApproved: (n: number) => void;
}) {
  const tv = t.version;
  const user = useUser();
  const [tab, setTab] = useState<"diff" | "checks" | "text">("diff");
  const checks = useRefreshing(
    () => api.GET("/api/regulation/protocols/{number}/checks", { params: { path: { number } } }),
    `c${number}`,
  );
  const approvable = checks.state.status === "ok" && checks.state.data.approvable;
  const version = useRefreshing(
    () => api.GET("/api/regulation/protocols/{number}", { params: { path: { number } } }),
    `v${number}`,
  );
  const diff = useRefreshing(
    () => api.GET("/api/regulation/protocols/{number}/diff", { params: { path: { number } } }),
    `d${number}`,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <section className="card version-panel" aria-labelledby="version-title">
      <Loaded state={version.state} onRetry={version.reload}>
        {(v) => (
          <>
            <div className="card-head">
              <h2 id="version-title" ref={heading} tabIndex={-1}>
                {tv.title(v.number, t.status[v.status])}
              </h2>
              <div className="inline-actions">
                {v.status === "draft" && user.role === "regulator" ? (
                  <ApproveButton
                    version={v}
                    approvable={approvable}
                    onApproved={() => {
                      version.reload();
                      onApproved(v.number);
                    }}
                  />
                ) : null}
                {v.status === "approved" ? (
                  <PublishButton
                    version={v}
                    currentNumber={currentNumber}
                    onPublished={() => {
                      version.reload();
                      diff.reload();
                      onPublished(v.number);
                    }}
                  />
                ) : null}
                <button type="button" className="button button-secondary button-small" onClick={onClose}>
                  {tv.close}
                </button>
              </div>
            </div>
            <p>
              <strong>{v.title}</strong>
              {v.note ? ` — ${v.note}` : ""}
            </p>
            <ApprovalInfo version={v} />
            <div className="tabs" role="tablist" aria-label={tv.title(v.number, t.status[v.status])}>
              <button
                type="button"
                role="tab"
                aria-selected={tab === "diff"}
                className={tab === "diff" ? "tab tab-active" : "tab"}
                onClick={() => setTab("diff")}
              >
                {tv.diff}
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={tab === "checks"}
                className={tab === "checks" ? "tab tab-active" : "tab"}
                onClick={() => setTab("checks")}
              >
                {tv.checks}
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={tab === "text"}
                className={tab === "text" ? "tab tab-active" : "tab"}
                onClick={() => setTab("text")}
              >
                {tv.text}
              </button>
            </div>
            {tab === "checks" ? (
              <Loaded state={checks.state} onRetry={checks.reload}>
                {(c) => <ChecksPanel checks={c} />}
              </Loaded>
            ) : tab === "diff" ? (
              v.status === "published" ? (
                <p className="muted">{tv.isCurrent}</p>
              ) : (
                <Loaded state={diff.state} onRetry={diff.reload}>
                  {(d) => <DiffView diff={d.diff} base={d.base_number} number={d.number} />}
                </Loaded>
              )
            ) : (
              <pre className="yaml-text" tabIndex={0}>
                {v.text}
              </pre>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function ApprovalInfo({ version: v }: { version: Version }) {
  const tv = t.version;
  return (
    <div className="approval-info">
      {v.approved_by_name && v.approved_at ? (
        <p className="notice notice-success">{tv.approvedBy(v.approved_by_name, formatDateTime(v.approved_at), v.approval_reason ?? "")}</p>
      ) : v.status === "draft" ? (
        <p className="notice notice-info">{tv.waiting}</p>
      ) : v.status !== "approved" && v.published_by_name === "Système" ? (
        <p className="notice notice-warning">{tv.notApprovedDefault}</p>
      ) : null}
      {v.published_by_name && v.published_at ? (
        <p className="card-note">{tv.publishedBy(v.published_by_name, formatDateTime(v.published_at))}</p>
      ) : null}
    </div>
  );
}

function DiffView({ diff, base, number }: { diff: string; base: number | null; number: number }) {
  const tv = t.version;
  if (diff.trim() === "") return <p className="muted">{tv.identical}</p>;
  const lines = parseUnifiedDiff(diff);
  return (
    <>
      <p className="card-note">{tv.legend}</p>
      <div className="table-scroll diff-scroll" tabIndex={0} role="region" aria-label={tv.diffCaption(base, number)}>
        <table className="diff">
          <caption className="visually-hidden">{tv.diffCaption(base, number)}</caption>
          <tbody>
            {lines.map((line, i) =>
              line.kind === "hunk" ? (
                <tr key={i} className="diff-hunk">
                  <td colSpan={4}>{tv.hunk(line.oldStart, line.newStart)}</td>
                </tr>
              ) : (
                <tr key={i} className={`diff-${line.kind}`}>
                  <td className="diff-num">{line.oldNumber ?? ""}</td>
                  <td className="diff-num">{line.newNumber ?? ""}</td>
                  <td className="diff-sign" aria-hidden="true">
                    {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : ""}
                  </td>
                  <td className="diff-text">
                    {line.kind === "added" ? <span className="visually-hidden">{tv.added} : </span> : null}
                    {line.kind === "removed" ? <span className="visually-hidden">{tv.removed} : </span> : null}
                    {line.text}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

function PublishButton({
  version,
  currentNumber,
  onPublished,
}: {
  version: Version;
  currentNumber: number | null;
  onPublished: () => void;
}) {
  const tp = t.publish;
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function publish() {
    setBusy(true);
    const result = await perform(
      api.POST("/api/regulation/protocols/{number}/publish", { params: { path: { number: version.number } } }),
    );
    setBusy(false);
    if (result.ok) {
      dialog.current?.close();
      onPublished();
    } else setError(result.errors[0]?.msg ?? describeFailure(result.status, null));
  }

  return (
    <>
      <button
        type="button"
        className="button button-primary button-small"
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {t.version.publish}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="publish-title">
        <h2 id="publish-title">{tp.title(version.number)}</h2>
        <p>{tp.body(version.number, currentNumber)}</p>
        {version.approved_by_name && version.approved_at ? (
          <p>{t.version.approvedBy(version.approved_by_name, formatDateTime(version.approved_at), version.approval_reason ?? "")}</p>
        ) : null}
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="inline-actions dialog-actions">
          <button type="button" className="button button-primary" onClick={() => void publish()} disabled={busy}>
            {busy ? tp.publishing : tp.confirm}
          </button>
          <button type="button" className="button button-secondary" onClick={() => dialog.current?.close()}>
            {tp.cancel}
          </button>
        </div>
      </dialog>
    </>
  );
}

interface LocatedError {
  where: string;
  msg: string;
}

/** `["body", "text", "motifs", 3, "rules", 0, "result"]` -> "motifs › n° 4 › rules › n° 1 › result". */
function describeLocation(loc: unknown): string {
  if (!Array.isArray(loc)) return t.upload.wholeDocument;
  const parts = loc.slice(loc[0] === "body" ? 1 : 0);
  if (parts[0] === "text") parts.shift();
  if (parts.length === 0) return t.upload.wholeDocument;
  return parts.map((p) => (typeof p === "number" ? t.upload.item(p + 1) : String(p))).join(" › ");
}

function locatedErrors(body: unknown, fallback: string): LocatedError[] {
  const detail = typeof body === "object" && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail === "string") return [{ where: t.upload.wholeDocument, msg: detail }];
  if (!Array.isArray(detail)) return [{ where: t.upload.wholeDocument, msg: fallback }];
  return detail
    .filter((d): d is { loc?: unknown; msg: string } => typeof d === "object" && d !== null && typeof d.msg === "string")
    .map((d) => ({ where: describeLocation(d.loc), msg: d.msg }));
}

function UploadCard({
  currentNumber,
  onUploaded,
}: {
  currentNumber: number | null;
  onUploaded: (version: Version) => void;
}) {
  const tu = t.upload;
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<LocatedError[]>([]);
  const [busy, setBusy] = useState(false);
  const [loadingCurrent, setLoadingCurrent] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (errors.length > 0) summary.current?.focus();
  }, [errors]);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      setText(await file.text());
      setErrors([]);
    } catch {
      setErrors([{ where: tu.wholeDocument, msg: tu.fileError }]);
    }
  }

  async function fromCurrent() {
    if (currentNumber === null) return;
    setLoadingCurrent(true);
    const result = await perform(api.GET("/api/regulation/protocols/{number}", { params: { path: { number: currentNumber } } }));
    setLoadingCurrent(false);
    if (result.ok) setText(result.data.text);
    else setErrors([{ where: tu.wholeDocument, msg: result.errors[0]?.msg ?? "" }]);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const { data, error, response } = await api.POST("/api/regulation/protocols", {
        body: { text, note: note.trim() || null },
      });
      if (data) {
        setErrors([]);
        setNote("");
        setText("");
        onUploaded(data);
      } else setErrors(locatedErrors(error, describeFailure(response.status, error)));
    } catch {
      setErrors([{ where: tu.wholeDocument, msg: describeFailure(null, null) }]);
    }
    setBusy(false);
  }

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{tu.title}</h2>
      <p className="card-note">{tu.intro}</p>
      <form onSubmit={onSubmit} noValidate aria-busy={busy}>
        {errors.length > 0 ? (
          <div className="notice notice-error error-summary" role="alert" tabIndex={-1} ref={summary}>
            <h3>{tu.errorsTitle}</h3>
            <p>{tu.errorsIntro(errors.length)}</p>
            <ul className="located-errors">
              {errors.map((e, i) => (
                <li key={i}>
                  <code>{e.where}</code> : {e.msg}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="upload-sources">
          <div className="field">
            <label htmlFor="protocol-file">{tu.file}</label>
            <input id="protocol-file" type="file" accept=".yaml,.yml,.json,text/yaml,application/json" onChange={(e) => void onFile(e)} />
          </div>
          {currentNumber !== null ? (
            <button type="button" className="button button-secondary" onClick={() => void fromCurrent()} disabled={loadingCurrent}>
              {tu.fromCurrent}
            </button>
          ) : null}
        </div>
        {loadingCurrent ? <Loading /> : null}
        <div className={`field${errors.length > 0 ? " field-invalid" : ""}`}>
          <label htmlFor="protocol-text">{tu.text}</label>
          <textarea
            id="protocol-text"
            className="yaml-input"
            rows={16}
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={errors.length > 0 || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="protocol-note">{tu.note}</label>
          <p className="field-hint">{tu.noteHint}</p>
          <input id="protocol-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? tu.submitting : tu.submit}
        </button>
      </form>
    </section>
  );
}



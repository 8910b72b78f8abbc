/**
 * CSV import of effectors: all or nothing. The report (created / updated / unchanged), or every
 * error of the file as a table (line, column, reason) so one fix-and-retry cycle is enough.
 */
import { useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, fieldErrorIn, sendingFile, useApiMutation, type ApiError, type FieldError, type Schemas } from "../../api";
import { Card, Page } from "../../shell/Page";
import { ErrorSummary } from "../../ui";
import { Actions, agendaKeys, FilePicker } from "../agenda";
import { COORDINATION_PATHS } from "./paths";
import { coordinationKeys } from "./queryKeys";
import { coordinationTexts } from "./texts";
import "./coordination.css";

type Report = Schemas["EffectorImportReport"];

const t = coordinationTexts.import;

const COLUMNS = [
  "rpps",
  "family_name",
  "given_name",
  "specialty_code",
  "phone",
  "email",
  "site_name",
  "address_line",
  "postal_code",
  "city",
  "insee_code",
  "latitude",
  "longitude",
  "structure_id",
] as const;

const EXAMPLE_ROW = [
  "10000000009",
  "Dupont",
  "Marie",
  "SM54",
  "06 12 34 56 78",
  "marie.dupont@example.fr",
  "Cabinet médical du Port",
  "3 rue du Port",
  "35600",
  "Redon",
  "35236",
  "47.6514",
  "-2.0843",
  "",
];

const TEMPLATE_CSV = `${COLUMNS.join(",")}\n${EXAMPLE_ROW.map((v) => (v.includes(",") ? `"${v}"` : v)).join(",")}\n`;

interface CsvProblem {
  line: number;
  column: string;
  reason: string;
}

/** The 422 of the import: per-cell errors (`loc: ["file", line, column]`) and other messages. */
function readRejection(error: ApiError): { problems: CsvProblem[]; kinds: string[]; others: FieldError[] } {
  const problems: CsvProblem[] = [];
  const kinds: string[] = [];
  if (error.status === 422) {
    for (const { loc, msg } of error.detail) {
      // A large file: after its first errors, one entry per kind of error with its count.
      if (loc.length === 1 && loc[0] === "file" && problems.length > 0) kinds.push(msg);
      if (loc.length >= 3 && loc[0] === "file") {
        problems.push({
          line: Number(loc[1]),
          column: String(loc[2]),
          // The message repeats "line N, column C: " (the CLI's format); the table has columns for it.
          reason: capitalize(msg.replace(/^line \d+, column [^:]*:\s*/, "")),
        });
      }
    }
  }
  return { problems, kinds, others: problems.length > 0 ? [] : error.messages };
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase("fr-FR") + text.slice(1);
}

function columnLabel(column: string): string {
  if (column === "*") return t.wholeRow;
  return t.columnLabels[column] ?? column;
}

export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [problems, setProblems] = useState<CsvProblem[]>([]);
  const [kinds, setKinds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [fileName, setFileName] = useState<string | null>(null);
  const problemsRef = useRef<HTMLDivElement>(null);
  const templateUrl = `data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE_CSV)}`;

  const upload = useApiMutation(
    (form: FormData) =>
      sendingFile(
        api.POST("/api/agenda/effectors/import", {
          // The typed body says `file: string`; the real body is the FormData built by onSubmit.
          body: { file: "" },
          bodySerializer: () => form,
        }),
      ),
    {
      invalidates: [agendaKeys.effectors, coordinationKeys.all],
      onSuccess: setReport,
      onError: (error) => {
        const rejection = readRejection(error);
        setProblems(rejection.problems);
        setKinds(rejection.kinds);
        setErrors(rejection.others);
        if (rejection.problems.length > 0) requestAnimationFrame(() => problemsRef.current?.focus());
      },
    },
  );
  const busy = upload.isPending;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setReport(null);
    setProblems([]);
    if (!file) {
      setErrors([{ field: "file", msg: t.chooseFile }]);
      return;
    }
    setErrors([]);
    setFileName(file.name);
    const form = new FormData();
    form.append("file", file);
    upload.mutate(form);
  }

  return (
    <Page title={t.title} intro={t.intro}>
      <p>
        <Link to={COORDINATION_PATHS.directory}>← {t.back}</Link>
      </p>
      <Card title={t.fileCard} id="co-import">
        <details className="co-columns">
          <summary>{t.columns}</summary>
          <ol>
            {COLUMNS.map((c) => (
              <li key={c}>
                <code>{c}</code> <span className="muted">({t.columnLabels[c]})</span>
              </li>
            ))}
          </ol>
          <p>
            <a href={templateUrl} download="modele-effecteurs.csv">
              {t.template}
            </a>
          </p>
        </details>
        <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
          <ErrorSummary title={t.failed} errors={errors} />
          <FilePicker
            label={t.file}
            accept=".csv,text/csv"
            file={file}
            error={fieldErrorIn(errors, "file")}
            onChange={(f) => {
              setFile(f);
              setReport(null);
              setProblems([]);
              setErrors([]);
            }}
          />
          <Actions>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? t.submitting : t.submit}
            </button>
          </Actions>
        </form>
      </Card>

      {report ? (
        <section className="card co-report" aria-labelledby="co-report-title" role="status">
          <div className="card-head">
            <h2 id="co-report-title">
              {t.okTitle}
              {fileName ? <span className="muted"> — {fileName}</span> : null}
            </h2>
          </div>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t.reportTable}</caption>
              <thead>
                <tr>
                  <td />
                  <th scope="col">{t.created}</th>
                  <th scope="col">{t.updated}</th>
                  <th scope="col">{t.unchanged}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t.effectors}</th>
                  <td className="co-num">{report.created}</td>
                  <td className="co-num">{report.updated}</td>
                  <td className="co-num">{report.unchanged}</td>
                </tr>
                <tr>
                  <th scope="row">{t.sites}</th>
                  <td className="co-num">{report.sites_created}</td>
                  <td className="co-num">{report.sites_updated}</td>
                  <td className="co-num">{report.sites_unchanged}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <p>
            <Link to={COORDINATION_PATHS.directory}>{coordinationTexts.links.directory}</Link>
          </p>
        </section>
      ) : null}

      {problems.length > 0 ? (
        <section className="card co-problems" aria-labelledby="co-problems-title">
          <div className="notice notice-error" role="alert" tabIndex={-1} ref={problemsRef}>
            <h2 id="co-problems-title">{t.failedTitle}</h2>
            <p>{t.failedIntro(kinds.length > 0 ? kinds.reduce((sum, kind) => sum + (Number.parseInt(kind, 10) || 0), 0) : problems.length)}</p>
            {kinds.length > 0 ? (
              <>
                <p>{t.moreKinds}</p>
                <ul>
                  {kinds.map((kind) => (
                    <li key={kind}>{kind}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="co-problems-caption">
            <table>
              <caption id="co-problems-caption">
                {t.errorsTable}
                {fileName ? ` — ${fileName}` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t.line}</th>
                  <th scope="col">{t.column}</th>
                  <th scope="col">{t.reason}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i}>
                    <td className="co-num">{p.line}</td>
                    <td>
                      {p.column === "*" ? (
                        <span className="muted">{t.wholeRow}</span>
                      ) : (
                        <>
                          <code>{p.column}</code>
                          <span className="cell-sub">{columnLabel(p.column)}</span>
                        </>
                      )}
                    </td>
                    <td>{p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </Page>
  );
}

/**
 * « Rechercher » (/regulation/recherche): a patient who calls back is found by the start of their
 * family name, their phone (any notation) or birth date, in open or closed requests. Without
 * criteria it lists the latest requests (the closed list with « Terminées »). The criteria live
 * in the address, so going back to the results keeps them. Each listed request is an audited read.
 */
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";

import { api, errorsByField, useApiQuery, type Schemas } from "../../../api";
import { Card, EmptyState, Page } from "../../../shell/Page";
import { Button, DataTable, Field, InputField, Loaded, type Column } from "../../../ui";
import { formatBirthDate, formatWhen, motifLabel } from "../model";
import { REQUEST_PATH } from "../paths";
import { useProtocolDocument } from "../protocol";
import { regulationKeys } from "../queryKeys";
import { regulationTexts } from "../texts";
import { frontDeskTexts } from "./texts";
import "./frontdesk.css";

const t = frontDeskTexts.search;
const labels = regulationTexts.labels;
const PAGE_SIZE = 25;
const FIRST_FIELD = "fd-name";
const SCOPES: readonly Schemas["Scope"][] = ["all", "open", "closed"];
type Summary = Schemas["RequestSummary"];

interface Criteria {
  name: string;
  phone: string;
  birth_date: string;
  scope: Schemas["Scope"];
}

function criteriaOf(params: URLSearchParams): Criteria {
  const scope = params.get("etat");
  return {
    name: params.get("nom") ?? "",
    phone: params.get("tel") ?? "",
    birth_date: params.get("naissance") ?? "",
    scope: SCOPES.includes(scope as Schemas["Scope"]) ? (scope as Schemas["Scope"]) : "all",
  };
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const sent = criteriaOf(params);
  const offset = Math.max(0, Number(params.get("depuis") ?? 0) || 0);
  const [draft, setDraft] = useState<Criteria>(sent);

  const query = {
    limit: PAGE_SIZE,
    offset,
    scope: sent.scope,
    ...(sent.name.trim() ? { name: sent.name.trim() } : {}),
    ...(sent.phone.trim() ? { phone: sent.phone.trim() } : {}),
    ...(sent.birth_date ? { birth_date: sent.birth_date } : {}),
  };
  const found = useApiQuery(regulationKeys.search(query), (signal) =>
    api.GET("/api/regulation/requests", { params: { query }, signal }),
  );
  const byField = errorsByField(found.error?.messages ?? []);

  function go(criteria: Criteria, from = 0) {
    const next = new URLSearchParams();
    if (criteria.name.trim()) next.set("nom", criteria.name.trim());
    if (criteria.phone.trim()) next.set("tel", criteria.phone.trim());
    if (criteria.birth_date) next.set("naissance", criteria.birth_date);
    if (criteria.scope !== "all") next.set("etat", criteria.scope);
    if (from > 0) next.set("depuis", String(from));
    setParams(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    go(draft);
  }

  function clear() {
    const empty: Criteria = { name: "", phone: "", birth_date: "", scope: "all" };
    setDraft(empty);
    go(empty);
    document.getElementById(FIRST_FIELD)?.focus();
  }

  return (
    <Page title={t.title} intro={t.intro} focusId={FIRST_FIELD}>
      <form className="fd-search" role="search" aria-label={t.form} onSubmit={onSubmit} noValidate>
        <InputField
          id={FIRST_FIELD}
          label={t.name}
          hint={t.nameHint}
          type="search"
          autoComplete="off"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
        <InputField
          id="fd-phone"
          label={t.phone}
          type="tel"
          autoComplete="off"
          error={byField.phone}
          value={draft.phone}
          onChange={(e) => setDraft({ ...draft, phone: e.target.value })}
        />
        <InputField
          id="fd-birth"
          label={t.birthDate}
          type="date"
          error={byField.birth_date}
          value={draft.birth_date}
          onChange={(e) => setDraft({ ...draft, birth_date: e.target.value })}
        />
        <Field id="fd-scope" label={t.scope}>
          {(p) => (
            <select
              id={p.id}
              value={draft.scope}
              onChange={(e) => {
                const next = { ...draft, scope: e.target.value as Schemas["Scope"] };
                setDraft(next);
                go(next);
              }}
            >
              {SCOPES.map((scope) => (
                <option key={scope} value={scope}>
                  {t.scopes[scope]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="fd-search-actions">
          <Button type="submit" variant="primary">
            {t.submit}
          </Button>
          <Button type="button" variant="secondary" onClick={clear}>
            {t.clear}
          </Button>
        </div>
      </form>
      <Card
        title={t.results}
        id="fd-results"
        aside={found.data ? <span className="badge" role="status">{t.count(found.data.total)}</span> : null}
      >
        <Loaded query={found}>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState>{t.empty}</EmptyState>
            ) : (
              <>
                <p className="card-note">{t.latest}</p>
                <ResultsTable rows={page.items} />
                <Pager offset={offset} shown={page.items.length} total={page.total} onGo={(from) => go(sent, from)} />
              </>
            )
          }
        </Loaded>
      </Card>
    </Page>
  );
}

/** The state a request is in, as the front desk says it (its outcome once it ended). */
export function stateLabel(row: { status: Summary["status"]; outcome: Summary["outcome"] }): string {
  return row.outcome ? labels.outcome[row.outcome] : labels.status[row.status];
}

export function RequestsTable({ rows, caption }: { rows: readonly Summary[]; caption: string }) {
  const document = useProtocolDocument();
  const columns: Column<Summary>[] = [
    {
      key: "patient",
      header: t.patient,
      rowHeader: true,
      cell: (r) => (
        <Link to={REQUEST_PATH(r.id)}>
          {r.family_name.toUpperCase()} {r.given_name}
        </Link>
      ),
    },
    { key: "born", header: t.born, cell: (r) => `${formatBirthDate(r.birth_date)} (${r.age_label})` },
    { key: "phone", header: t.phoneColumn, className: "nowrap", cell: (r) => r.phone_display },
    { key: "received", header: t.received, className: "nowrap", cell: (r) => formatWhen(r.received_at) },
    { key: "motif", header: t.motif, cell: (r) => motifLabel(document, r.motif) },
    { key: "state", header: t.state, cell: (r) => stateLabel(r) },
  ];
  return <DataTable caption={caption} captionHidden columns={columns} rows={rows} rowKey={(r) => r.id} tableClassName="fd-table" />;
}

function ResultsTable({ rows }: { rows: readonly Summary[] }) {
  return <RequestsTable rows={rows} caption={t.caption} />;
}

function Pager({
  offset,
  shown,
  total,
  onGo,
}: {
  offset: number;
  shown: number;
  total: number;
  onGo: (from: number) => void;
}) {
  if (total <= PAGE_SIZE) return null;
  return (
    <nav className="fd-pager" aria-label={t.caption}>
      <Button type="button" variant="secondary" disabled={offset === 0} onClick={() => onGo(Math.max(0, offset - PAGE_SIZE))}>
        {t.previous}
      </Button>
      <span>{t.range(offset + 1, offset + shown, total)}</span>
      <Button
        type="button"
        variant="secondary"
        disabled={offset + shown >= total}
        onClick={() => onGo(offset + PAGE_SIZE)}
      >
        {t.next}
      </Button>
    </nav>
  );
}

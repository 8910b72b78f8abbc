/** The coordinator's dashboard: filters, key figures, charts, tables, drill-down and exports. */
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, useApiQuery, type Schemas } from "../../api";
import { formatDateTime, formatNumber } from "../../shell/format";
import { useUser } from "../../shell/auth";
import { Card, EmptyState, Page } from "../../shell/Page";
import { useTerritoryQuery } from "../../shell/territory";
import { Loaded } from "../../ui";
import { CountsChart, HoursChart, NationalChart, RequestsChart } from "./Charts";
import { CallsCard } from "./CallsCard";
import { defaultForm, queryString, toQuery, type FilterForm, type Granularity, type Preset, type Query } from "./filters";
import { KeyFigures } from "./KeyFigures";
import { INDICATORS_PATHS } from "./paths";
import { indicatorsKeys } from "./queryKeys";
import { indicatorsTexts as t } from "./texts";
import "./indicators.css";

type Dashboard = Schemas["Dashboard"];
const PAGE_SIZE = 20;

export function IndicatorsPage() {
  const [form, setForm] = useState<FilterForm>(() => defaultForm());
  const [query, setQuery] = useState<Query>(() => toQuery(defaultForm()));
  const dashboard = useApiQuery(indicatorsKeys.dashboard(queryString(query)), (signal) =>
    api.GET("/api/indicators/dashboard", { params: { query }, signal }),
  );

  function apply(event: FormEvent) {
    event.preventDefault();
    setQuery(toQuery(form));
  }

  return (
    <Page title={t.title} intro={t.intro}>
      <FiltersForm form={form} setForm={setForm} onSubmit={apply} />
      <p className="co-card-links">
        <Link className="button button-secondary ag-small" to={`${INDICATORS_PATHS.report}?year=${form.year}`}>
          {t.reportLink}
        </Link>
      </p>
      <Loaded query={dashboard}>
        {(d) => <DashboardView dashboard={d} query={query} />}
      </Loaded>
    </Page>
  );
}

function FiltersForm({
  form,
  setForm,
  onSubmit,
}: {
  form: FilterForm;
  setForm: (f: FilterForm) => void;
  onSubmit: (e: FormEvent) => void;
}) {
  const f = t.filters;
  const communes = useTerritoryQuery().data?.communes ?? [];
  const effectorsQuery = useApiQuery(indicatorsKeys.effectors, (signal) =>
    api.GET("/api/agenda/effectors", { params: { query: { limit: 200, offset: 0 } }, signal }),
  );
  const effectors = effectorsQuery.data;
  const thisYear = new Date().getFullYear();
  const years = [thisYear - 2, thisYear - 1, thisYear];
  const set = (patch: Partial<FilterForm>) => setForm({ ...form, ...patch });
  return (
    <form className="card ind-filters" onSubmit={onSubmit} aria-label={f.legend}>
      <fieldset>
        <legend>{f.legend}</legend>
        <label>
          {f.preset}
          <select aria-label={f.preset} value={form.preset} onChange={(e) => set({ preset: e.target.value as Preset })}>
            {(["month", "year", "custom"] as const).map((p) => (
              <option key={p} value={p}>
                {f.presets[p]}
              </option>
            ))}
          </select>
        </label>
        {form.preset === "month" ? (
          <label>
            {f.month}
            <input aria-label={f.month} type="month" value={form.month} required onChange={(e) => set({ month: e.target.value })} />
          </label>
        ) : null}
        {form.preset === "year" ? (
          <label>
            {f.year}
            <select aria-label={f.year} value={form.year} onChange={(e) => set({ year: Number(e.target.value) })}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {form.preset === "custom" ? (
          <>
            <label>
              {f.start}
              <input aria-label={f.start} type="date" value={form.start} required onChange={(e) => set({ start: e.target.value })} />
            </label>
            <label>
              {f.end}
              <input aria-label={f.end} type="date" value={form.end} required onChange={(e) => set({ end: e.target.value })} />
            </label>
          </>
        ) : null}
        <label>
          {f.granularity}
          <select aria-label={f.granularity} value={form.granularity} onChange={(e) => set({ granularity: e.target.value as Granularity })}>
            {(["month", "quarter", "year"] as const).map((g) => (
              <option key={g} value={g}>
                {f.granularities[g]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {f.commune}
          <select aria-label={f.commune} value={form.commune} onChange={(e) => set({ commune: e.target.value })}>
            <option value="">{f.allCommunes}</option>
            {communes.map((c) => (
              <option key={c.insee_code} value={c.insee_code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {f.origin}
          <select aria-label={f.origin} value={form.origin} onChange={(e) => set({ origin: e.target.value })}>
            <option value="">{f.allOrigins}</option>
            {Object.entries(t.origins).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {f.effector}
          <select aria-label={f.effector} value={form.effectorId} onChange={(e) => set({ effectorId: e.target.value })}>
            <option value="">{f.allEffectors}</option>
            {effectors?.items.map((e) => (
              <option key={e.id} value={e.id}>
                {`${e.given_name} ${e.family_name}`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-primary">
          {f.apply}
        </button>
      </fieldset>
    </form>
  );
}

function DashboardView({ dashboard: d, query }: { dashboard: Dashboard; query: Query }) {
  const tt = t.tables;
  const coordinator = useUser().role === "coordinator";
  const communes = useTerritoryQuery().data?.communes ?? [];
  const communeNames = new Map(communes.map((c) => [c.insee_code, c.name] as const));
  return (
    <div className="ind-dashboard">
      <Card title={t.key.title} id="ind-cles">
        <KeyFigures dashboard={d} />
      </Card>
      <div className="ind-grid">
        <Card title={t.charts.national} id="ind-national">
          <NationalChart dashboard={d} />
        </Card>
        <Card title={t.charts.requestsByPeriod} id="ind-demandes">
          <RequestsChart dashboard={d} />
        </Card>
        <Card title={t.charts.outcomes} id="ind-issues">
          <CountsChart title={t.charts.outcomes} counts={d.requests.by_outcome} />
        </Card>
        <Card title={t.charts.origins} id="ind-origines">
          <CountsChart title={t.charts.origins} counts={d.requests.by_origin} />
        </Card>
        <Card title={t.charts.byHour} id="ind-heures">
          <HoursChart dashboard={d} />
        </Card>
        <Card title={tt.communes} id="ind-communes">
          {d.supply_demand.by_commune.length === 0 ? (
            <EmptyState>{tt.empty}</EmptyState>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="ind-communes">
            <table>
              <thead>
                <tr>
                  <th scope="col">{tt.commune}</th>
                  <th scope="col">{tt.requests}</th>
                  <th scope="col">{tt.offered}</th>
                  <th scope="col">{tt.free}</th>
                </tr>
              </thead>
              <tbody>
                {d.supply_demand.by_commune.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{communeNames.get(r.key) ?? r.label}</th>
                    <td>{formatNumber(r.requests)}</td>
                    <td>{formatNumber(r.offered)}</td>
                    <td>{formatNumber(r.free)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
        </Card>
      </div>
      <Card title={tt.effectors} id="ind-effecteurs">
        {d.effectors.length === 0 ? (
          <EmptyState>{tt.empty}</EmptyState>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="ind-effecteurs">
            <table>
              <thead>
                <tr>
                  <th scope="col">{tt.effector}</th>
                  <th scope="col">{tt.offered}</th>
                  <th scope="col">{tt.booked}</th>
                  <th scope="col">{tt.seen}</th>
                  <th scope="col">{tt.noshows}</th>
                  <th scope="col">{tt.fee}</th>
                </tr>
              </thead>
              <tbody>
                {d.effectors.map((e) => (
                  <tr key={e.effector_id}>
                    <th scope="row">{e.name}</th>
                    <td>{formatNumber(e.offered)}</td>
                    <td>{formatNumber(e.booked)}</td>
                    <td>{formatNumber(e.seen)}</td>
                    <td>{formatNumber(e.noshows)}</td>
                    <td>{formatNumber(e.snp_fee_eligible)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {/* A funder (ARS, CPAM) sees aggregated figures only: no list of requests. */}
      <CallsCard query={query} />
      {coordinator ? <Records query={query} /> : null}
      <Exports query={query} coordinator={coordinator} />
    </div>
  );
}

function Records({ query }: { query: Query }) {
  const r = t.records;
  const [offset, setOffset] = useState(0);
  const key = queryString(query);
  const [lastKey, setLastKey] = useState(key);
  if (lastKey !== key) {
    setLastKey(key);
    setOffset(0);
  }
  const records = useApiQuery(indicatorsKeys.records(key, offset), (signal) =>
    api.GET("/api/indicators/records", { params: { query: { ...query, offset, limit: PAGE_SIZE } }, signal }),
  );
  return (
    <Card title={r.title} id="ind-detail">
      <Loaded query={records}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{r.empty}</EmptyState>
          ) : (
            <>
              <p className="card-note">
                {r.range(page.offset + 1, page.offset + page.items.length, formatNumber(page.total))}
              </p>
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="ind-detail">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{r.pseudonym}</th>
                      <th scope="col">{r.received}</th>
                      <th scope="col">{r.origin}</th>
                      <th scope="col">{r.ageBand}</th>
                      <th scope="col">{r.outcome}</th>
                      <th scope="col">{r.consultation}</th>
                      <th scope="col">{r.delay}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((i) => (
                      <tr key={i.pseudonym}>
                        <th scope="row" className="mono">
                          {i.pseudonym}
                        </th>
                        <td>{formatDateTime(i.received_at)}</td>
                        <td>{t.origins[i.origin] ?? i.origin}</td>
                        <td>{i.age_band ?? "—"}</td>
                        <td>{i.outcome ? (t.outcomes[i.outcome] ?? i.outcome) : t.inProgress}</td>
                        <td>
                          {i.consultation_at ? formatDateTime(i.consultation_at) : "—"}
                          {i.appointment_status ? (
                            <span className="cell-sub">
                              {t.appointmentStatuses[i.appointment_status] ?? i.appointment_status}
                            </span>
                          ) : null}
                        </td>
                        <td>{i.consultation_minutes ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="co-card-links">
                <button
                  type="button"
                  className="button button-secondary ag-small"
                  disabled={page.offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                >
                  {r.previous}
                </button>
                <button
                  type="button"
                  className="button button-secondary ag-small"
                  disabled={page.offset + page.items.length >= page.total}
                  onClick={() => setOffset(offset + PAGE_SIZE)}
                >
                  {r.next}
                </button>
              </p>
            </>
          )
        }
      </Loaded>
    </Card>
  );
}

/** Tables with one row per request or consultation: coordinators only. */
const PER_PATIENT_TABLES = new Set(["records", "consultations"]);

function Exports({ query, coordinator }: { query: Query; coordinator: boolean }) {
  const e = t.exports;
  const [table, setTable] = useState("national");
  const [identity, setIdentity] = useState(false);
  const [reason, setReason] = useState("");
  const extra: Record<string, string> = { table };
  const withIdentity = identity && table === "records";
  if (withIdentity) Object.assign(extra, { with_identity: "true", reason: reason.trim() });
  const missingReason = withIdentity && reason.trim().length < 5;
  const qs = queryString(query, extra);
  return (
    <Card title={e.title} id="ind-exports">
      <p className="card-note">{e.intro}</p>
      <div className="ind-exports">
        <label>
          {e.table}
          <select aria-label={e.table} value={table} onChange={(ev) => setTable(ev.target.value)}>
            {Object.entries(e.tables)
              .filter(([key]) => coordinator || !PER_PATIENT_TABLES.has(key))
              .map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {table === "records" ? (
          <label className="ind-check">
            <input type="checkbox" checked={identity} onChange={(ev) => setIdentity(ev.target.checked)} />
            {e.identity}
          </label>
        ) : null}
        {withIdentity ? (
          <label>
            {e.identityReason}
            <input value={reason} maxLength={200} onChange={(ev) => setReason(ev.target.value)} />
          </label>
        ) : null}
        {missingReason ? null : (
          <>
            <a className="button button-primary ag-small" href={`/api/indicators/export.csv?${qs}`} download>
              {e.csv}
            </a>
            <a className="button button-secondary ag-small" href={`/api/indicators/export.xlsx?${qs}`} download>
              {e.xlsx}
            </a>
          </>
        )}
      </div>
    </Card>
  );
}

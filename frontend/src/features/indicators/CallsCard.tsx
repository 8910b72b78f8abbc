/**
 * The phone line on the dashboard: calls received, answered within 60 s, abandonment, waits,
 * calls that became requests, call-back delay of missed callers, by hour and weekday and per
 * operator — each figure with its definition — and their exports (CSV, Excel).
 */
import { api, useApiQuery, type Schemas } from "../../api";
import { formatNumber } from "../../shell/format";
import { Card } from "../../shell/Page";
import { DataTable, ErrorNotice, type Column } from "../../ui";
import type { Query } from "./filters";
import { indicatorsKeys } from "./queryKeys";

type Figures = Schemas["CallFigures"];
type Operator = Figures["per_operator"][number];

const WEEKDAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"];

const t = {
  title: "Ligne téléphonique",
  received: "Appels reçus",
  outOfHours: "dont hors horaires",
  answered: "Décrochés",
  within60: "Décrochés en 60 s",
  abandonment: "Taux d'abandon",
  wait: "Attente moyenne / p90",
  becameRequests: "Devenus demandes",
  callbackDelay: "Délai moyen de rappel des appels manqués",
  withinHour: "Rappelés dans l'heure",
  stillOpen: "Encore à rappeler",
  byHour: "Appels reçus par heure",
  byWeekday: "Appels reçus par jour",
  perOperator: "Par opérateur",
  operator: "Opérateur",
  callbacks: "Rappels passés",
  meanDuration: "Durée moyenne",
  definitions: "Définitions",
  csv: "Exporter (CSV)",
  xlsx: "Exporter (Excel)",
  hour: (h: number) => `${h} h`,
};

function percent(value: number | null): string {
  return value === null ? "—" : `${formatNumber(Math.round(value * 1000) / 10)} %`;
}

function seconds(value: number | null): string {
  return value === null ? "—" : `${formatNumber(Math.round(value))} s`;
}

function minutes(value: number | null): string {
  return value === null ? "—" : `${formatNumber(Math.round(value))} min`;
}

const OPERATOR_COLUMNS: readonly Column<Operator>[] = [
  { key: "name", header: t.operator, rowHeader: true, cell: (o) => o.name },
  { key: "answered", header: t.answered, cell: (o) => formatNumber(o.answered) },
  { key: "duration", header: t.meanDuration, cell: (o) => seconds(o.mean_duration_seconds) },
  { key: "callbacks", header: t.callbacks, cell: (o) => formatNumber(o.callbacks) },
];

export function CallsCard({ query }: { query: Query }) {
  const period = { start: query.start, end: query.end };
  const figures = useApiQuery(indicatorsKeys.calls(period.start, period.end), (signal) =>
    api.GET("/api/indicators/calls", { params: { query: period }, signal }),
  );
  const f = figures.data;
  const search = new URLSearchParams(period).toString();
  return (
    <Card title={t.title} id="ind-appels">
      {figures.error ? <ErrorNotice message={figures.error.message} onRetry={() => void figures.refetch()} /> : null}
      {f ? (
        <div className="ind-calls" data-testid="call-figures">
          <dl className="ind-call-figures">
            <dt>{t.received}</dt>
            <dd>
              {formatNumber(f.received)} ({t.outOfHours} {formatNumber(f.out_of_hours)})
            </dd>
            <dt>{t.answered}</dt>
            <dd>{formatNumber(f.answered)}</dd>
            <dt>{t.within60}</dt>
            <dd>{percent(f.answered_within_60s_rate)}</dd>
            <dt>{t.abandonment}</dt>
            <dd>{percent(f.abandonment_rate)}</dd>
            <dt>{t.wait}</dt>
            <dd>
              {seconds(f.mean_wait_seconds)} / {seconds(f.p90_wait_seconds)}
            </dd>
            <dt>{t.becameRequests}</dt>
            <dd>{formatNumber(f.became_requests)}</dd>
            <dt>{t.callbackDelay}</dt>
            <dd>{minutes(f.mean_callback_delay_minutes)}</dd>
            <dt>{t.withinHour}</dt>
            <dd>{percent(f.called_back_within_hour_rate)}</dd>
            <dt>{t.stillOpen}</dt>
            <dd>{formatNumber(f.missed_still_open)}</dd>
          </dl>
          <DataTable
            caption={t.byHour}
            columns={[
              { key: "hour", header: "Heure", rowHeader: true, cell: (h: number) => t.hour(h) },
              { key: "calls", header: t.received, cell: (h: number) => formatNumber(f.by_hour[h] ?? 0) },
            ]}
            rows={f.by_hour.map((_, h) => h).filter((h) => (f.by_hour[h] ?? 0) > 0)}
            rowKey={(h) => h}
          />
          <DataTable
            caption={t.byWeekday}
            columns={[
              { key: "day", header: "Jour", rowHeader: true, cell: (d: number) => WEEKDAYS[d] },
              { key: "calls", header: t.received, cell: (d: number) => formatNumber(f.by_weekday[d] ?? 0) },
            ]}
            rows={WEEKDAYS.map((_, d) => d)}
            rowKey={(d) => d}
          />
          <DataTable caption={t.perOperator} columns={OPERATOR_COLUMNS} rows={f.per_operator} rowKey={(o) => o.user_id} />
          <details>
            <summary>{t.definitions}</summary>
            <dl>
              {f.definitions.map(([label, text]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{text}</dd>
                </div>
              ))}
            </dl>
          </details>
          <p className="ind-exports">
            <a className="button button-secondary" href={`/api/indicators/calls/export.csv?${search}`} download>
              {t.csv}
            </a>{" "}
            <a className="button button-secondary" href={`/api/indicators/calls/export.xlsx?${search}`} download>
              {t.xlsx}
            </a>
          </p>
        </div>
      ) : null}
    </Card>
  );
}

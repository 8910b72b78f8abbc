/** The printable annual report (one A4 page) for the "dialogue de gestion" with ARS and CPAM. */
import { useSearchParams, Link } from "react-router";

import { api, useApiQuery } from "../../api";
import { formatDateTime } from "../../shell/format";
import { useCptsName } from "../../shell/territory";
import { Loaded } from "../../ui";
import { CountsChart, HoursChart, NationalChart } from "./Charts";
import { KeyFigures } from "./KeyFigures";
import { INDICATORS_PATHS } from "./paths";
import { indicatorsKeys } from "./queryKeys";
import { indicatorsTexts as t } from "./texts";
import "./indicators.css";

export function ReportPage() {
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get("year")) || thisYear;
  const cpts = useCptsName();
  const query = { start: `${year}-01-01`, end: `${year}-12-31`, granularity: "month" as const };
  const dashboard = useApiQuery(indicatorsKeys.dashboard(`report-${year}`), (signal) =>
    api.GET("/api/indicators/dashboard", { params: { query }, signal }),
  );
  const r = t.report;
  return (
    <article className="ind-report">
      <div className="ind-report-tools no-print">
        <Link to={INDICATORS_PATHS.dashboard}>{r.back}</Link>
        <label>
          {r.year}
          <select value={year} onChange={(e) => setParams({ year: e.target.value })}>
            {[thisYear - 2, thisYear - 1, thisYear].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-primary ag-small" onClick={() => window.print()}>
          {r.print}
        </button>
      </div>
      <header>
        <h1>{r.title(year)}</h1>
        <p className="ind-report-sub">
          {cpts ? `${cpts} — ` : ""}
          {r.subtitle}
        </p>
      </header>
      <Loaded query={dashboard}>
        {(d) => (
          <>
            <section>
              <h2>{r.keyFigures}</h2>
              <KeyFigures dashboard={d} />
            </section>
            <div className="ind-report-charts">
              <NationalChart dashboard={d} animate={false} />
              <CountsChart title={t.charts.outcomes} counts={d.requests.by_outcome} animate={false} />
              <CountsChart title={t.charts.origins} counts={d.requests.by_origin} animate={false} />
              <HoursChart dashboard={d} animate={false} />
            </div>
            <p className="ind-report-foot">{r.computed(formatDateTime(d.computed_at))}</p>
          </>
        )}
      </Loaded>
    </article>
  );
}

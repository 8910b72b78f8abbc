/** The orientation envelope of a contract year: operator hours per month, requests handled and
 * the cost per request. */
import { useState } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { formatNumber } from "../../shell/format";
import { Card } from "../../shell/Page";
import { Button, ErrorSummary, Loaded } from "../../ui";
import { aciManageTexts } from "./aciManageTexts";
import { indicatorsKeys } from "./queryKeys";

type Month = Schemas["OrientationMonth"];
const t = aciManageTexts.orientation;
const euros = (value: number | null | undefined) =>
  value == null ? "—" : new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(value);

export function OrientationCard() {
  const [year, setYear] = useState(1);
  const envelope = useApiQuery(indicatorsKeys.aciOrientation(year), (signal) =>
    api.GET("/api/indicators/aci/orientation", { params: { query: { year } }, signal }),
  );
  return (
    <Card title={t.title} id="aci-orientation">
      <p className="card-note">{t.intro}</p>
      <label>
        {t.year}{" "}
        <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
          {[1, 2, 3, 4, 5].map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      <Loaded query={envelope}>
        {(e) => (
          <>
            <p>{t.envelope(euros(e.envelope), euros(e.spent), euros(e.remaining))}</p>
            <table className="aci-table">
              <thead>
                <tr>
                  <th scope="col" className="aci-wide">{t.month}</th>
                  <th scope="col">{t.hours}</th>
                  <th scope="col">{t.requests}</th>
                  <th scope="col">{t.cost}</th>
                  <th scope="col">{t.perRequest}</th>
                </tr>
              </thead>
              <tbody>
                {e.months.map((m) => (
                  <MonthRow key={m.month} month={m} />
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </Card>
  );
}

function MonthRow({ month }: { month: Month }) {
  const [hours, setHours] = useState(month.operator_hours == null ? "" : String(month.operator_hours));
  const save = useApiMutation(
    (value: number) => api.PUT("/api/indicators/aci/operator-hours", { body: { month: month.month, hours: value } }),
    { invalidates: [indicatorsKeys.aci] },
  );
  return (
    <tr>
      <th scope="row" className="aci-wide">
        {month.label}
        {month.partial ? ` (${t.partial})` : ""}
      </th>
      <td>
        {month.hours_source === "presence" ? (
          // Hours counted from the operators' presence on the phone line: not typed in.
          <span>
            {formatNumber(month.operator_hours ?? 0)} h (présence, {formatNumber(month.calls_answered ?? 0)} appels décrochés)
          </span>
        ) : (
          <>
        <input
          type="number"
          min={0}
          step="0.5"
          aria-label={`${t.hours} — ${month.label}`}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
        />{" "}
        <Button size="small" busy={save.isPending} onClick={() => save.mutate(Number(hours))} disabled={hours === ""}>
          {t.save}
        </Button>
        <ErrorSummary title={t.title} error={save.error} />
          </>
        )}
      </td>
      <td>{formatNumber(month.requests_handled)}</td>
      <td>{euros(month.cost)}</td>
      <td>{euros(month.cost_per_request)}</td>
    </tr>
  );
}

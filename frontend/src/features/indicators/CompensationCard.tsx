/** Every GP's SNP activity per month (the GPs' compensation envelope), the accountant's CSV and
 * each GP's yearly statement as PDF. */
import { useState } from "react";

import { api, useApiQuery } from "../../api";
import { Card } from "../../shell/Page";
import { Loaded } from "../../ui";
import { aciManageTexts } from "./aciManageTexts";
import { indicatorsKeys } from "./queryKeys";
import { StatementYearSelect } from "./StatementYearSelect";

const t = aciManageTexts.compensation;

export function CompensationCard() {
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [month, setMonth] = useState<number | null>(new Date().getMonth() + 1);
  const statement = useApiQuery(indicatorsKeys.compensation(year, month), (signal) =>
    api.GET("/api/indicators/compensation", { params: { query: month ? { year, month } : { year } }, signal }),
  );
  const csv = `/api/indicators/compensation.csv?year=${year}${month ? `&month=${month}` : ""}`;
  return (
    <Card title={t.title} id="aci-compensation">
      <p className="card-note">{t.intro}</p>
      <div className="aci-form-row">
        <StatementYearSelect label={t.year} year={year} onChange={setYear} />
        <label>
          {t.month}{" "}
          <select value={month ?? ""} onChange={(e) => setMonth(e.target.value ? Number(e.target.value) : null)}>
            <option value="">{t.allMonths}</option>
            {t.months.map((name, index) => (
              <option key={name} value={index + 1}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <a className="button button-secondary" href={csv} download>
          {t.csv}
        </a>
      </div>
      <Loaded query={statement}>
        {(s) =>
          s.lines.length === 0 ? (
            <p>{t.empty}</p>
          ) : (
            <table className="aci-table">
              <thead>
                <tr>
                  <th scope="col">{t.month}</th>
                  <th scope="col" className="aci-wide">{t.doctor}</th>
                  <th scope="col">{t.consultations}</th>
                  <th scope="col">{t.eligible}</th>
                  <th scope="col">{t.hours}</th>
                  <th scope="col">{t.pdf}</th>
                </tr>
              </thead>
              <tbody>
                {s.lines.map((line) => (
                  <tr key={`${line.month}-${line.effector_id}`}>
                    <td>{line.label}</td>
                    <th scope="row" className="aci-wide">{line.name}</th>
                    <td>{line.consultations}</td>
                    <td>{line.fee_eligible}</td>
                    <td>{line.hours_with_slots}</td>
                    <td>
                      <a href={`/api/indicators/compensation/${line.effector_id}/statement.pdf?year=${year}`} download>
                        {t.pdf}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </Card>
  );
}

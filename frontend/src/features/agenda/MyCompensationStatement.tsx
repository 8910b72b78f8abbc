/** The effector's SNP activity statement (GPs' compensation envelope): per month, their SNP
 * consultations, acts eligible to the SNP fee and hours with slots offered, with the definitions,
 * and the yearly statement as a PDF. Data from the indicators' `/api/indicators/my-statement`. */
import { useState } from "react";

import { api, useApiQuery } from "../../api";
import { Loaded } from "../../ui";
import { indicatorsKeys, StatementYearSelect } from "../indicators";

const t = {
  title: "Mon relevé d'activité SNP (indemnisation)",
  year: "Année",
  month: "Mois",
  consultations: "Consultations SNP",
  eligible: "Actes éligibles à la majoration SNP",
  hours: "Heures avec créneaux proposés",
  total: "Total",
  pdf: "Télécharger le relevé (PDF)",
};

export function MyCompensationStatement() {
  const [year, setYear] = useState(() => new Date().getFullYear());
  const statement = useApiQuery(indicatorsKeys.myStatement(year), (signal) =>
    api.GET("/api/indicators/my-statement", { params: { query: { year } }, signal }),
  );
  return (
    <section className="card" aria-labelledby="my-statement-title">
      <h2 id="my-statement-title">{t.title}</h2>
      <p>
        <StatementYearSelect label={t.year} year={year} onChange={setYear} />{" "}
        <a href={`/api/indicators/my-statement.pdf?year=${year}`} download>
          {t.pdf}
        </a>
      </p>
      <Loaded query={statement}>
        {(s) => (
          <>
            <div className="ag-scroll-x">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.month}</th>
                    <th scope="col">{t.consultations}</th>
                    <th scope="col">{t.eligible}</th>
                    <th scope="col">{t.hours}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.lines.map((line) => (
                    <tr key={line.month}>
                      <th scope="row">{line.label}</th>
                      <td>{line.consultations}</td>
                      <td>{line.fee_eligible}</td>
                      <td>{line.hours_with_slots}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{t.total}</th>
                    <td>{s.lines.reduce((n, l) => n + l.consultations, 0)}</td>
                    <td>{s.lines.reduce((n, l) => n + l.fee_eligible, 0)}</td>
                    <td>{s.lines.reduce((n, l) => n + l.hours_with_slots, 0)}</td>
                  </tr>
                </tbody>
              </table>
            </div>
            <ul>
              {s.definitions.map(([title, text]) => (
                <li key={title}>
                  <strong>{title}</strong> : {text}
                </li>
              ))}
            </ul>
          </>
        )}
      </Loaded>
    </section>
  );
}

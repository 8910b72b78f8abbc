/** The patient's facts as the operator needs them on the phone. */
import type { ReactNode } from "react";

import { useTerritoryQuery } from "../../../shell/territory";
import { formatBirthDate, type RequestOut } from "../model";
import { regulationTexts } from "../texts";

const t = regulationTexts;
const td = t.detail;

export function PatientCard({ request }: { request: RequestOut }) {
  const territory = useTerritoryQuery();
  const commune =
    territory.data && request.commune_insee
      ? territory.data.communes.find((c) => c.insee_code === request.commune_insee)
      : undefined;
  const rows: [string, ReactNode][] = [
    [td.age, `${request.age_label} (${td.born(formatBirthDate(request.birth_date))}) · ${t.labels.sex[request.sex]}`],
    [
      td.phone,
      <a key="tel" href={`tel:${request.phone}`} className="phone-link">
        {request.phone_display}
      </a>,
    ],
    [td.commune, commune ? `${commune.name} (${commune.postal_code})` : (request.commune_insee ?? t.labels.none)],
  ];
  if (request.address_line) rows.push([td.address, request.address_line]);
  rows.push([
    td.gp,
    request.has_gp === true ? td.gpYes(request.gp_name) : request.has_gp === false ? t.labels.no : t.labels.unknown,
  ]);
  rows.push([td.mobility, t.labels.mobility[request.mobility]]);
  rows.push([td.sms, request.sms_consent ? td.smsYes : td.smsNo]);
  if (request.notes) rows.push([td.notes, request.notes]);
  if (request.outcome_note) rows.push([td.outcomeNote, request.outcome_note]);
  return (
    <section className="card" aria-labelledby="patient-title">
      <h2 id="patient-title">{td.summary}</h2>
      <dl className="facts-list">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

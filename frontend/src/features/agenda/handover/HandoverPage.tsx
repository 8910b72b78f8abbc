/**
 * The handover of one of the effector's appointments (/agenda/rendez-vous/:appointmentId): the
 * reason for the visit, the priority, the risk factors and triage answers, the regulator's note
 * and the patient's phone. What the booking SMS's « Détails sur la plateforme » refers to.
 */
import { Link, useParams } from "react-router";

import { api, useApiQuery } from "../../../api";
import { formatDateTime } from "../../../shell/format";
import { Card, Page } from "../../../shell/Page";
import { Loaded } from "../../../ui";
import { AGENDA_PATHS } from "../paths";
import { agendaKeys } from "../queryKeys";
import { handoverTexts as t } from "./texts";
import "./handover.css";

export function HandoverPage() {
  const appointmentId = useParams().appointmentId ?? "";
  const query = useApiQuery(agendaKeys.handover(appointmentId), (signal) =>
    api.GET("/api/regulation/handover/{appointment_id}", { params: { path: { appointment_id: appointmentId } }, signal }),
  );
  return (
    <Page title={t.title} intro={t.intro}>
      <p>
        <Link to={AGENDA_PATHS.week}>← {t.back}</Link>
      </p>
      <Loaded query={query}>
        {(h) => (
          <div className="handover" data-testid="handover">
            <Card title={t.appointment} id="handover-appointment">
              <dl className="handover-facts">
                <dt>{t.appointment}</dt>
                <dd>
                  {formatDateTime(h.start_at)} · {h.kind_label}
                </dd>
                <dt>{t.patient}</dt>
                <dd>
                  {h.family_name.toUpperCase()} {h.given_name}, {h.age_label}, {t.sex[h.sex] ?? h.sex}
                </dd>
                <dt>{t.phone}</dt>
                <dd>
                  <a href={`tel:${h.phone}`}>{h.phone_display}</a>
                </dd>
                <dt>{t.motif}</dt>
                <dd>{h.motif_label ?? h.motif ?? "—"}</dd>
                <dt>{t.priority}</dt>
                <dd>{h.priority ? (t.priorities[h.priority] ?? h.priority) : "—"}</dd>
                {h.deadline_at ? (
                  <>
                    <dt>{t.deadline}</dt>
                    <dd>{formatDateTime(h.deadline_at)}</dd>
                  </>
                ) : null}
              </dl>
            </Card>
            <Card title={t.riskFactors} id="handover-risks">
              {h.risk_factors.length > 0 ? (
                <ul>
                  {h.risk_factors.map((factor) => (
                    <li key={factor}>{factor}</li>
                  ))}
                </ul>
              ) : (
                <p className="card-note">{t.noRiskFactor}</p>
              )}
            </Card>
            <Card title={t.regulatorNote} id="handover-note">
              {h.regulator_note ? (
                <>
                  <p className="regulator-note">{h.regulator_note}</p>
                  {h.regulator_name ? <p className="cell-sub">{t.regulatorBy(h.regulator_name)}</p> : null}
                </>
              ) : (
                <p className="card-note">{t.noRegulatorNote}</p>
              )}
            </Card>
            <Card title={t.answers} id="handover-answers">
              {h.triage_answers.length > 0 ? (
                <dl className="handover-answers">
                  {h.triage_answers.map((a) => (
                    <div key={a.question}>
                      <dt>{a.question}</dt>
                      <dd>{a.answer}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="card-note">{t.noAnswers}</p>
              )}
            </Card>
          </div>
        )}
      </Loaded>
    </Page>
  );
}

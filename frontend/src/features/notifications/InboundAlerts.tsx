/**
 * Patients' SMS the platform did not understand (issue 13): a person reads each one; those with
 * red-flag words are urgent (call the patient back at once) and listed first. Acknowledge once
 * handled.
 */
import { Link } from "react-router";

import { api, useApiMutation, type Schemas } from "../../api";
import { formatDateTime } from "../../shell/format";
import { Button, ErrorSummary } from "../../ui";
import { REQUEST_PATH } from "../regulation";
import "./inbound.css";

type InboundAlert = Schemas["InboundAlertOut"];

export const inboundTexts = {
  title: "SMS de patients à lire",
  intro: "Messages que la plateforme n'a pas compris : lisez-les et rappelez le patient si besoin.",
  urgent: (words: string) => `URGENT — mots d'alerte : ${words}. Rappelez le patient immédiatement (15 si besoin).`,
  from: (who: string, when: string) => `De ${who}, le ${when}`,
  request: (id: number) => `Demande n° ${id}`,
  acknowledge: "Marquer lu et traité",
  acknowledging: "…",
  failed: "L'alerte n'a pas été marquée traitée",
} as const;
const t = inboundTexts;

export function InboundAlerts({ items, onChanged }: { items: readonly InboundAlert[]; onChanged: () => void }) {
  const acknowledge = useApiMutation(
    (id: number) => api.POST("/api/notifications/inbound-alerts/{inbound_id}/acknowledge", { params: { path: { inbound_id: id } } }),
    { onSuccess: () => onChanged() },
  );
  if (items.length === 0) return null;
  return (
    <div className="sms-inbound" data-testid="sms-inbound-alerts">
      <h3>{t.title}</h3>
      <p className="card-note">{t.intro}</p>
      <ErrorSummary title={t.failed} error={acknowledge.error} />
      <ul className="sms-alert-list">
        {items.map((alert) => (
          <li key={alert.id} className={alert.urgent ? "sms-alert sms-alert-urgent" : "sms-alert"}>
            <div>
              {alert.urgent ? (
                <strong className="sms-urgent" role="alert">
                  {t.urgent(alert.red_flag_words ?? "")}
                </strong>
              ) : null}
              <blockquote className="sms-inbound-body">« {alert.body} »</blockquote>
              <span className="cell-sub">
                {t.from(alert.sender_display, formatDateTime(alert.received_at))}
                {alert.request_id !== null ? (
                  <>
                    {" · "}
                    <Link to={REQUEST_PATH(alert.request_id)}>{t.request(alert.request_id)}</Link>
                  </>
                ) : null}
              </span>
            </div>
            <a className="button button-secondary" href={`tel:${alert.sender}`}>
              {alert.sender_display}
            </a>
            <Button
              variant="primary"
              busy={acknowledge.isPending && acknowledge.variables === alert.id}
              onClick={() => acknowledge.mutate(alert.id)}
            >
              {acknowledge.isPending && acknowledge.variables === alert.id ? t.acknowledging : t.acknowledge}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}

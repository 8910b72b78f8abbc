/**
 * « SMS de la demande » on the request page: what was sent to whom (patient, practitioner,
 * referrer) and whether it was delivered, re-read live when the request changes.
 */
import { api, useApiQuery } from "../../api";
import { formatDateTime } from "../../shell/format";
import { useLiveInvalidation } from "../../shell/live";
import { Loaded } from "../../ui";
import { notificationsKeys } from "./queryKeys";
import { notificationsTexts } from "./texts";
import "./notifications.css";

const t = notificationsTexts;
const tr = t.requestSms;

export function RequestSmsCard({ requestId }: { requestId: number }) {
  const key = notificationsKeys.requestMessages(requestId);
  const messages = useApiQuery(key, (signal) =>
    api.GET("/api/notifications/requests/{request_id}/messages", { params: { path: { request_id: requestId } }, signal }),
  );
  useLiveInvalidation([key], (message) => message.type.startsWith("request.") && message.request_id === requestId);
  return (
    <section className="card" aria-labelledby="request-sms-title">
      <h2 id="request-sms-title">{tr.title}</h2>
      <Loaded query={messages}>
        {(rows) =>
          rows.length === 0 ? (
            <p className="card-note">{tr.none}</p>
          ) : (
            <ul className="request-sms" data-testid="request-sms">
              {rows.map((m) => (
                <li key={m.id} className={`request-sms-${m.status}`}>
                  <p>
                    <strong>{t.template(m.template)}</strong> · {formatDateTime(m.created_at)}
                  </p>
                  <p>{tr.to(t.audience(m.audience), m.recipient_display)}</p>
                  <p>
                    <span className={`sms-status sms-status-${m.status}`}>{t.status(m.status)}</span>
                    {m.error_label ? ` — ${tr.failed(m.error_label)}` : ""}
                  </p>
                  <details>
                    <summary>{tr.text}</summary>
                    <p>{m.body}</p>
                  </details>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

/**
 * What the operators must see of the SMS, live on their console: the essential messages that
 * will not arrive (the person must be phoned; acknowledge once done), and today's broadcasts to
 * volunteer effectors (waiting, taken by whom, appointment booked or time to agree).
 *
 * Both lists re-fetch on the live events that concern them (`notification.undeliverable`,
 * `broadcast.*`, `request.escalated`, and `resync` after a reconnection).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, refreshCoalesced, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { formatClock, formatDateTime } from "../../shell/format";
import { useLiveInvalidation } from "../../shell/live";
import { Card, EmptyState } from "../../shell/Page";
import { ErrorNotice } from "../../ui";
import { InboundAlerts } from "./InboundAlerts";
import { maskPhone } from "./model";
import { notificationsKeys } from "./queryKeys";
import { notificationsTexts as t } from "./texts";
import "./notifications.css";

type Alert = Schemas["AlertOut"];
type Broadcast = Schemas["BroadcastOut"];

const ALERT_EVENTS = new Set(["notification.undeliverable", "notification.inbound_alert"]);
const BROADCAST_EVENTS = new Set(["broadcast.started", "broadcast.accepted", "broadcast.answered_late", "request.escalated"]);

function aDayAgo(): string {
  return new Date(Date.now() - 24 * 3600 * 1000).toISOString();
}

export function OperatorSmsPanels() {
  return (
    <div className="sms-panels">
      <AlertsCard />
      <BroadcastsCard />
    </div>
  );
}

function AlertsCard() {
  const ta = t.alerts;
  const client = useQueryClient();
  const alerts = useApiQuery(notificationsKeys.alerts, (signal) => api.GET("/api/notifications/alerts", { signal }));
  useLiveInvalidation([notificationsKeys.alerts], (message) => ALERT_EVENTS.has(message.type));
  const acknowledge = useApiMutation(
    (alert: Alert) => api.POST("/api/notifications/alerts/{message_id}/acknowledge", { params: { path: { message_id: alert.id } } }),
    {
      invalidates: [notificationsKeys.alerts],
      onError: () => refreshCoalesced(client, notificationsKeys.alerts),
    },
  );
  const busy = acknowledge.isPending ? (acknowledge.variables?.id ?? null) : null;
  const problem = acknowledge.error?.message ?? null;

  const items = alerts.data?.items ?? [];
  const inbound = alerts.data?.inbound ?? [];
  return (
    <Card
      title={ta.title}
      id="sms-alertes"
      aside={items.length + inbound.length > 0 ? <span className="badge badge-alert">{items.length + inbound.length}</span> : null}
    >
      <InboundAlerts items={inbound} onChanged={() => refreshCoalesced(client, notificationsKeys.alerts)} />
      {alerts.error && !alerts.data ? <ErrorNotice message={alerts.error.message} onRetry={() => void alerts.refetch()} /> : null}
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
      {alerts.data && items.length === 0 ? <p className="card-note">{ta.empty}</p> : null}
      {items.length > 0 ? (
        <>
          <p className="card-note">{ta.intro}</p>
          <ul className="sms-alert-list" data-testid="sms-alerts">
            {items.map((alert) => (
              <li key={alert.id} className="sms-alert">
                <div>
                  <strong>{ta.call(`${t.audience(alert.audience).toLowerCase()} ${alert.recipient_display}`)}</strong>
                  <span className="cell-sub">
                    {t.template(alert.template)} · {alert.reason}
                    {alert.appointment_start_at ? ` · ${ta.about.appointment} ${formatDateTime(alert.appointment_start_at)}` : ""}
                    {alert.request_id !== null ? ` · ${ta.about.request} ${alert.request_id}` : ""}
                  </span>
                </div>
                <a className="button button-secondary" href={`tel:${alert.recipient}`}>
                  {maskPhone(alert.recipient_display)}
                </a>
                <button
                  type="button"
                  className="button button-primary"
                  disabled={busy !== null}
                  onClick={() => acknowledge.mutate(alert)}
                >
                  {busy === alert.id ? ta.acknowledging : ta.acknowledge}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Card>
  );
}

function broadcastState(b: Broadcast): string {
  const tb = t.broadcasts;
  if (b.status === "open") return tb.open(formatClock(b.expires_at));
  if (b.status === "taken") {
    const who = tb.taken(b.winner_name ?? null);
    return b.appointment_start_at ? `${who} · ${tb.booked(formatClock(b.appointment_start_at))}` : `${who} · ${tb.toAgree}`;
  }
  return tb.closed;
}

function BroadcastsCard() {
  const [since] = useState(aDayAgo);
  return <BroadcastList query={{ since, limit: 20 }} cacheKey="broadcasts" />;
}

/** The SMS broadcasts of one request (its escalation steps), live: for the request page. */
export function RequestBroadcasts({ requestId }: { requestId: number }) {
  return <BroadcastList query={{ request_id: requestId, limit: 10 }} cacheKey={`broadcasts-${requestId}`} hideWhenEmpty />;
}

function BroadcastList({
  query,
  cacheKey,
  hideWhenEmpty = false,
}: {
  query: { since?: string; request_id?: number; limit: number };
  cacheKey: string;
  hideWhenEmpty?: boolean;
}) {
  const tb = t.broadcasts;
  const broadcasts = useApiQuery(notificationsKeys.broadcastList(query), (signal) =>
    api.GET("/api/notifications/broadcasts", { params: { query }, signal }),
  );
  useLiveInvalidation([notificationsKeys.broadcasts], (message) => BROADCAST_EVENTS.has(message.type));
  const items = broadcasts.data?.items ?? [];
  if (hideWhenEmpty && items.length === 0) return null;
  return (
    <Card title={tb.title} id={`sms-diffusions-${cacheKey}`}>
      {broadcasts.error && !broadcasts.data ? (
        <ErrorNotice message={broadcasts.error.message} onRetry={() => void broadcasts.refetch()} />
      ) : null}
      {broadcasts.data && items.length === 0 ? <EmptyState>{tb.empty}</EmptyState> : null}
      {items.length > 0 ? (
        <ul className="sms-broadcasts" aria-label={tb.caption} data-testid="sms-broadcasts">
          {items.map((b) => (
            <li key={b.id} data-status={b.status}>
              <strong>{tb.request(b.request_id ?? null)}</strong> · {b.place} · {tb.step(b.step ?? null)} · {tb.code(b.code)}
              <span className="cell-sub">
                {tb.targets(b.targets)} · {tb.answers(b.answers ?? 0)}
              </span>
              <span className="cell-sub" aria-live="polite">
                {broadcastState(b)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

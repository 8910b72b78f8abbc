/**
 * The coordinator's SMS demo page: every message of the outbox (what the console backend would
 * have sent), newest first, refreshed every few seconds and at once on live events; filters by
 * state and recipient; and a form simulating an SMS reply (ANNULER, STOP, OUI <code>, a score).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, refreshCoalesced, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { formatDateTime } from "../../shell/format";
import { useLiveInvalidation } from "../../shell/live";
import { EmptyState, Page } from "../../shell/Page";
import { Loaded } from "../../ui";
import { maskPhone } from "./model";
import { notificationsKeys } from "./queryKeys";
import { notificationsTexts as t } from "./texts";
import "./notifications.css";

type Message = Schemas["MessageOut"];
type MessageState = Message["status"];
type Audience = Message["audience"];

const REFRESH_MS = 3_000;
const LIMIT = 100;
const td = t.demo;

export function SmsDemoPage() {
  const [status, setStatus] = useState<MessageState | "">("");
  const [audience, setAudience] = useState<Audience | "">("");
  const [sender, setSender] = useState("");
  const client = useQueryClient();
  const messages = useApiQuery(
    notificationsKeys.messageList(status, audience),
    (signal) =>
      api.GET("/api/notifications/messages", {
        params: {
          query: {
            limit: LIMIT,
            offset: 0,
            ...(status ? { status } : {}),
            ...(audience ? { audience } : {}),
          },
        },
        signal,
      }),
    // The dispatcher changes states without live events: a light poll keeps the page current.
    { refetchInterval: REFRESH_MS },
  );
  useLiveInvalidation([notificationsKeys.messages], () => true);
  const reload = () => refreshCoalesced(client, notificationsKeys.messages);

  return (
    <Page title={td.title} intro={td.intro}>
      <form className="sms-filters" aria-label={td.filters} onSubmit={(e) => e.preventDefault()}>
        <div className="field sms-field">
          <label htmlFor="sms-filter-status">{td.status}</label>
          <select id="sms-filter-status" value={status} onChange={(e) => setStatus(e.target.value as MessageState | "")}>
            <option value="">{td.all}</option>
            {t.statusOptions.map((s) => (
              <option key={s} value={s}>
                {t.status(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field sms-field">
          <label htmlFor="sms-filter-audience">{td.audience}</label>
          <select id="sms-filter-audience" value={audience} onChange={(e) => setAudience(e.target.value as Audience | "")}>
            <option value="">{td.all}</option>
            {t.audienceOptions.map((a) => (
              <option key={a} value={a}>
                {t.audience(a)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button-secondary" onClick={reload}>
          {td.refresh}
        </button>
        {messages.data ? <span className="badge">{td.total(messages.data.total)}</span> : null}
      </form>
      <InboundForm sender={sender} onSender={setSender} onDone={reload} />
      <Loaded query={messages}>
        {(data) =>
          data.items.length === 0 ? <EmptyState>{td.empty}</EmptyState> : <MessagesTable items={data.items} onPick={setSender} />
        }
      </Loaded>
    </Page>
  );
}

function MessagesTable({ items, onPick }: { items: readonly Message[]; onPick: (phone: string) => void }) {
  const c = td.columns;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="table-sms">
      <table className="sms-table" data-testid="sms-messages">
        <caption id="table-sms" className="visually-hidden">
          {td.tableCaption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{c.at}</th>
            <th scope="col">{c.recipient}</th>
            <th scope="col">{c.template}</th>
            <th scope="col">{c.body}</th>
            <th scope="col">{c.status}</th>
            <th scope="col">{c.attempts}</th>
            <th scope="col">{c.error}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.id} data-template={m.template} data-audience={m.audience}>
              <td className="nowrap">
                <time dateTime={m.created_at}>{formatDateTime(m.created_at)}</time>
              </td>
              <td className="nowrap">
                <span className="cell-sub">{t.audience(m.audience)}</span>
                <span className="mono">{maskPhone(m.recipient_display)}</span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onPick(m.recipient)}
                  aria-label={`${td.inbound.pick} (${maskPhone(m.recipient_display)})`}
                >
                  {td.inbound.pick}
                </button>
              </td>
              <td>
                {t.template(m.template)}
                {m.essential ? <span className="cell-sub">{td.essential}</span> : null}
              </td>
              <td className="sms-body">
                {m.body}
                <span className="cell-sub">{td.segments(m.segments, m.encoding)}</span>
              </td>
              <td>
                <span className={`sms-status sms-status-${m.status}`}>{t.status(m.status)}</span>
              </td>
              <td>{m.attempts}</td>
              <td>{m.error_label ?? m.error_code ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function InboundForm({ sender, onSender, onDone }: { sender: string; onSender: (v: string) => void; onDone: () => void }) {
  const ti = td.inbound;
  const [body, setBody] = useState("");
  const inbound = useApiMutation(() => api.POST("/api/notifications/console/inbound", { body: { sender, body } }), {
    onSuccess: () => {
      setBody("");
      onDone();
    },
  });
  const busy = inbound.isPending;
  const problem = inbound.error?.message ?? null;
  const done = inbound.data ? ti.done(inbound.data.keyword, inbound.data.outcome) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    inbound.mutate();
  }

  return (
    <section className="card sms-inbound" aria-labelledby="sms-inbound-title">
      <h2 id="sms-inbound-title">{ti.title}</h2>
      <p className="card-note">{ti.intro}</p>
      <form onSubmit={submit} className="sms-inbound-form">
        <label className="field">
          {ti.sender}
          <input type="tel" value={sender} onChange={(e) => onSender(e.target.value)} required minLength={6} maxLength={30} />
        </label>
        <label className="field">
          {ti.body}
          <input type="text" value={body} onChange={(e) => setBody(e.target.value)} required maxLength={480} />
        </label>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? ti.sending : ti.send}
        </button>
      </form>
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
      {done ? (
        <p className="notice notice-info" role="status">
          {done}
        </p>
      ) : null}
    </section>
  );
}

/** CalDAV: connect the calendar the GP keeps; its busy times withdraw the free SNP slots. */
import { useState, type FormEvent } from "react";

import { api, fieldErrorIn, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { Card } from "../../shell/Page";
import { ErrorSummary, InputField, Loaded, Notice } from "../../ui";
import type { EffectorProfile } from "./me";
import { agendaKeys } from "./queryKeys";
import { agendaTexts } from "./texts";
import { dateTimeAt } from "./time";
import { Actions } from "./ui";

type CaldavLink = Schemas["CaldavLinkOut"];

const t = agendaTexts.calendars;

export function CaldavCard({ me }: { me: EffectorProfile }) {
  const link = useApiQuery(agendaKeys.caldav(me.id), (signal) =>
    api.GET("/api/agenda/caldav", { params: { query: { effector_id: me.id } }, signal }),
  );
  return (
    <Card title={t.caldavTitle} id="ag-caldav">
      <p>{t.caldavIntro}</p>
      <Loaded query={link}>{(data) => <CaldavForm me={me} initial={data} />}</Loaded>
    </Card>
  );
}

function CaldavForm({ me, initial }: { me: EffectorProfile; initial: CaldavLink }) {
  const [state, setState] = useState<CaldavLink>(initial);
  const [url, setUrl] = useState(initial.url ?? "");
  const [username, setUsername] = useState(initial.username ?? "");
  const [password, setPassword] = useState("");
  const [write, setWrite] = useState(initial.write_bookings);
  const settle = { invalidates: [agendaKeys.caldav(me.id), agendaKeys.all], onSuccess: setState };
  const connect = useApiMutation(
    () => api.PUT("/api/agenda/caldav", { body: { url, username, password, write_bookings: write, effector_id: me.id } }),
    { ...settle, onSuccess: (out) => { setPassword(""); setState(out); } },
  );
  const sync = useApiMutation(() => api.POST("/api/agenda/caldav/sync", { params: { query: { effector_id: me.id } } }), settle);
  const disconnect = useApiMutation(
    () => api.DELETE("/api/agenda/caldav", { params: { query: { effector_id: me.id } } }),
    { invalidates: [agendaKeys.caldav(me.id)], onSuccess: () => setState({ ...initial, connected: false, busy: [], report: null }) },
  );
  const busy = connect.isPending || sync.isPending || disconnect.isPending;
  const errors = connect.error?.messages ?? [];
  const report = state.report;
  const busyTimes = state.busy ?? [];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    connect.mutate();
  }

  return (
    <>
      {state.connected && state.url ? <Notice tone="success">{t.caldavConnected(state.url)}</Notice> : null}
      {state.connected && state.last_error ? (
        <div className="notice notice-warning" role="alert">
          <p>
            <strong>{t.lastError}</strong> {state.last_error}
          </p>
        </div>
      ) : null}
      {report ? (
        <section className="ag-report" role="status" aria-label={t.caldavReportTitle}>
          <p>{t.caldavReport(report.busy, report.withdrawn, report.written, report.removed)}</p>
          {report.conflicts.length ? (
            <>
              <p>{t.caldavConflicts}</p>
              <ul>
                {report.conflicts.map((c) => (
                  <li key={c.appointment_id}>{dateTimeAt(c.start_at)}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {state.connected ? (
        <section aria-label={t.caldavBusy}>
          <h3>{t.caldavBusy}</h3>
          {busyTimes.length ? (
            <ul className="ag-busy">
              {busyTimes.map((b) => (
                <li key={b.start_at}>
                  {dateTimeAt(b.start_at)} – {dateTimeAt(b.end_at)}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t.caldavNoBusy}</p>
          )}
          {state.last_synced_at ? <p className="card-note">{t.lastFetched(dateTimeAt(state.last_synced_at))}</p> : null}
        </section>
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={t.caldavFailed} error={connect.error ?? sync.error ?? disconnect.error} />
        <InputField label={t.caldavUrl} error={fieldErrorIn(errors, "url")} type="url" autoComplete="off" spellCheck={false} placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} />
        <InputField label={t.caldavUser} error={fieldErrorIn(errors, "username")} autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        <InputField label={t.caldavPassword} hint={t.caldavPasswordHint} error={fieldErrorIn(errors, "password")} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />
            {t.caldavWrite}
          </label>
        </div>
        <Actions>
          <button type="submit" className="button button-primary" disabled={busy}>
            {connect.isPending ? t.caldavConnecting : t.caldavConnect}
          </button>
          {state.connected ? (
            <>
              <button type="button" className="button button-secondary" onClick={() => sync.mutate()} disabled={busy}>
                {t.caldavSync}
              </button>
              <button type="button" className="button ag-button-danger" onClick={() => disconnect.mutate()} disabled={busy}>
                {t.caldavDisconnect}
              </button>
            </>
          ) : null}
        </Actions>
      </form>
    </>
  );
}

/**
 * The coordinator's telephone demo page (console backend): plays the phone network's part, so
 * the whole journey works without Twilio — a call rings the CPTS number, a waiting caller hangs
 * up, a patient called back answers, does not answer or is busy.
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation } from "../../api";
import { Page } from "../../shell/Page";
import { Button, InputField, Notice } from "../../ui";
import { useBoard } from "./PhoneLinePanel";
import { telephonyKeys } from "./queryKeys";
import { telephonyTexts } from "./texts";
import "./telephony.css";

const t = telephonyTexts.demo;

export function VoiceDemoPage() {
  const board = useBoard();
  const [sender, setSender] = useState("06 12 34 56 78");
  const ring = useApiMutation(() => api.POST("/api/voice/console/calls", { body: { sender } }), {
    invalidates: [telephonyKeys.all],
  });
  const hangUp = useApiMutation(
    (callId: number) => api.POST("/api/voice/console/calls/{call_id}/hang-up", { params: { path: { call_id: callId } } }),
    { invalidates: [telephonyKeys.all] },
  );
  const answer = useApiMutation(
    ({ callId, result }: { callId: number; result: "completed" | "no-answer" | "busy" }) =>
      api.POST("/api/voice/console/callbacks/{call_id}/result", {
        params: { path: { call_id: callId } },
        body: { result, duration_seconds: result === "completed" ? 120 : 0 },
      }),
    { invalidates: [telephonyKeys.all] },
  );
  const error = ring.error ?? hangUp.error ?? answer.error;
  const data = board.data;
  const callbacks = data?.active.filter((call) => call.direction === "callback") ?? [];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    ring.mutate();
  }

  return (
    <Page title={t.title} intro={t.intro}>
      {data && data.backend !== "console" ? <Notice tone="warning">{t.wrongBackend}</Notice> : null}
      {error ? <Notice tone="error">{error.message}</Notice> : null}
      <div className="demo-grid">
        <form className="card" onSubmit={onSubmit} aria-label={t.ring}>
          <InputField
            label={t.sender}
            id="demo-sender"
            value={sender}
            onChange={(e) => setSender(e.target.value)}
            error={ring.error?.fieldErrors.find((e) => e.field === "sender")?.msg}
          />
          <Button type="submit" variant="primary" busy={ring.isPending}>
            {ring.isPending ? t.ringing : t.ring}
          </Button>
        </form>
        <section className="card" aria-labelledby="demo-attente">
          <h2 id="demo-attente">{t.waitingTitle}</h2>
          {data && data.waiting.length === 0 ? <p className="card-note">{t.none}</p> : null}
          <ul className="call-list" data-testid="demo-waiting">
            {data?.waiting.map((call) => (
              <li key={call.id} className="call-item">
                <strong>{call.number_masked}</strong>
                <Button variant="danger" busy={hangUp.isPending && hangUp.variables === call.id} onClick={() => hangUp.mutate(call.id)}>
                  {t.hangUp}
                </Button>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="demo-rappels">
          <h2 id="demo-rappels">{t.callbacksTitle}</h2>
          {callbacks.length === 0 ? <p className="card-note">{t.none}</p> : null}
          <ul className="call-list" data-testid="demo-callbacks">
            {callbacks.map((call) => (
              <li key={call.id} className="call-item">
                <strong>{call.number_masked}</strong>
                <div className="call-actions">
                  <Button variant="primary" onClick={() => answer.mutate({ callId: call.id, result: "completed" })}>
                    {t.answers}
                  </Button>
                  <Button onClick={() => answer.mutate({ callId: call.id, result: "no-answer" })}>{t.noAnswer}</Button>
                  <Button onClick={() => answer.mutate({ callId: call.id, result: "busy" })}>{t.busy}</Button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Page>
  );
}

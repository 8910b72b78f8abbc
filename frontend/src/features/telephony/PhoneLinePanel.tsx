/**
 * The CPTS line on the operator's console: my presence and the phone to ring, the calls waiting
 * (live on every console: wait time, masked number, who it probably is), « Prendre l'appel »,
 * my call in progress and its outcome, and the callers to call back.
 *
 * The board re-fetches on every `voice.*` live event (and `resync`). Taking a call hands the
 * caller's number to the page that opens the request (`onNewRequest`), or opens the caller's
 * open request (`onOpenRequest`).
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { useNow } from "../../shell/clock";
import { formatClock } from "../../shell/format";
import { useLiveInvalidation } from "../../shell/live";
import { Card } from "../../shell/Page";
import { Button, ErrorNotice, InputField, Notice } from "../../ui";
import { hintText, waitedSeconds, type Board } from "./model";
import { telephonyKeys } from "./queryKeys";
import { formatSeconds, telephonyTexts } from "./texts";
import "./telephony.css";

const t = telephonyTexts.panel;

export function useBoard() {
  const board = useApiQuery(telephonyKeys.board, (signal) => api.GET("/api/voice/board", { signal }));
  useLiveInvalidation([telephonyKeys.board], (message) => message.type.startsWith("voice."));
  return board;
}

export function PhoneLinePanel({
  onNewRequest,
  onOpenRequest,
}: {
  onNewRequest: (number: string, callId: number) => void;
  onOpenRequest: (requestId: number) => void;
}) {
  const board = useBoard();
  const data = board.data;
  return (
    <Card title={t.title} id="ligne" aside={data ? <span className="badge">{data.waiting.length}</span> : null}>
      {board.error && !data ? <ErrorNotice message={board.error.message} onRetry={() => void board.refetch()} /> : null}
      {data ? (
        <div className="phone-line" data-testid="phone-line">
          {!data.open_now ? <Notice tone="info">{t.closed}</Notice> : null}
          <PresenceForm board={data} />
          <MyCall board={data} />
          <WaitingCalls board={data} onNewRequest={onNewRequest} onOpenRequest={onOpenRequest} />
          <CallbackTasks board={data} />
        </div>
      ) : null}
    </Card>
  );
}

/**
 * The line at a glance, one line in the console's title bar: my presence, the calls waiting and
 * the callers to call back; it leads to the full panel (below the queue, so the queue keeps the
 * screen). Waiting calls turn it into a warning.
 */
export function PhoneLineBar() {
  const data = useBoard().data;
  if (!data) return null;
  const presence = telephonyTexts.presence[data.me?.state ?? "away"] ?? "";
  return (
    <a
      href="#ligne"
      className={data.waiting.length > 0 ? "phone-bar phone-bar-waiting" : "phone-bar"}
      data-testid="phone-bar"
      aria-live="polite"
    >
      {t.bar(presence, data.waiting.length, data.tasks.length)}
    </a>
  );
}

function PresenceForm({ board }: { board: Board }) {
  const me = board.me;
  const [phone, setPhone] = useState(me?.phone ?? "");
  const save = useApiMutation(
    (state: "available" | "away") =>
      api.PUT("/api/voice/presence", { body: { state, phone: phone.trim() || null } }),
    { invalidates: [telephonyKeys.board] },
  );
  const phoneError = save.error?.fieldErrors.find((e) => e.field === "phone")?.msg;
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate("available");
  }
  return (
    <form className="presence" onSubmit={onSubmit} aria-label={t.presence}>
      <p className="presence-state" data-testid="my-presence" data-state={me?.state ?? "away"}>
        {t.state(telephonyTexts.presence[me?.state ?? "away"] ?? "")}
        {me?.wrap_up_until ? ` ${t.until(formatClock(me.wrap_up_until))}` : ""}
      </p>
      <InputField
        label={t.phone}
        hint={t.phoneHint}
        id="presence-phone"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        autoComplete="tel"
        error={phoneError}
      />
      <div className="presence-actions">
        <Button type="submit" variant="primary" busy={save.isPending && save.variables === "available"}>
          {t.available}
        </Button>
        <Button onClick={() => save.mutate("away")} busy={save.isPending && save.variables === "away"}>
          {t.away}
        </Button>
      </div>
      {save.error && !phoneError ? <Notice tone="error">{save.error.message}</Notice> : null}
    </form>
  );
}

function WaitingCalls({
  board,
  onNewRequest,
  onOpenRequest,
}: {
  board: Board;
  onNewRequest: (number: string, callId: number) => void;
  onOpenRequest: (requestId: number) => void;
}) {
  const now = useNow(1000);
  const take = useApiMutation(
    (callId: number) => api.POST("/api/voice/calls/{call_id}/take", { params: { path: { call_id: callId } } }),
    {
      invalidates: [telephonyKeys.board],
      onSuccess: async (taken: Schemas["TakenOut"]) => {
        if (taken.open_request_id !== null) {
          await api.POST("/api/voice/calls/{call_id}/outcome", {
            params: { path: { call_id: taken.call_id } },
            body: { outcome: "request_linked", request_id: taken.open_request_id },
          });
          onOpenRequest(taken.open_request_id);
        } else {
          onNewRequest(taken.number, taken.call_id);
        }
      },
    },
  );
  return (
    <section aria-labelledby="appels-attente">
      <h3 id="appels-attente">{t.waitingTitle}</h3>
      {take.error ? <Notice tone="error">{take.error.message}</Notice> : null}
      {board.waiting.length === 0 ? (
        <p className="card-note">{t.noWaiting}</p>
      ) : (
        <ul className="call-list" data-testid="waiting-calls">
          {board.waiting.map((call) => (
            <li key={call.id} className="call-item" data-call-id={call.id}>
              <div>
                <strong>{call.number_masked}</strong> <span className="cell-sub">{t.position(call.position)}</span>
                <span className="cell-sub">
                  {t.waited(formatSeconds(waitedSeconds(call.arrived_at, now)))} · {hintText(call.hints)}
                </span>
              </div>
              <Button
                variant="primary"
                disabled={take.isPending || board.me === null}
                busy={take.isPending && take.variables === call.id}
                onClick={() => take.mutate(call.id)}
              >
                {take.isPending && take.variables === call.id ? t.taking : t.take}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MyCall({ board }: { board: Board }) {
  const mine = board.active.filter((call) => call.mine);
  const outcome = useApiMutation(
    ({ callId, value }: { callId: number; value: "advice_only" | "wrong_number" }) =>
      api.POST("/api/voice/calls/{call_id}/outcome", { params: { path: { call_id: callId } }, body: { outcome: value } }),
    { invalidates: [telephonyKeys.all] },
  );
  const hangUp = useApiMutation(
    (callId: number) => api.POST("/api/voice/calls/{call_id}/hang-up", { params: { path: { call_id: callId } } }),
    { invalidates: [telephonyKeys.all] },
  );
  if (mine.length === 0) return null;
  return (
    <section aria-labelledby="mon-appel" className="my-call" data-testid="my-call">
      <h3 id="mon-appel">{t.myCall}</h3>
      {outcome.error ? <Notice tone="error">{outcome.error.message}</Notice> : null}
      {mine.map((call) => (
        <div key={call.id} className="call-item">
          <strong>{call.direction === "callback" ? t.callBackTo(call.number_masked) : t.callWith(call.number_masked)}</strong>
          {call.direction === "inbound" ? (
            <div className="call-actions" role="group" aria-label={t.outcomeTitle}>
              <Button onClick={() => outcome.mutate({ callId: call.id, value: "advice_only" })}>{t.adviceOnly}</Button>
              <Button onClick={() => outcome.mutate({ callId: call.id, value: "wrong_number" })}>{t.wrongNumber}</Button>
              {board.backend === "console" ? (
                <Button variant="danger" busy={hangUp.isPending} onClick={() => hangUp.mutate(call.id)}>
                  {t.hangUp}
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      ))}
    </section>
  );
}

function CallbackTasks({ board }: { board: Board }) {
  const callBack = useApiMutation(
    (taskId: number) => api.POST("/api/voice/callbacks", { body: { task_id: taskId } }),
    { invalidates: [telephonyKeys.board] },
  );
  const done = useApiMutation(
    (taskId: number) => api.POST("/api/voice/tasks/{task_id}/done", { params: { path: { task_id: taskId } } }),
    { invalidates: [telephonyKeys.board] },
  );
  const error = callBack.error ?? done.error;
  return (
    <section aria-labelledby="rappels-a-faire">
      <h3 id="rappels-a-faire">{t.tasksTitle}</h3>
      {error ? <Notice tone="error">{error.message}</Notice> : null}
      {board.tasks.length === 0 ? (
        <p className="card-note">{t.noTasks}</p>
      ) : (
        <ul className="call-list" data-testid="callback-tasks">
          {board.tasks.map((task) => (
            <li key={task.id} className="call-item" data-task-id={task.id}>
              <div>
                <strong>{task.number_masked}</strong>{" "}
                <span className="badge badge-warning">{task.reason_label}</span>
                <span className="cell-sub">
                  {t.since(formatClock(task.first_call_at))} · {t.calls(task.calls)} · {hintText(task.hints)}
                </span>
              </div>
              <div className="call-actions">
                <Button
                  variant="primary"
                  disabled={board.me === null}
                  busy={callBack.isPending && callBack.variables === task.id}
                  onClick={() => callBack.mutate(task.id)}
                >
                  {t.callBack}
                </Button>
                <Button busy={done.isPending && done.variables === task.id} onClick={() => done.mutate(task.id)}>
                  {t.done}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Calling the patient back: the phone link, logging each attempt, and the attempts so far. */
import { useState } from "react";

import { api, useApiMutation } from "../../../api";
import { Notice } from "../../../ui";
import { CallBackButton } from "../../telephony";
import { formatWhen, type CallbackResult, type RequestOut } from "../model";
import { regulationKeys } from "../queryKeys";
import { regulationTexts } from "../texts";

const t = regulationTexts;

const CALLBACK_RESULTS: readonly CallbackResult[] = ["reached", "no_answer", "voicemail", "busy", "wrong_number"];

export function CallbacksCard({
  request,
  canAct,
  onFlash,
}: {
  request: RequestOut;
  canAct: boolean;
  onFlash: (message: string) => void;
}) {
  const tc = t.callbacks;
  const [note, setNote] = useState("");
  const [allowed, setAllowed] = useState(false);
  const failed = request.callback_attempts.filter((a) => a.result !== "reached").length;
  const logCall = useApiMutation(
    (result: CallbackResult) =>
      api.POST("/api/regulation/requests/{request_id}/callbacks", {
        params: { path: { request_id: request.id } },
        body: { result, note: note.trim() || null },
      }),
    {
      invalidates: [regulationKeys.request(request.id)],
      onSuccess: (answer, result) => {
        setNote("");
        setAllowed(answer.unreachable_allowed);
        onFlash(tc.logged(t.labels.callbackResult[result]));
      },
    },
  );

  return (
    <section className="card" aria-labelledby="rappels-title">
      <div className="card-head">
        <h2 id="rappels-title">{tc.title}</h2>
        {failed > 0 ? <span className="badge badge-warning">{tc.failed(failed)}</span> : null}
      </div>
      <a className="button button-secondary button-block phone-button" href={`tel:${request.phone}`}>
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" focusable="false">
          <path
            d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
            fill="currentColor"
          />
        </svg>
        {tc.call(request.phone_display)}
      </a>
      {canAct ? <CallBackButton requestId={request.id} /> : null}
      {canAct ? (
        <div className="callback-log">
          <p className="field-label" id="callback-log-title">
            {tc.logTitle}
          </p>
          {logCall.error ? (
            <Notice tone="error" block>
              {logCall.error.messages.map((e, i) => (
                <p key={i}>{e.msg}</p>
              ))}
            </Notice>
          ) : null}
          <div className="field">
            <label htmlFor="callback-note">{tc.note}</label>
            <input id="callback-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
          </div>
          <div className="callback-buttons" role="group" aria-labelledby="callback-log-title">
            {CALLBACK_RESULTS.map((result) => (
              <button
                key={result}
                type="button"
                className={`button button-small ${result === "reached" ? "button-primary" : "button-secondary"}`}
                onClick={() => logCall.mutate(result)}
                disabled={logCall.isPending}
              >
                {t.labels.callbackResult[result]}
              </button>
            ))}
          </div>
          {allowed ? <p className="card-note">{tc.unreachableAllowed}</p> : null}
        </div>
      ) : null}
      {request.callback_attempts.length === 0 ? (
        <p className="muted">{tc.none}</p>
      ) : (
        <table className="compact-table">
          <caption className="visually-hidden">{tc.tableCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{tc.at}</th>
              <th scope="col">{tc.result}</th>
              <th scope="col">{tc.by}</th>
            </tr>
          </thead>
          <tbody>
            {request.callback_attempts.map((a) => (
              <tr key={a.id}>
                <td className="nowrap">{formatWhen(a.at)}</td>
                <td>
                  {t.labels.callbackResult[a.result]}
                  {a.note ? <span className="cell-sub">{a.note}</span> : null}
                </td>
                <td>{a.operator_name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The physician's approval of a draft (regulators only; the server refuses the version's author,
 * a version whose checks fail, and a reason shorter than 10 characters).
 */
import { useRef, useState } from "react";

import { api, type Schemas } from "../../../api/client";
import { describeFailure } from "../../../shell/useApi";
import { perform } from "../../regulation/model";
import { protocolTexts as t } from "./texts";

type Version = Schemas["ProtocolVersionOut"];

export function ApproveButton({
  version,
  approvable,
  onApproved,
}: {
  version: Version;
  approvable: boolean;
  onApproved: () => void;
}) {
  const ta = t.approve;
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [read, setRead] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function approve() {
    setBusy(true);
    const result = await perform(
      api.POST("/api/regulation/protocols/{number}/approve", {
        params: { path: { number: version.number } },
        body: { reason: reason.trim() },
      }),
    );
    setBusy(false);
    if (result.ok) {
      dialog.current?.close();
      onApproved();
    } else setError(result.errors.map((e) => e.msg).join(" ") || describeFailure(result.status, null));
  }

  return (
    <>
      <button
        type="button"
        className="button button-primary button-small"
        onClick={() => {
          setError(null);
          setRead(false);
          dialog.current?.showModal();
        }}
      >
        {t.version.approve}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="approve-title">
        <h2 id="approve-title">{ta.title(version.number)}</h2>
        <p>{ta.body}</p>
        {approvable ? null : (
          <p className="notice notice-error" role="alert">
            {ta.notApprovable}
          </p>
        )}
        <div className="field">
          <label htmlFor="approve-reason">{ta.reason}</label>
          <p className="field-hint" id="approve-reason-hint">
            {ta.reasonHint}
          </p>
          <textarea
            id="approve-reason"
            rows={3}
            value={reason}
            aria-describedby="approve-reason-hint"
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <label className="checkbox checkbox-large">
          <input type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} />
          {ta.check}
        </label>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="inline-actions dialog-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => void approve()}
            disabled={!read || !approvable || busy || reason.trim().length < 10}
          >
            {busy ? ta.approving : ta.confirm}
          </button>
          <button type="button" className="button button-secondary" onClick={() => dialog.current?.close()}>
            {ta.cancel}
          </button>
        </div>
      </dialog>
    </>
  );
}

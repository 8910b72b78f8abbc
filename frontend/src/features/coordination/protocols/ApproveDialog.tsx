/**
 * The physician's approval of a draft (regulators only). The server refuses the version's author
 * (four eyes), a version whose clinical checks fail, and a reason shorter than 10 characters.
 */
import { useState } from "react";

import { api, useApiMutation } from "../../../api";
import { Button, ErrorSummary, Field, Modal, Notice } from "../../../ui";
import type { Version } from "./model";
import { protocolKeys } from "./queryKeys";
import { protocolTexts as t } from "./texts";

export function ApproveDialog({
  version,
  approvable,
  onClose,
  onApproved,
}: {
  version: Version;
  approvable: boolean;
  onClose: () => void;
  onApproved: () => void;
}) {
  const ta = t.approve;
  const [reason, setReason] = useState("");
  const [read, setRead] = useState(false);
  const approve = useApiMutation(
    () =>
      api.POST("/api/regulation/protocols/{number}/approve", {
        params: { path: { number: version.number } },
        body: { reason: reason.trim() },
      }),
    { invalidates: [protocolKeys.all], onSuccess: onApproved },
  );

  return (
    <Modal title={ta.title(version.number)} onClose={onClose}>
      <p>{ta.body}</p>
      {approvable ? null : <Notice tone="error">{ta.notApprovable}</Notice>}
      <ErrorSummary title={ta.errorTitle} error={approve.error} fieldIds={{ reason: "approve-reason" }} labels={{ reason: ta.reason }} />
      <Field id="approve-reason" label={ta.reason} hint={ta.reasonHint} error={approve.error?.fieldError("reason")}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            rows={3}
            value={reason}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      <label className="checkbox checkbox-large">
        <input type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} />
        {ta.check}
      </label>
      <div className="inline-actions dialog-actions">
        <Button
          variant="primary"
          busy={approve.isPending}
          disabled={!read || !approvable || reason.trim().length < 10}
          onClick={() => approve.mutate()}
        >
          {approve.isPending ? ta.approving : ta.confirm}
        </Button>
        <Button onClick={onClose}>{ta.cancel}</Button>
      </div>
    </Modal>
  );
}

/** Putting an approved version in force, after a confirmation that recalls who approved it. */
import { api, useApiMutation } from "../../../api";
import { formatDateTime } from "../../../shell/format";
import { Button, ErrorSummary, Modal } from "../../../ui";
import type { Version } from "./model";
import { protocolKeys } from "./queryKeys";
import { protocolTexts as t } from "./texts";

export function PublishDialog({
  version,
  currentNumber,
  onClose,
  onPublished,
}: {
  version: Version;
  currentNumber: number | null;
  onClose: () => void;
  onPublished: () => void;
}) {
  const tp = t.publish;
  const publish = useApiMutation(
    () => api.POST("/api/regulation/protocols/{number}/publish", { params: { path: { number: version.number } } }),
    { invalidates: [protocolKeys.all], onSuccess: onPublished },
  );
  return (
    <Modal title={tp.title(version.number)} onClose={onClose}>
      <p>{tp.body(version.number, currentNumber)}</p>
      {version.approved_by_name && version.approved_at ? (
        <p>{t.version.approvedBy(version.approved_by_name, formatDateTime(version.approved_at), version.approval_reason ?? "")}</p>
      ) : null}
      <ErrorSummary title={tp.errorTitle} error={publish.error} />
      <div className="inline-actions dialog-actions">
        <Button variant="primary" busy={publish.isPending} onClick={() => publish.mutate()}>
          {publish.isPending ? tp.publishing : tp.confirm}
        </Button>
        <Button onClick={onClose}>{tp.cancel}</Button>
      </div>
    </Modal>
  );
}

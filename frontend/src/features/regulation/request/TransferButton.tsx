/** Hands a request over to the medical regulator, with an optional note. */
import { useEffect, useRef, useState } from "react";

import { api, useApiMutation } from "../../../api";
import { regulationTexts } from "../texts";

const t = regulationTexts;

export function TransferButton({
  requestId,
  onDone,
  onError,
}: {
  requestId: number;
  onDone: () => void;
  onError: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (open) area.current?.focus();
  }, [open]);

  const transfer = useApiMutation(
    () =>
      api.POST("/api/regulation/requests/{request_id}/transfer", {
        params: { path: { request_id: requestId } },
        body: { note: note.trim() || null },
      }),
    { onSuccess: onDone, onError: (error) => onError(error.message) },
  );

  if (!open) {
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        {t.detail.transfer}
      </button>
    );
  }
  return (
    <div className="transfer-box">
      <label htmlFor="transfer-note">{t.detail.transferNote}</label>
      <textarea id="transfer-note" ref={area} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="inline-actions">
        <button type="button" className="button button-primary" onClick={() => transfer.mutate()} disabled={transfer.isPending}>
          {t.detail.transferConfirm}
        </button>
        <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
          {t.detail.transferCancel}
        </button>
      </div>
    </div>
  );
}

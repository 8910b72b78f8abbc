/** Back to the usual hours on a date (the weekly patterns reopen their slots). */
import { api, useApiMutation } from "../../../api";
import { ErrorSummary, Modal } from "../../../ui";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { formatDate } from "../time";
import { Actions } from "../ui";
import type { Override } from "./availability";

const o = agendaTexts.overrides;

export function DeleteOverride({ override, onClose, onDone }: { override: Override; onClose: () => void; onDone: (message: string) => void }) {
  const remove = useApiMutation(
    () => api.DELETE("/api/agenda/overrides/{override_id}", { params: { path: { override_id: override.id } } }),
    { invalidates: [agendaKeys.overrides], onSuccess: (done) => onDone(o.deleted(done.slots_removed, done.slots_created ?? 0)) },
  );
  return (
    <Modal title={o.confirmDelete} onClose={onClose}>
      <ErrorSummary title={o.failed} error={remove.error} />
      <p>{o.confirmDeleteBody(formatDate(override.day))}</p>
      <Actions>
        <button type="button" className="button ag-button-danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
          {o.confirmDeleteButton}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {o.cancel}
        </button>
      </Actions>
    </Modal>
  );
}

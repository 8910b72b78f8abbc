/** Deleting an absence (the recurring slots it had removed come back). */
import { api, useApiMutation } from "../../../api";
import { ErrorSummary, Modal } from "../../../ui";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { Actions } from "../ui";
import { absencePeriod, type Absence } from "./availability";

const a = agendaTexts.absences;

export function DeleteAbsence({ absence, onClose, onDone }: { absence: Absence; onClose: () => void; onDone: (message: string) => void }) {
  const remove = useApiMutation(
    () => api.DELETE("/api/agenda/absences/{absence_id}", { params: { path: { absence_id: absence.id } } }),
    { invalidates: [agendaKeys.absences], onSuccess: (removed) => onDone(a.deleted(removed.slots_created ?? 0)) },
  );
  return (
    <Modal title={a.confirmDelete} onClose={onClose}>
      <ErrorSummary title={a.failed} error={remove.error} />
      <p>{a.confirmDeleteBody(absencePeriod(absence))}</p>
      <Actions>
        <button type="button" className="button ag-button-danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
          {a.confirm}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {a.cancel}
        </button>
      </Actions>
    </Modal>
  );
}

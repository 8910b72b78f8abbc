/** Deleting a recurring availability (its future free slots go with it). */
import { api, useApiMutation } from "../../../api";
import { ErrorSummary, Modal } from "../../../ui";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { Actions } from "../ui";
import { templateSummary, type Template } from "./availability";

const t = agendaTexts.templates;

export function DeleteTemplate({ template, onClose, onDone }: { template: Template; onClose: () => void; onDone: (message: string) => void }) {
  const remove = useApiMutation(
    () => api.DELETE("/api/agenda/templates/{template_id}", { params: { path: { template_id: template.id } } }),
    { invalidates: [agendaKeys.templates], onSuccess: (removed) => onDone(t.deleted(removed.slots_removed)) },
  );
  return (
    <Modal title={t.confirmDelete} onClose={onClose}>
      <ErrorSummary title={t.failed} error={remove.error} />
      <p>{t.confirmDeleteBody(templateSummary(template))}</p>
      <Actions>
        <button type="button" className="button ag-button-danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
          {t.confirm}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t.cancel}
        </button>
      </Actions>
    </Modal>
  );
}

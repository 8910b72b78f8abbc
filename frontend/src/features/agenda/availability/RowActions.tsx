/** "Modifier" and "Supprimer" at the end of a row, each named after what it acts on. */
import { Button } from "../../../ui";

export function RowActions({
  edit,
  remove,
  onEdit,
  onRemove,
}: {
  edit: { text: string; label: string };
  remove: { text: string; label: string };
  onEdit: () => void;
  onRemove: () => void;
}) {
  return (
    <div className="ag-row-actions">
      <Button className="ag-small" aria-label={edit.label} onClick={onEdit}>
        {edit.text}
      </Button>
      <Button className="ag-button-danger ag-small" aria-label={remove.label} onClick={onRemove}>
        {remove.text}
      </Button>
    </div>
  );
}

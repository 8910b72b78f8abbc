/** "Modifier" and "Supprimer" at the end of a row, each named after what it acts on. */
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
      <button type="button" className="button button-secondary ag-small" aria-label={edit.label} onClick={onEdit}>
        {edit.text}
      </button>
      <button type="button" className="button ag-button-danger ag-small" aria-label={remove.label} onClick={onRemove}>
        {remove.text}
      </button>
    </div>
  );
}

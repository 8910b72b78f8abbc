/** The effector's absences: the list, and the dialogs to add, change or delete one. */
import { api, useApiQuery } from "../../../api";
import { Card, EmptyState } from "../../../shell/Page";
import { DataTable, Loaded, Notice } from "../../../ui";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { AbsenceForm } from "./AbsenceForm";
import { absencePeriod, type Absence } from "./availability";
import { DeleteAbsence } from "./DeleteAbsence";
import { RowActions } from "./RowActions";
import { useEditDialog } from "./useEditDialog";

const a = agendaTexts.absences;

type AbsenceDialog = { mode: "create" } | { mode: "edit"; absence: Absence } | { mode: "delete"; absence: Absence };

export function AbsencesCard() {
  const absences = useApiQuery(agendaKeys.absences, (signal) => api.GET("/api/agenda/absences", { signal }));
  const { dialog, flash, open, close, done } = useEditDialog<AbsenceDialog>();

  return (
    <Card
      title={a.title}
      id="ag-absences"
      aside={
        <button
          type="button"
          className="button button-primary"
          onClick={() => open({ mode: "create" })}
        >
          {a.add}
        </button>
      }
    >
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Loaded query={absences}>
        {(list) =>
          list.length === 0 ? (
            <EmptyState>{a.empty}</EmptyState>
          ) : (
            <DataTable
              caption={a.table}
              captionHidden
              className="ag-stacked"
              columns={[
                { key: "period", header: a.period, rowHeader: true, cell: absencePeriod },
                { key: "reason", header: a.reason, cell: (absence) => absence.reason ?? "—" },
                {
                  key: "actions",
                  header: <span className="visually-hidden">{a.actions}</span>,
                  cell: (absence) => (
                    <RowActions
                      edit={{ text: a.edit, label: a.editLabel(absencePeriod(absence)) }}
                      remove={{ text: a.delete, label: a.deleteLabel(absencePeriod(absence)) }}
                      onEdit={() => open({ mode: "edit", absence })}
                      onRemove={() => open({ mode: "delete", absence })}
                    />
                  ),
                },
              ]}
              rows={[...list].sort((x, y) => x.start_date.localeCompare(y.start_date))}
              rowKey={(absence) => absence.id}
            />
          )
        }
      </Loaded>
      {dialog?.mode === "create" ? <AbsenceForm absence={null} onClose={close} onDone={done} /> : null}
      {dialog?.mode === "edit" ? <AbsenceForm absence={dialog.absence} onClose={close} onDone={done} /> : null}
      {dialog?.mode === "delete" ? <DeleteAbsence absence={dialog.absence} onClose={close} onDone={done} /> : null}
    </Card>
  );
}

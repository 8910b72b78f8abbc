/** The effector's absences: the list, and the dialogs to add, change or delete one. */
import { useState } from "react";

import { api, useApiQuery } from "../../../api";
import { Card, EmptyState } from "../../../shell/Page";
import { Loaded, Notice } from "../../../ui";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { AbsenceForm } from "./AbsenceForm";
import { absencePeriod, type Absence } from "./availability";
import { DeleteAbsence } from "./DeleteAbsence";

const a = agendaTexts.absences;

type AbsenceDialog = { mode: "create" } | { mode: "edit"; absence: Absence } | { mode: "delete"; absence: Absence };

export function AbsencesCard() {
  const absences = useApiQuery(agendaKeys.absences, (signal) => api.GET("/api/agenda/absences", { signal }));
  const [dialog, setDialog] = useState<AbsenceDialog | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  function done(message: string) {
    setDialog(null);
    setFlash(message);
  }

  return (
    <Card
      title={a.title}
      id="ag-absences"
      aside={
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setFlash(null);
            setDialog({ mode: "create" });
          }}
        >
          {a.add}
        </button>
      }
    >
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Loaded query={absences}>
        {(absences) =>
          absences.length === 0 ? (
            <EmptyState>{a.empty}</EmptyState>
          ) : (
            <div className="table-scroll ag-stacked" tabIndex={0} role="region" aria-labelledby="ag-absences-table">
              <table>
                <caption id="ag-absences-table" className="visually-hidden">
                  {a.table}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{a.period}</th>
                    <th scope="col">{a.reason}</th>
                    <th scope="col">
                      <span className="visually-hidden">{a.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...absences]
                    .sort((x, y) => x.start_date.localeCompare(y.start_date))
                    .map((absence) => (
                      <tr key={absence.id}>
                        <th scope="row">{absencePeriod(absence)}</th>
                        <td>{absence.reason ?? "—"}</td>
                        <td>
                          <div className="ag-row-actions">
                            <button
                              type="button"
                              className="button button-secondary ag-small"
                              aria-label={a.editLabel(absencePeriod(absence))}
                              onClick={() => {
                                setFlash(null);
                                setDialog({ mode: "edit", absence });
                              }}
                            >
                              {a.edit}
                            </button>
                            <button
                              type="button"
                              className="button ag-button-danger ag-small"
                              aria-label={a.deleteLabel(absencePeriod(absence))}
                              onClick={() => {
                                setFlash(null);
                                setDialog({ mode: "delete", absence });
                              }}
                            >
                              {a.delete}
                            </button>
                          </div>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {dialog?.mode === "create" ? <AbsenceForm absence={null} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "edit" ? <AbsenceForm absence={dialog.absence} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "delete" ? <DeleteAbsence absence={dialog.absence} onClose={() => setDialog(null)} onDone={done} /> : null}
    </Card>
  );
}

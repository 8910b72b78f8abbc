/** « Horaires modifiés »: the dates to come whose hours differ from the weekly patterns. */
import { api, useApiQuery } from "../../../api";
import { Card, EmptyState } from "../../../shell/Page";
import { Button, DataTable, Loaded, Notice } from "../../../ui";
import type { EffectorProfile } from "../me";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { formatDate } from "../time";
import { overrideHours, type Override } from "./availability";
import { DeleteOverride } from "./DeleteOverride";
import { OverrideForm } from "./OverrideForm";
import { useEditDialog } from "./useEditDialog";

const o = agendaTexts.overrides;

type OverrideDialog = { mode: "create" } | { mode: "delete"; override: Override };

export function OverridesCard({ me }: { me: EffectorProfile }) {
  const overrides = useApiQuery(agendaKeys.overrides, (signal) => api.GET("/api/agenda/overrides", { signal }));
  const { dialog, flash, open, close, done } = useEditDialog<OverrideDialog>();
  const siteName = (id: number) => me.sites.find((s) => s.id === id)?.name ?? "—";

  return (
    <Card
      title={o.title}
      id="ag-overrides"
      aside={
        <Button variant="primary" disabled={me.sites.length === 0} onClick={() => open({ mode: "create" })}>
          {o.add}
        </Button>
      }
    >
      <p className="card-note">{o.intro}</p>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Loaded query={overrides}>
        {(list) =>
          list.length === 0 ? (
            <EmptyState>{o.empty}</EmptyState>
          ) : (
            <DataTable
              caption={o.table}
              captionHidden
              className="ag-stacked"
              columns={[
                { key: "day", header: o.day, rowHeader: true, cell: (override) => formatDate(override.day) },
                { key: "hours", header: o.hours, cell: overrideHours },
                { key: "note", header: o.note, cell: (override) => override.note ?? "—" },
                ...(me.sites.length > 1 ? [{ key: "site", header: o.site, cell: (override: Override) => siteName(override.site_id) }] : []),
                {
                  key: "actions",
                  header: <span className="visually-hidden">{o.actions}</span>,
                  cell: (override) => (
                    <Button
                      className="ag-button-danger ag-small"
                      aria-label={o.deleteLabel(formatDate(override.day))}
                      onClick={() => open({ mode: "delete", override })}
                    >
                      {o.delete}
                    </Button>
                  ),
                },
              ]}
              rows={list}
              rowKey={(override) => override.id}
            />
          )
        }
      </Loaded>
      {dialog?.mode === "create" ? <OverrideForm me={me} onClose={close} onDone={done} /> : null}
      {dialog?.mode === "delete" ? <DeleteOverride override={dialog.override} onClose={close} onDone={done} /> : null}
    </Card>
  );
}

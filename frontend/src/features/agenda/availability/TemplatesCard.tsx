/** The effector's recurring availability: the list, and the dialogs to add, change or delete. */
import { api, useApiQuery } from "../../../api";
import { Card, EmptyState } from "../../../shell/Page";
import { DataTable, Loaded, Notice } from "../../../ui";
import { siteName, type EffectorProfile } from "../me";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { formatDate, hhmm } from "../time";
import { templateSummary, weekdaysLabel, type Template } from "./availability";
import { DeleteTemplate } from "./DeleteTemplate";
import { RowActions } from "./RowActions";
import { useEditDialog } from "./useEditDialog";
import { TemplateForm } from "./TemplateForm";

const t = agendaTexts.templates;

type TemplateDialog = { mode: "create" } | { mode: "edit"; template: Template } | { mode: "delete"; template: Template };

export function TemplatesCard({ me }: { me: EffectorProfile }) {
  const templates = useApiQuery(agendaKeys.templates, (signal) => api.GET("/api/agenda/templates", { signal }));
  const { dialog, flash, open, close, done } = useEditDialog<TemplateDialog>();

  return (
    <Card
      title={t.title}
      id="ag-templates"
      aside={
        <button
          type="button"
          className="button button-primary"
          disabled={me.sites.length === 0}
          onClick={() => open({ mode: "create" })}
        >
          {t.add}
        </button>
      }
    >
      {me.sites.length === 0 ? <p className="notice notice-warning">{agendaTexts.noSite}</p> : null}
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Loaded query={templates}>
        {(list) =>
          list.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <DataTable
              caption={t.table}
              captionHidden
              className="ag-stacked"
              columns={[
                { key: "days", header: t.days, rowHeader: true, cell: (tpl) => weekdaysLabel(tpl.weekdays) },
                {
                  key: "hours",
                  header: t.hours,
                  className: "nowrap",
                  cell: (tpl) => (
                    <>
                      {hhmm(tpl.start_time)}–{hhmm(tpl.end_time)}
                      {(tpl.more_ranges ?? []).map((r) => `, ${hhmm(r.start_time)}–${hhmm(r.end_time)}`).join("")}
                      <span className="cell-sub">
                        {t.minutes(tpl.slot_minutes)}
                        {(tpl.every_weeks ?? 1) === 2 ? `, ${t.everyOtherWeekShort}` : ""}
                      </span>
                    </>
                  ),
                },
                {
                  key: "validity",
                  header: t.validity,
                  cell: (tpl) => (
                    <>
                      {tpl.valid_until ? t.fromUntil(formatDate(tpl.valid_from), formatDate(tpl.valid_until)) : t.from(formatDate(tpl.valid_from))}
                      <span className="cell-sub">{tpl.include_public_holidays ? t.holidaysIncluded : t.holidaysSkipped}</span>
                    </>
                  ),
                },
                { key: "kinds", header: t.kinds, cell: (tpl) => tpl.kinds.map((k) => agendaTexts.kinds[k]).join(", ") },
                { key: "site", header: t.site, cell: (tpl) => siteName(me.sites, tpl.site_id) || "—" },
                {
                  key: "status",
                  header: t.status,
                  cell: (tpl) => (
                    <span className={tpl.active ? "status status-ok" : "status status-off"}>{tpl.active ? t.active : t.inactive}</span>
                  ),
                },
                {
                  key: "actions",
                  header: <span className="visually-hidden">{t.actions}</span>,
                  cell: (tpl) => (
                    <RowActions
                      edit={{ text: t.edit, label: t.editLabel(templateSummary(tpl)) }}
                      remove={{ text: t.delete, label: t.deleteLabel(templateSummary(tpl)) }}
                      onEdit={() => open({ mode: "edit", template: tpl })}
                      onRemove={() => open({ mode: "delete", template: tpl })}
                    />
                  ),
                },
              ]}
              rows={list}
              rowKey={(tpl) => tpl.id}
            />
          )
        }
      </Loaded>
      {dialog?.mode === "create" ? <TemplateForm me={me} template={null} onClose={close} onDone={done} /> : null}
      {dialog?.mode === "edit" ? <TemplateForm me={me} template={dialog.template} onClose={close} onDone={done} /> : null}
      {dialog?.mode === "delete" ? <DeleteTemplate template={dialog.template} onClose={close} onDone={done} /> : null}
    </Card>
  );
}

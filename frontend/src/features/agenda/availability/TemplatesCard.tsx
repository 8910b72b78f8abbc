/** The effector's recurring availability: the list, and the dialogs to add, change or delete. */
import { useState } from "react";

import { api, useApiQuery } from "../../../api";
import { Card, EmptyState } from "../../../shell/Page";
import { Loaded, Notice } from "../../../ui";
import type { EffectorProfile } from "../me";
import { siteName } from "../me";
import { agendaKeys } from "../queryKeys";
import { agendaTexts } from "../texts";
import { formatDate, hhmm } from "../time";
import { templateSummary, weekdaysLabel, type Template } from "./availability";
import { DeleteTemplate } from "./DeleteTemplate";
import { TemplateForm } from "./TemplateForm";

const t = agendaTexts.templates;

type TemplateDialog = { mode: "create" } | { mode: "edit"; template: Template } | { mode: "delete"; template: Template };

export function TemplatesCard({ me }: { me: EffectorProfile }) {
  const templates = useApiQuery(agendaKeys.templates, (signal) => api.GET("/api/agenda/templates", { signal }));
  const [dialog, setDialog] = useState<TemplateDialog | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  function done(message: string) {
    setDialog(null);
    setFlash(message);
  }

  return (
    <Card
      title={t.title}
      id="ag-templates"
      aside={
        <button
          type="button"
          className="button button-primary"
          disabled={me.sites.length === 0}
          onClick={() => {
            setFlash(null);
            setDialog({ mode: "create" });
          }}
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
            <div className="table-scroll ag-stacked" tabIndex={0} role="region" aria-labelledby="ag-templates-table">
              <table>
                <caption id="ag-templates-table" className="visually-hidden">
                  {t.table}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t.days}</th>
                    <th scope="col">{t.hours}</th>
                    <th scope="col">{t.validity}</th>
                    <th scope="col">{t.kinds}</th>
                    <th scope="col">{t.site}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((tpl) => (
                    <tr key={tpl.id}>
                      <th scope="row">{weekdaysLabel(tpl.weekdays)}</th>
                      <td className="nowrap">
                        {hhmm(tpl.start_time)}–{hhmm(tpl.end_time)}
                        <span className="cell-sub">{t.minutes(tpl.slot_minutes)}</span>
                      </td>
                      <td>
                        {tpl.valid_until ? t.fromUntil(formatDate(tpl.valid_from), formatDate(tpl.valid_until)) : t.from(formatDate(tpl.valid_from))}
                        <span className="cell-sub">{tpl.include_public_holidays ? t.holidaysIncluded : t.holidaysSkipped}</span>
                      </td>
                      <td>{tpl.kinds.map((k) => agendaTexts.kinds[k]).join(", ")}</td>
                      <td>{siteName(me.sites, tpl.site_id) || "—"}</td>
                      <td>
                        <span className={tpl.active ? "status status-ok" : "status status-off"}>{tpl.active ? t.active : t.inactive}</span>
                      </td>
                      <td>
                        <div className="ag-row-actions">
                          <button
                            type="button"
                            className="button button-secondary ag-small"
                            aria-label={t.editLabel(templateSummary(tpl))}
                            onClick={() => {
                              setFlash(null);
                              setDialog({ mode: "edit", template: tpl });
                            }}
                          >
                            {t.edit}
                          </button>
                          <button
                            type="button"
                            className="button ag-button-danger ag-small"
                            aria-label={t.deleteLabel(templateSummary(tpl))}
                            onClick={() => {
                              setFlash(null);
                              setDialog({ mode: "delete", template: tpl });
                            }}
                          >
                            {t.delete}
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
      {dialog?.mode === "create" ? <TemplateForm me={me} template={null} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "edit" ? <TemplateForm me={me} template={dialog.template} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog?.mode === "delete" ? <DeleteTemplate template={dialog.template} onClose={() => setDialog(null)} onDone={done} /> : null}
    </Card>
  );
}

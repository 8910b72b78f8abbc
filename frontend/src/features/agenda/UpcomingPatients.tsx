/** "Mes prochains patients": the appointments booked on the effector's coming slots. */
import { api } from "../../api/client";
import { Card, EmptyState, Loaded } from "../../shell/Page";
import { useApiQuery } from "../../shell/useApi";
import { HandoverLink } from "./handover/HandoverLink";
import { handoverTexts } from "./handover/texts";
import { agendaTexts } from "./texts";
import { inDaysIso, nowIso, paris, timeRange } from "./time";

const t = agendaTexts.upcoming;
const DAYS = 30;

export function UpcomingPatients({ effectorId, version }: { effectorId: number; version: number }) {
  const { state, reload } = useApiQuery(
    (signal) =>
      api.GET("/api/agenda/appointments", {
        params: { query: { start: nowIso(), end: inDaysIso(DAYS), effector_id: effectorId } },
        signal,
      }),
    [effectorId, version],
  );
  return (
    <Card
      title={t.title}
      id="ag-upcoming"
      aside={state.status === "ok" && state.data.length > 0 ? <span className="badge">{t.count(state.data.length)}</span> : null}
    >
      <p className="card-note">{t.intro(DAYS)}</p>
      <Loaded state={state} onRetry={reload}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <div className="table-scroll ag-stacked" tabIndex={0} role="region" aria-labelledby="ag-upcoming-table">
              <table>
                <caption id="ag-upcoming-table" className="visually-hidden">
                  {t.table}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t.when}</th>
                    <th scope="col">{t.patient}</th>
                    <th scope="col">{t.kind}</th>
                    <th scope="col">{t.site}</th>
                    <th scope="col">
                      <span className="visually-hidden">{handoverTexts.link}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <tr key={a.id}>
                      <td className="nowrap">
                        <time dateTime={a.start_at}>
                          <span className="ag-day">{paris(a.start_at).toFormat("cccc d LLLL")}</span>
                          <span className="cell-sub">{timeRange(a.start_at, a.end_at)}</span>
                        </time>
                      </td>
                      <th scope="row">{a.patient_label ?? t.noLabel}</th>
                      <td>{agendaTexts.kinds[a.kind]}</td>
                      <td>
                        {a.site ? (
                          <>
                            {a.site.name}
                            <span className="cell-sub">
                              {a.site.address_line}, {a.site.postal_code} {a.site.city}
                            </span>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td>
                        <HandoverLink appointmentId={a.id} when={paris(a.start_at).toFormat("d LLLL HH'h'mm")} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </Card>
  );
}

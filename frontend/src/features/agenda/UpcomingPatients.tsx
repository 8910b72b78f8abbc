/** "Mes prochains patients": the appointments booked on the effector's coming slots. */
import { api, useApiQuery, type Schemas } from "../../api";
import { Card, EmptyState } from "../../shell/Page";
import { DataTable, Loaded, type Column } from "../../ui";
import { AppointmentWhen } from "./AppointmentWhen";
import { agendaKeys } from "./queryKeys";
import { HandoverLink } from "./handover/HandoverLink";
import { handoverTexts } from "./handover/texts";
import { agendaTexts } from "./texts";
import { inDaysIso, nowIso, paris } from "./time";

const t = agendaTexts.upcoming;

type Appointment = Schemas["AppointmentOut"];

const COLUMNS: readonly Column<Appointment>[] = [
  { key: "when", header: t.when, className: "nowrap", cell: (a) => <AppointmentWhen start={a.start_at} end={a.end_at} /> },
  { key: "patient", header: t.patient, rowHeader: true, cell: (a) => a.patient_label ?? t.noLabel },
  { key: "kind", header: t.kind, cell: (a) => agendaTexts.kinds[a.kind] },
  {
    key: "site",
    header: t.site,
    cell: (a) =>
      a.site ? (
        <>
          {a.site.name}
          <span className="cell-sub">
            {a.site.address_line}, {a.site.postal_code} {a.site.city}
          </span>
        </>
      ) : (
        "—"
      ),
  },
  {
    key: "handover",
    header: <span className="visually-hidden">{handoverTexts.link}</span>,
    headerText: handoverTexts.link,
    cell: (a) => <HandoverLink appointmentId={a.id} when={paris(a.start_at).toFormat("d LLLL HH'h'mm")} />,
  },
];
const DAYS = 30;

export function UpcomingPatients({ effectorId }: { effectorId: number }) {
  const upcoming = useApiQuery(agendaKeys.consultationList("upcoming", effectorId), (signal) =>
    api.GET("/api/agenda/appointments", {
      params: { query: { start: nowIso(), end: inDaysIso(DAYS), effector_id: effectorId } },
      signal,
    }),
  );
  return (
    <Card
      title={t.title}
      id="ag-upcoming"
      aside={upcoming.data && upcoming.data.length > 0 ? <span className="badge">{t.count(upcoming.data.length)}</span> : null}
    >
      <p className="card-note">{t.intro(DAYS)}</p>
      <Loaded query={upcoming}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <DataTable
              caption={t.table}
              captionHidden
              className="ag-stacked"
              columns={COLUMNS}
              rows={items}
              rowKey={(appointment) => appointment.id}
            />
          )
        }
      </Loaded>
    </Card>
  );
}

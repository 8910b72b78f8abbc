/**
 * The consultation log: record in one click what became of an appointment ("Vu", "Absent", or
 * seen then sent to the emergency department / hospitalised), correct it, and the lists of
 * consultations to report (the day after) and of today's consultations.
 * Used by the effector's home and by the coordination's "Consultations à renseigner" page.
 */
import { DateTime } from "luxon";
import { useState } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { Card, EmptyState } from "../../shell/Page";
import { DataTable, Loaded, RangeFields, type Column, type RowProps } from "../../ui";
import { AppointmentWhen } from "./AppointmentWhen";
import { agendaKeys } from "./queryKeys";
import { isBeforeStart, OutcomeNotYet } from "./handover/OutcomeNotYet";
import { agendaTexts } from "./texts";
import { dateTimeAt, paris, PARIS } from "./time";

type Consultation = Schemas["ConsultationOut"];
type OutcomeBody = Schemas["OutcomeIn"];

const t = agendaTexts.consultations;
const PAGE_SIZE = 20;

/** "Vu", "Absent", "Vu, adressé aux urgences"… */
export function outcomeLabel(c: Pick<Consultation, "status" | "after_care">): string {
  const status = t.statusLabels[c.status] ?? c.status;
  return c.after_care ? `${status}, ${t.afterCareLabels[c.after_care] ?? c.after_care}` : status;
}

/** The buttons of one appointment: one click records; once recorded, "Corriger" reopens them. */
export function OutcomeControl({ item }: { item: Consultation }) {
  const [editing, setEditing] = useState(false);
  const reported = item.status === "fulfilled" || item.status === "noshow";
  // Every list of consultations is re-read: the one shown here, the ones to report, the log.
  const outcome = useApiMutation(
    (body: OutcomeBody) =>
      api.PUT("/api/agenda/appointments/{appointment_id}/outcome", { params: { path: { appointment_id: item.id } }, body }),
    { invalidates: [agendaKeys.consultations], onSuccess: () => setEditing(false) },
  );
  const pending = outcome.isPending;
  const record = (body: OutcomeBody) => outcome.mutate(body);

  if (!reported && isBeforeStart(item.start_at)) return <OutcomeNotYet startAt={item.start_at} />;
  if (reported && !editing) {
    return (
      <div className="ag-outcome">
        <span className={item.status === "fulfilled" ? "status status-ok" : "status status-off"}>{outcomeLabel(item)}</span>
        <button type="button" className="button button-secondary ag-small" onClick={() => setEditing(true)}>
          {t.correct}
        </button>
      </div>
    );
  }
  return (
    <div className="ag-outcome">
      <div className="ag-row-actions" role="group" aria-label={t.outcome}>
        <button
          type="button"
          className="button button-primary ag-small"
          disabled={pending}
          onClick={() => record({ outcome: "fulfilled", after_care: null })}
        >
          {t.seen}
        </button>
        <button
          type="button"
          className="button button-secondary ag-small"
          disabled={pending}
          onClick={() => record({ outcome: "noshow", after_care: null })}
        >
          {t.noShow}
        </button>
        <details className="ag-outcome-more">
          <summary className="button button-secondary ag-small">{t.more}</summary>
          <div className="ag-outcome-menu">
            <button
              type="button"
              className="button button-secondary ag-small"
              disabled={pending}
              onClick={() => record({ outcome: "fulfilled", after_care: "emergency" })}
            >
              {t.seenEmergency}
            </button>
            <button
              type="button"
              className="button button-secondary ag-small"
              disabled={pending}
              onClick={() => record({ outcome: "fulfilled", after_care: "hospitalised" })}
            >
              {t.seenHospitalised}
            </button>
          </div>
        </details>
        {editing ? (
          <button type="button" className="button button-secondary ag-small" onClick={() => setEditing(false)}>
            {t.keep}
          </button>
        ) : null}
      </div>
      {pending ? (
        <span className="cell-sub" role="status">
          {t.saving}
        </span>
      ) : null}
      {outcome.error ? (
        <p className="ag-outcome-error" role="alert">
          {t.failed}&nbsp;: {outcome.error.messages.map((e) => e.msg).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** The columns every table of consultations starts with: when, who, for whom (coordination). */
function consultationColumns(showEffector: boolean, last: Column<Consultation>): Column<Consultation>[] {
  const columns: Column<Consultation>[] = [
    { key: "when", header: t.when, className: "nowrap", cell: (c) => <AppointmentWhen start={c.start_at} end={c.end_at} /> },
    { key: "patient", header: t.patient, rowHeader: true, cell: (c) => c.patient_label ?? t.noLabel },
  ];
  if (showEffector) columns.push({ key: "effector", header: t.effector, cell: (c) => c.effector_name });
  return [...columns, last];
}

function RecordedAt({ item }: { item: Consultation }) {
  return item.outcome_recorded_at ? <span className="cell-sub">{t.recordedAt(dateTimeAt(item.outcome_recorded_at))}</span> : null;
}

const consultationRow = (c: Consultation): RowProps => ({ "data-appointment": c.id });

/** A table of consultations, each with its outcome buttons. */
export function ConsultationTable({
  items,
  caption,
  showEffector,
}: {
  items: readonly Consultation[];
  caption: string;
  showEffector: boolean;
}) {
  const outcome: Column<Consultation> = {
    key: "outcome",
    header: t.outcome,
    cell: (c) => (
      <>
        <OutcomeControl item={c} />
        <RecordedAt item={c} />
      </>
    ),
  };
  return (
    <DataTable
      caption={caption}
      captionHidden
      className="ag-stacked"
      tableClassName="ag-consultations"
      columns={consultationColumns(showEffector, outcome)}
      rows={items}
      rowKey={(c) => c.id}
      rowProps={consultationRow}
    />
  );
}

/**
 * "Consultations à renseigner": appointments of previous days still without an outcome, oldest
 * first, a page at a time. An effector sees theirs (the server decides); coordinators everyone's.
 * With `hideWhenEmpty`, nothing shows once everything is reported (the effector's home).
 */
export function UnreportedConsultations({
  showEffector,
  hideWhenEmpty = false,
}: {
  showEffector: boolean;
  hideWhenEmpty?: boolean;
}) {
  const [offset, setOffset] = useState(0);
  const unreported = useApiQuery(agendaKeys.consultationList("unreported", offset), (signal) =>
    api.GET("/api/agenda/appointments/unreported", { params: { query: { limit: PAGE_SIZE, offset } }, signal }),
  );
  const total = unreported.data?.total ?? 0;
  if (hideWhenEmpty && unreported.data && total === 0) return null;
  return (
    <Card
      title={t.unreportedTitle}
      id="ag-unreported"
      aside={total > 0 ? <span className="badge">{t.count(total)}</span> : null}
    >
      <p className="card-note">{t.unreportedIntro}</p>
      <Loaded query={unreported}>
        {({ items, total }) =>
          items.length === 0 ? (
            <EmptyState>{t.unreportedEmpty}</EmptyState>
          ) : (
            <>
              <ConsultationTable items={items} caption={t.unreportedTitle} showEffector={showEffector} />
              {total > PAGE_SIZE ? (
                <nav className="ag-actions ag-pager" aria-label={t.unreportedTitle}>
                  <button
                    type="button"
                    className="button button-secondary ag-small"
                    disabled={offset === 0}
                    onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                  >
                    {t.previous}
                  </button>
                  <span>{t.showing(offset + 1, offset + items.length, total)}</span>
                  <button
                    type="button"
                    className="button button-secondary ag-small"
                    disabled={offset + PAGE_SIZE >= total}
                    onClick={() => setOffset(offset + PAGE_SIZE)}
                  >
                    {t.next}
                  </button>
                </nav>
              ) : null}
            </>
          )
        }
      </Loaded>
    </Card>
  );
}

function dayBounds(): { start: string; end: string } {
  const start = DateTime.now().setZone(PARIS).startOf("day");
  return {
    start: start.toISO({ suppressMilliseconds: true }) ?? "",
    end: start.plus({ days: 1 }).toISO({ suppressMilliseconds: true }) ?? "",
  };
}

/** Today's consultations of the effector (booked or already reported), to record as they go. */
export function TodayConsultations({ effectorId }: { effectorId: number }) {
  const day = dayBounds();
  const today = useApiQuery(agendaKeys.consultationList("day", effectorId, day.start), (signal) =>
    api.GET("/api/agenda/consultations", { params: { query: { ...day, effector_id: effectorId } }, signal }),
  );
  if (!today.data) return null;
  const items = today.data.filter((c) => c.status === "booked" || c.status === "fulfilled" || c.status === "noshow");
  if (items.length === 0) return null;
  return (
    <Card title={t.todayTitle} id="ag-today">
      <p className="card-note">{t.todayIntro}</p>
      <ConsultationTable items={items} caption={t.todayTitle} showEffector={false} />
    </Card>
  );
}

/**
 * The outcome of a request's appointment, on the request page (operators and coordinators):
 * shown from the day of the consultation on.
 */
export function AppointmentOutcomeCard({ appointmentId, consultationAt }: { appointmentId: string; consultationAt: string }) {
  const at = DateTime.fromISO(consultationAt, { zone: "utc" });
  const due = at.setZone(PARIS).startOf("day") <= DateTime.now().setZone(PARIS).startOf("day");
  const around = useApiQuery(agendaKeys.consultationList("appointment", appointmentId, consultationAt), (signal) =>
    api.GET("/api/agenda/consultations", {
      params: {
        query: {
          start: at.minus({ minutes: 1 }).toISO({ suppressMilliseconds: true }) ?? consultationAt,
          end: at.plus({ minutes: 1 }).toISO({ suppressMilliseconds: true }) ?? consultationAt,
        },
      },
      signal,
    }),
  );
  if (!due || !around.data) return null;
  const item = around.data.find((c) => c.id === appointmentId);
  if (!item || !(item.status === "booked" || item.status === "fulfilled" || item.status === "noshow")) return null;
  return (
    <Card title={t.requestTitle} id="ag-request-outcome">
      <p className="card-note">{t.requestIntro}</p>
      <OutcomeControl item={item} />
    </Card>
  );
}

function parisDayStartIso(day: string): string | null {
  const value = DateTime.fromISO(day, { zone: PARIS });
  return value.isValid ? value.startOf("day").toISO({ suppressMilliseconds: true }) : null;
}

/** What became of an appointment, in words: outcome, or who cancelled and why, rescheduled. */
export function stateLabel(c: Consultation): string {
  if (c.status === "cancelled") {
    const by = c.cancelled_by ? (t.cancelledBy[c.cancelled_by] ?? c.cancelled_by) : "";
    const why = c.cancel_reason ? ` : ${c.cancel_reason}` : "";
    const text = `${t.statusLabels.cancelled}${by ? ` ${by}` : ""}${why}`;
    return c.rescheduled_to ? `${text} — ${t.rescheduled}` : text;
  }
  if (c.status === "to_rebook" && c.rescheduled_to) return `${t.statusLabels.to_rebook} — ${t.rescheduled}`;
  return outcomeLabel(c);
}

/**
 * The consultation log of a period (Paris days, both included): every appointment, recorded or
 * not, cancelled (by whom, why) or rescheduled. Outcomes of past days can be recorded here too.
 */
export function ConsultationLogCard({ showEffector }: { showEffector: boolean }) {
  const today = DateTime.now().setZone(PARIS).startOf("day");
  const [from, setFrom] = useState(today.minus({ days: 7 }).toISODate() ?? "");
  const [to, setTo] = useState(today.toISODate() ?? "");
  const start = parisDayStartIso(from);
  const endDay = parisDayStartIso(to);
  const end = endDay ? (DateTime.fromISO(endDay).plus({ days: 1 }).toISO({ suppressMilliseconds: true }) ?? null) : null;
  const log = useApiQuery(agendaKeys.consultationList("log", start, end), (signal) =>
    api.GET("/api/agenda/consultations", { params: { query: { start: start ?? "", end: end ?? "" } }, signal }),
  );
  const tomorrow = today.plus({ days: 1 });
  return (
    <Card title={t.logTitle} id="ag-consultation-log">
      <p className="card-note">{t.logIntro}</p>
      <RangeFields
        legend={t.logPeriod}
        legendHidden
        type="date"
        idPrefix="ag-log"
        start={{ name: "from", label: t.from, value: from, onChange: setFrom }}
        end={{ name: "to", label: t.to, value: to, onChange: setTo }}
        ordered
      />
      <Loaded query={log}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState>{t.logEmpty}</EmptyState>
          ) : (
            <DataTable
              caption={t.logTitle}
              captionHidden
              className="ag-stacked"
              tableClassName="ag-consultations"
              columns={consultationColumns(showEffector, {
                key: "state",
                header: t.state,
                cell: (c) => {
                  const due = paris(c.start_at) < tomorrow;
                  const reportable = c.status === "booked" || c.status === "fulfilled" || c.status === "noshow";
                  return (
                    <>
                      {reportable && due ? <OutcomeControl item={c} /> : stateLabel(c)}
                      <RecordedAt item={c} />
                    </>
                  );
                },
              })}
              rows={items}
              rowKey={(c) => c.id}
              rowProps={consultationRow}
            />
          )
        }
      </Loaded>
    </Card>
  );
}

/**
 * The effector's week in a FullCalendar time grid (Europe/Paris, French, Monday first): slots
 * opened by selecting a range, moved and resized by dragging, opened by a click; and below it the
 * patients booked on the coming days. Loaded on demand (FullCalendar is heavy).
 */
import { useCallback, useMemo, useRef, useState } from "react";
import FullCalendar from "@fullcalendar/react";
import type { DateSelectArg, EventClickArg, EventDropArg, EventInput, EventMountArg } from "@fullcalendar/core";
import frLocale from "@fullcalendar/core/locales/fr";
import interactionPlugin, { type EventResizeDoneArg } from "@fullcalendar/interaction";
import listPlugin from "@fullcalendar/list";
import luxonPlugin from "@fullcalendar/luxon3";
import timeGridPlugin from "@fullcalendar/timegrid";

import { useQueryClient } from "@tanstack/react-query";
import { DateTime } from "luxon";

import { api, asApiError, unwrap, useApiMutation, useApiQuery, type FieldError, type Schemas } from "../../api";
import { ErrorSummary, Notice } from "../../ui";
import type { EffectorProfile } from "./me";
import { awaitsOutcome, BLOCK_OUTCOME_CLASS, BlockOutcome } from "./BlockOutcome";
import { SlotDialog, type SlotDialogState } from "./SlotDialog";
import { agendaKeys } from "./queryKeys";
import { agendaTexts } from "./texts";
import { PARIS, paris, slotWhen, visibleHours, withOffset } from "./time";
import { UpcomingPatients } from "./UpcomingPatients";

type Slot = Schemas["SlotOut"];

const t = agendaTexts.effectorHome;

const PHONE_QUERY = "(max-width: 40rem)";

function kindsLabel(slot: Slot): string {
  return slot.kinds.map((k) => agendaTexts.kinds[k]).join(", ");
}

/** "Vu" / "Absent" once the appointment's outcome is recorded; null otherwise. */
function outcomeOf(slot: Slot): string | null {
  const status = slot.appointment?.status;
  return status ? (agendaTexts.outcomes[status] ?? null) : null;
}

function stateLabel(slot: Slot): string {
  const status = slot.appointment?.status;
  return (status && agendaTexts.outcomeStates[status]) || agendaTexts.states[slot.status];
}

function sharingLabel(slot: Slot): string {
  return slot.shared_with_sas ? agendaTexts.marks.sasLong : agendaTexts.marks.cptsLong;
}

function isEditable(slot: Slot): boolean {
  return slot.status === "free" && paris(slot.start_at).toMillis() > Date.now();
}

function toEvent(slot: Slot): EventInput {
  const past = paris(slot.end_at).toMillis() <= Date.now();
  return {
    id: String(slot.id),
    start: withOffset(slot.start_at),
    end: withOffset(slot.end_at),
    title: slot.status === "booked" ? (slot.appointment?.patient_label ?? agendaTexts.states.booked) : agendaTexts.states[slot.status],
    editable: isEditable(slot),
    classNames: [
      "ag-slot",
      `ag-slot-${slot.status}`,
      slot.shared_with_sas ? "ag-shared-sas" : "ag-cpts-only",
      ...(slot.appointment?.status && slot.appointment.status !== "booked" ? [`ag-outcome-${slot.appointment.status}`] : []),
      ...(past ? ["ag-slot-past"] : []),
      ...(awaitsOutcome(slot) ? ["ag-awaits-outcome"] : []),
    ],
    extendedProps: { slot },
  };
}

type Absence = Schemas["AbsenceOut"];

/**
 * Events of absences: one over the whole days, or one a day over its hours. Behind the slots in
 * the time grids; in the week list (which shows no background event) as items of their own,
 * « Toute la journée » or with their hours, so a phone's week says when the GP is away.
 */
function absenceEvents(absences: readonly Absence[], list: boolean): EventInput[] {
  const events: EventInput[] = [];
  for (const absence of absences) {
    const title = agendaTexts.absences.onGrid(absence.reason ?? null);
    const common = {
      title,
      display: list ? "list-item" : "background",
      editable: false,
      classNames: ["ag-absence"],
      extendedProps: { absence },
    };
    if (!absence.start_time || !absence.end_time) {
      const end = DateTime.fromISO(absence.end_date).plus({ days: 1 }).toISODate();
      const whole = list
        ? { allDay: true, start: absence.start_date, end: end ?? absence.end_date }
        : { start: `${absence.start_date}T00:00:00`, end: `${end}T00:00:00` };
      events.push({ ...common, ...whole, id: `absence-${absence.id}` });
      continue;
    }
    let day = DateTime.fromISO(absence.start_date);
    const last = DateTime.fromISO(absence.end_date);
    while (day <= last) {
      const date = day.toISODate();
      events.push({ ...common, id: `absence-${absence.id}-${date}`, start: `${date}T${absence.start_time}`, end: `${date}T${absence.end_time}` });
      day = day.plus({ days: 1 });
    }
  }
  return events;
}

/** The slot behind a calendar event; none for the selection's placeholder ("mirror"). */
function slotOf(event: { extendedProps: Record<string, unknown> }): Slot | null {
  return (event.extendedProps.slot as Slot | undefined) ?? null;
}

export default function WeekAgenda({ me }: { me: EffectorProfile }) {
  const calendar = useRef<FullCalendar>(null);
  const [dialog, setDialog] = useState<SlotDialogState | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ title: string; errors: FieldError[] } | null>(null);
  const phone = useMemo(() => window.matchMedia(PHONE_QUERY).matches, []);
  // The whole day of every slot shown (07:00–21:00 at least; wider when a slot is outside).
  const [hours, setHours] = useState(() => visibleHours([]));
  const client = useQueryClient();
  // The dates whose hours are changed: their day header says so (« horaires modifiés »).
  const overrides = useApiQuery([...agendaKeys.overrides, me.id], (signal) =>
    api.GET("/api/agenda/overrides", { signal, params: { query: { effector_id: me.id } } }),
  );
  const overridden = useMemo(() => new Set((overrides.data ?? []).map((o) => o.day)), [overrides.data]);

  // The calendar fetches its slots itself (FullCalendar's event source); the patients below too.
  const refresh = useCallback(() => {
    calendar.current?.getApi().refetchEvents();
    void client.invalidateQueries({ queryKey: agendaKeys.consultations });
  }, [client]);
  const move = useApiMutation((to: { slotId: number; start: string; end: string }) =>
    api.PATCH("/api/agenda/slots/{slot_id}", {
      params: { path: { slot_id: to.slotId } },
      body: { start_at: to.start, end_at: to.end },
    }),
  );

  const fetchSlots = useCallback(
    async (info: { startStr: string; endStr: string }): Promise<EventInput[]> => {
      try {
        const slots = await unwrap(
          api.GET("/api/agenda/slots", { params: { query: { start: info.startStr, end: info.endStr, effector_id: me.id } } }),
        );
        setErrors((current) => (current?.title === t.loadFailed ? null : current));
        const wanted = visibleHours(slots);
        setHours((current) => (current.min === wanted.min && current.max === wanted.max ? current : wanted));
        return slots.map(toEvent);
      } catch (thrown) {
        const error = asApiError(thrown);
        setErrors({ title: t.loadFailed, errors: [{ field: null, msg: error.message }] });
        throw error;
      }
    },
    [me.id],
  );

  // Absences drawn behind the slots (whole days, or their hours on each day); items in the list.
  const [listView, setListView] = useState(false);
  const fetchAbsences = useCallback(async (): Promise<EventInput[]> => {
    try {
      const absences = await unwrap(api.GET("/api/agenda/absences", { params: { query: { effector_id: me.id } } }));
      return absenceEvents(absences, listView);
    } catch {
      return []; // the slots' own error says the calendar could not load
    }
  }, [me.id, listView]);
  const eventSources = useMemo(() => [{ events: fetchSlots }, { events: fetchAbsences }], [fetchSlots, fetchAbsences]);

  const onSelect = useCallback((info: DateSelectArg) => {
    setFlash(null);
    setDialog({ mode: "create", start: info.startStr, end: info.endStr });
  }, []);

  const onEventClick = useCallback((info: EventClickArg) => {
    info.jsEvent.preventDefault();
    // The block's own outcome buttons record without opening its details.
    if (info.jsEvent.target instanceof Element && info.jsEvent.target.closest(`.${BLOCK_OUTCOME_CLASS}`)) return;
    const slot = slotOf(info.event);
    if (!slot) return;
    setFlash(null);
    setDialog({ mode: "details", slot });
  }, []);

  const { mutate: moveSlot } = move;
  const onMoved = useCallback(
    (info: EventDropArg | EventResizeDoneArg) => {
      const slot = slotOf(info.event);
      if (!slot) return;
      setFlash(null);
      setErrors(null);
      moveSlot({ slotId: slot.id, start: info.event.startStr, end: info.event.endStr }, {
        onError: (error) => {
          info.revert();
          setErrors({ title: t.moveFailed, errors: error.messages });
        },
        onSuccess: (moved) => {
          setFlash(t.moved(slotWhen(moved.start_at, moved.end_at)));
          refresh();
        },
      });
    },
    [moveSlot, refresh],
  );

  const onEventMount = useCallback((info: EventMountArg) => {
    const absence = info.event.extendedProps.absence as Absence | undefined;
    if (absence) {
      info.el.dataset.absenceId = String(absence.id);
      info.el.setAttribute("aria-label", info.event.title);
      return;
    }
    const slot = slotOf(info.event);
    if (!slot) return;
    info.el.setAttribute(
      "aria-label",
      t.eventLabel(stateLabel(slot), slotWhen(slot.start_at, slot.end_at), kindsLabel(slot), slot.appointment?.patient_label ?? null, sharingLabel(slot)),
    );
    info.el.dataset.slotId = String(slot.id);
    info.el.dataset.state = slot.status;
    info.el.dataset.sharing = slot.shared_with_sas ? "sas" : "cpts";
    if (slot.appointment?.status) info.el.dataset.outcome = slot.appointment.status;
    info.el.dataset.start = withOffset(slot.start_at);
  }, []);

  const onOutcome = useCallback(
    (message: string) => {
      setErrors(null);
      setFlash(message);
      refresh();
    },
    [refresh],
  );
  const onOutcomeFailed = useCallback((title: string, failed: FieldError[]) => {
    setFlash(null);
    setErrors({ title, errors: failed });
  }, []);

  const closeDialog = useCallback(() => {
    setDialog(null);
    calendar.current?.getApi().unselect();
  }, []);

  const onDone = useCallback(
    (message: string) => {
      setDialog(null);
      setFlash(message);
      calendar.current?.getApi().unselect();
      refresh();
    },
    [refresh],
  );

  return (
    <>
      {me.sites.length === 0 ? <p className="notice notice-warning">{agendaTexts.noSite}</p> : null}
      <section className="card ag-week" aria-labelledby="ag-week-title">
        <div className="card-head">
          <h2 id="ag-week-title">{t.calendarLabel}</h2>
          <button
            type="button"
            className="button button-primary"
            disabled={me.sites.length === 0}
            onClick={() => {
              setFlash(null);
              setDialog({ mode: "create", start: null, end: null });
            }}
          >
            <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" focusable="false">
              <path d="M12 5v14M5 12h14" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
            </svg>
            {t.add}
          </button>
        </div>
        <p className="card-note">{t.help}</p>
        <Legend />
        {flash ? <Notice tone="success">{flash}</Notice> : null}
        {errors ? <ErrorSummary title={errors.title} errors={errors.errors} /> : null}
        <div className="ag-calendar">
          <FullCalendar
            ref={calendar}
            plugins={[timeGridPlugin, listPlugin, interactionPlugin, luxonPlugin]}
            locale={frLocale}
            timeZone={PARIS}
            initialView={phone ? "timeGridDay" : "timeGridWeek"}
            headerToolbar={{
              left: "prev,next today",
              center: "title",
              right: phone ? "timeGridDay,listWeek" : "timeGridWeek,timeGridDay,listWeek",
            }}
            views={{ listWeek: { buttonText: phone ? t.weekList : t.list } }}
            noEventsText={t.noSlots}
            buttonHints={t.buttonHints}
            viewHint={t.viewHint}
            navLinkHint={t.navLinkHint}
            closeHint={agendaTexts.common.close}
            timeHint={t.timeHint}
            eventHint={t.eventHint}
            firstDay={1}
            slotMinTime={hours.min}
            slotMaxTime={hours.max}
            scrollTime={hours.min}
            slotDuration="00:15:00"
            slotLabelInterval="01:00"
            slotLabelFormat={{ hour: "2-digit", minute: "2-digit", hour12: false }}
            eventTimeFormat={{ hour: "2-digit", minute: "2-digit", hour12: false }}
            displayEventEnd={false}
            allDaySlot={false}
            nowIndicator
            height="auto"
            expandRows
            selectable={me.sites.length > 0}
            selectMirror
            selectOverlap={false}
            eventOverlap={false}
            editable
            eventInteractive
            selectLongPressDelay={400}
            eventLongPressDelay={400}
            eventSources={eventSources}
            select={onSelect}
            eventClick={onEventClick}
            eventDrop={onMoved}
            eventResize={onMoved}
            eventDidMount={onEventMount}
            datesSet={(arg) => setListView(arg.view.type.startsWith("list"))}
            dayHeaderContent={(arg) => {
              const date = DateTime.fromJSDate(arg.date).setZone(PARIS).toISODate();
              const mark =
                date && overridden.has(date) ? (
                  <span className="ag-override-mark" data-overridden={date}>
                    {t.overrideMark}
                  </span>
                ) : null;
              if (arg.view.type.startsWith("list")) {
                // FullCalendar's own list header (the day, then the date on the right), marked.
                const { textId, sideText } = arg as typeof arg & { textId?: string; sideText?: string };
                return (
                  <>
                    <span id={textId} className="fc-list-day-text">
                      {arg.text}
                      {mark}
                    </span>
                    {sideText ? <span className="fc-list-day-side-text">{sideText}</span> : null}
                  </>
                );
              }
              return (
                <span className="ag-day-head">
                  {arg.text}
                  {mark}
                </span>
              );
            }}
            eventContent={(arg) => {
              const absence = arg.event.extendedProps.absence as Absence | undefined;
              if (absence && arg.view.type.startsWith("list")) {
                // The list shows start times only: an absence of some hours says its end too.
                const until = absence.end_time ? agendaTexts.absences.until(absence.end_time.slice(0, 5)) : null;
                return (
                  <span className="ag-slot-title">
                    {arg.event.title}
                    {until && !arg.event.allDay ? ` · ${until}` : null}
                  </span>
                );
              }
              const slot = slotOf(arg.event);
              const outcome = slot ? outcomeOf(slot) : null;
              const awaiting = slot !== null && awaitsOutcome(slot);
              return (
                <div className={awaiting ? "ag-slot-content ag-slot-content-outcome" : "ag-slot-content"}>
                  {slot ? (
                    <span className={`ag-mark ${slot.shared_with_sas ? "ag-mark-sas" : "ag-mark-cpts"}`} aria-hidden="true">
                      {slot.shared_with_sas ? agendaTexts.marks.sas : agendaTexts.marks.cpts}
                    </span>
                  ) : null}
                  {arg.view.type === "listWeek" ? null : <span className="ag-slot-time">{arg.timeText} </span>}
                  <span className="ag-slot-title">{arg.event.title}</span>
                  {outcome ? <span className="ag-slot-outcome"> · {outcome}</span> : null}
                  {slot && awaiting ? <BlockOutcome slot={slot} onDone={onOutcome} onFailed={onOutcomeFailed} /> : null}
                  {slot && slot.status !== "booked" && slot.kinds.some((k) => k !== "AMB") ? (
                    <span className="ag-slot-kinds"> · {kindsLabel(slot)}</span>
                  ) : null}
                </div>
              );
            }}
          />
        </div>
      </section>
      <UpcomingPatients effectorId={me.id} />
      {dialog ? <SlotDialog state={dialog} me={me} onClose={closeDialog} onDone={onDone} onChange={setDialog} /> : null}
    </>
  );
}

function Legend() {
  return (
    <div className="ag-legend">
      <ul aria-label={t.legend}>
        <li>
          <span className="ag-swatch ag-slot-free" aria-hidden="true" />
          {t.legendFree}
        </li>
        <li>
          <span className="ag-swatch ag-slot-held" aria-hidden="true" />
          {t.legendHeld}
        </li>
        <li>
          <span className="ag-swatch ag-slot-booked" aria-hidden="true" />
          {t.legendBooked}
        </li>
        <li>
          <span className="ag-mark ag-mark-sas" aria-hidden="true">
            {agendaTexts.marks.sas}
          </span>
          {t.legendSas}
        </li>
        <li>
          <span className="ag-mark ag-mark-cpts" aria-hidden="true">
            {agendaTexts.marks.cpts}
          </span>
          {t.legendCpts}
        </li>
        <li>
          <span className="ag-swatch ag-absence-swatch" aria-hidden="true" />
          {t.legendAbsence}
        </li>
        <li>
          <span className="ag-override-mark" aria-hidden="true">
            {t.overrideMark}
          </span>
          {t.legendOverride}
        </li>
        <li>{t.legendOutcome}</li>
      </ul>
      <p className="ag-legend-note">{t.lockedHint}</p>
    </div>
  );
}

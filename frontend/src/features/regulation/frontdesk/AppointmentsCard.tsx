/**
 * The request's appointments: the booked one first and prominent (when, with whom, where, the
 * practice's phone) with « Annuler le rendez-vous », then the earlier ones and what became of
 * them. Cancelling tells the patient and the practitioner by SMS (notifications reacts to the
 * agenda's event) and sends the request back to the queue « à replanifier ».
 */
import { useEffect, useState } from "react";

import { api, useApiMutation, type Schemas } from "../../../api";
import { Button, ErrorSummary, Field, Modal, Notice } from "../../../ui";
import { regulationKeys } from "../queryKeys";
import { MoveDialog } from "./MoveDialog";
import { longWhen } from "./when";
import { frontDeskTexts } from "./texts";
import "./frontdesk.css";

const t = frontDeskTexts.appointments;
type Appointment = Schemas["RequestAppointment"];

function place(appointment: Appointment): string {
  const site = appointment.site;
  if (!site) return t.noPlace;
  return `${site.name}, ${site.address_line}, ${site.postal_code} ${site.city}`;
}

export function AppointmentsCard({
  requestId,
  deadline,
  appointments,
  canChange,
  onChanged,
}: {
  requestId: number;
  deadline: string | null;
  appointments: readonly Appointment[];
  canChange: boolean;
  onChanged: (message: string) => void;
}) {
  const [cancelling, setCancelling] = useState<Appointment | null>(null);
  const [moving, setMoving] = useState<Appointment | null>(null);
  if (appointments.length === 0) return null;
  const current = appointments.find((a) => a.status === "booked");
  const earlier = appointments.filter((a) => a !== current);
  return (
    <section className="card fd-appointments" aria-labelledby="fd-appointments-title">
      <h2 id="fd-appointments-title">{current ? t.current : t.title}</h2>
      {current ? (
        <>
          <dl className="facts-list fd-current" data-testid="booked-appointment">
            <div>
              <dt>{t.when}</dt>
              <dd>
                <strong>{longWhen(current.start_at)}</strong> · {t.kind[current.kind]}
              </dd>
            </div>
            <div>
              <dt>{t.who}</dt>
              <dd>{current.practitioner}</dd>
            </div>
            <div>
              <dt>{t.where}</dt>
              <dd>{place(current)}</dd>
            </div>
            <div>
              <dt>{t.practitionerPhone}</dt>
              <dd>{current.practitioner_phone}</dd>
            </div>
          </dl>
          {canChange ? (
            <p className="inline-actions">
              <Button variant="secondary" onClick={() => setMoving(current)}>
                {t.move}
              </Button>
              <Button variant="danger" onClick={() => setCancelling(current)}>
                {t.cancel}
              </Button>
            </p>
          ) : null}
        </>
      ) : null}
      {earlier.length > 0 ? (
        <>
          <h3>{t.earlier}</h3>
          <ul className="fd-earlier">
            {earlier.map((a) => (
              <li key={a.id}>
                {longWhen(a.start_at)} — {a.practitioner} — <strong>{t.state[a.status]}</strong>
                {a.cancelled_by ? ` ${t.cancelledBy[a.cancelled_by]}` : ""}
                {a.cancel_reason ? ` : ${a.cancel_reason}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {cancelling ? (
        <CancelDialog
          requestId={requestId}
          appointment={cancelling}
          onClose={() => setCancelling(null)}
          onDone={() => {
            setCancelling(null);
            onChanged(t.cancelled);
          }}
        />
      ) : null}
      {moving ? (
        <MoveDialog
          requestId={requestId}
          deadline={deadline}
          appointment={moving}
          onClose={() => setMoving(null)}
          onDone={(message) => {
            setMoving(null);
            onChanged(message);
          }}
        />
      ) : null}
    </section>
  );
}

function CancelDialog({
  requestId,
  appointment,
  onClose,
  onDone,
}: {
  requestId: number;
  appointment: Appointment;
  onClose: () => void;
  onDone: () => void;
}) {
  const [reason, setReason] = useState("");
  const [byPatient, setByPatient] = useState(true);
  // The dialog (opened by the Modal, a child: its effect ran first) opens on its one field.
  useEffect(() => document.getElementById("fd-cancel-reason")?.focus(), []);
  const cancel = useApiMutation(
    () =>
      api.POST("/api/agenda/appointments/{appointment_id}/cancel", {
        params: { path: { appointment_id: appointment.id } },
        body: { reason: reason.trim(), ...(byPatient ? { by: "patient" as const } : {}) },
      }),
    { invalidates: [regulationKeys.request(requestId), regulationKeys.requests], onSuccess: onDone },
  );
  return (
    <Modal title={t.cancelTitle} onClose={onClose}>
      <p>
        <strong>{longWhen(appointment.start_at)}</strong> — {appointment.practitioner}
      </p>
      <p>{t.cancelIntro}</p>
      <ErrorSummary title={t.errorTitle} error={cancel.error} fieldIds={{ reason: "fd-cancel-reason" }} labels={{ reason: t.reason }} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          cancel.mutate();
        }}
        noValidate
      >
        <Field id="fd-cancel-reason" label={t.reason} error={cancel.error?.fieldError("reason")}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="text"
              maxLength={300}
              value={reason}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={byPatient} onChange={(e) => setByPatient(e.target.checked)} />
          {t.byPatient}
        </label>
        {cancel.error && !cancel.error.fieldError("reason") ? <Notice tone="error">{cancel.error.message}</Notice> : null}
        <div className="inline-actions dialog-actions">
          <Button type="submit" variant="danger" busy={cancel.isPending}>
            {cancel.isPending ? t.cancelling : t.confirm}
          </Button>
          <Button onClick={onClose}>{t.keep}</Button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * « Déplacer le rendez-vous » from the request: another free slot of the same practitioner,
 * offering the appointment's kind, up to the deadline set at triage (the server refuses a later
 * one: clinical safety) or two weeks when there is none. Agenda moves it in one transaction and
 * the patient and practitioner get an SMS.
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, useApiQuery, type FieldError, type Schemas } from "../../../api";
import { Button, ErrorSummary, Field, Loaded, Modal, RadioGroup } from "../../../ui";
import { regulationKeys } from "../queryKeys";
import { longWhen } from "./when";
import { frontDeskTexts } from "./texts";

const t = frontDeskTexts.appointments;
type Appointment = Schemas["RequestAppointment"];
const TWO_WEEKS_MS = 14 * 86_400_000;

function searchWindow(appointment: Appointment, deadline: string | null): { start: string; end: string } {
  const now = Date.now();
  const limit = deadline
    ? Math.max(new Date(deadline).getTime(), new Date(appointment.start_at).getTime())
    : now + TWO_WEEKS_MS;
  return { start: new Date(now).toISOString(), end: new Date(Math.max(limit, now + 60_000)).toISOString() };
}

export function MoveDialog({
  requestId,
  deadline,
  appointment,
  onClose,
  onDone,
}: {
  requestId: number;
  deadline: string | null;
  appointment: Appointment;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [range] = useState(() => searchWindow(appointment, deadline));
  const [target, setTarget] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const query = {
    start: range.start,
    end: range.end,
    effector_id: [appointment.effector_id],
    kinds: [appointment.kind],
    limit: 40,
  };
  const slots = useApiQuery(["regulation", "move-slots", requestId, range.start], (signal) =>
    api.GET("/api/agenda/slots/free", { params: { query }, signal }),
  );
  const choices = slots.data?.items ?? [];
  const chosen = choices.find((s) => String(s.id) === target) ?? null;
  const move = useApiMutation(
    (slot: Schemas["FreeSlot"]) =>
      api.POST("/api/regulation/requests/{request_id}/move-appointment", {
        params: { path: { request_id: requestId } },
        body: { slot_id: slot.id, reason: reason.trim(), allow_other_site: slot.site.id !== appointment.site?.id },
      }),
    {
      invalidates: [regulationKeys.request(requestId), regulationKeys.requests],
      onSuccess: (moved) => onDone(t.moved(longWhen(moved.start_at))),
    },
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local: FieldError[] = [];
    if (!chosen) local.push({ field: "slot_id", msg: t.moveChoose });
    if (!reason.trim()) local.push({ field: "reason", msg: t.moveReasonRequired });
    setErrors(local);
    if (chosen && local.length === 0) move.mutate(chosen);
  }

  const shown = errors.length > 0 ? errors : (move.error?.messages ?? []);
  const byField = Object.fromEntries(shown.map((e) => [e.field, e.msg]));
  return (
    <Modal title={t.moveTitle} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <p>
          <strong>{longWhen(appointment.start_at)}</strong> — {appointment.practitioner}
        </p>
        <p>{t.moveIntro(appointment.practitioner)}</p>
        {shown.length > 0 ? (
          <ErrorSummary
            title={t.moveErrorTitle}
            errors={shown}
            fieldIds={{ slot_id: "fd-move-slot", reason: "fd-move-reason" }}
            labels={{ slot_id: t.moveSlot, reason: t.moveReason }}
          />
        ) : null}
        <Loaded query={slots}>
          {() =>
            choices.length === 0 ? (
              <p className="notice notice-warning">{t.moveNone}</p>
            ) : (
              <RadioGroup
                id="fd-move-slot"
                legend={t.moveSlot}
                hint={t.moveSlotHint(longWhen(range.end))}
                name="fd-move-slot"
                inline={false}
                options={choices.map((s) => ({
                  value: String(s.id),
                  label: `${longWhen(s.start_at)}${s.site.id !== appointment.site?.id ? t.otherSite(s.site.name) : ""}`,
                }))}
                value={target}
                onChange={setTarget}
                error={byField.slot_id}
              />
            )
          }
        </Loaded>
        <Field id="fd-move-reason" label={t.moveReason} error={byField.reason}>
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
        <div className="inline-actions dialog-actions">
          <Button type="submit" variant="primary" busy={move.isPending} disabled={choices.length === 0}>
            {move.isPending ? t.moving : t.moveConfirm}
          </Button>
          <Button onClick={onClose}>{t.moveBack}</Button>
        </div>
      </form>
    </Modal>
  );
}

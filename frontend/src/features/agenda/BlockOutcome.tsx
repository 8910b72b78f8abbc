/**
 * One-click outcome on a block of the week agenda: a booked appointment that has started shows
 * « Vu » and « Absent »; one click (or Tab then Enter) records it, the block then shows the
 * outcome. Correcting it stays in the block's details and in the consultation log.
 */
import { api, useApiMutation, type FieldError, type Schemas } from "../../api";
import { agendaKeys } from "./queryKeys";
import { agendaTexts } from "./texts";
import { paris, slotWhen } from "./time";

type Slot = Schemas["SlotOut"];
type Outcome = "fulfilled" | "noshow";

const t = agendaTexts.effectorHome;

/** The class FullCalendar's click on the block must ignore (the buttons inside it). */
export const BLOCK_OUTCOME_CLASS = "ag-block-outcome";

/** A booked appointment that has started and has no outcome yet. */
export function awaitsOutcome(slot: Slot): boolean {
  return slot.status === "booked" && slot.appointment?.status === "booked" && paris(slot.start_at).toMillis() <= Date.now();
}

/** FullCalendar opens the block's details on Enter / Space pressed anywhere in the block, and
 * cancels the key's default action, which would swallow the button's own activation: these keys
 * stay with the button. */
function keepActivationKeys(button: HTMLButtonElement | null): void {
  button?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") event.stopPropagation();
  });
}

export function BlockOutcome({
  slot,
  onDone,
  onFailed,
}: {
  slot: Slot;
  onDone: (message: string) => void;
  onFailed: (title: string, errors: FieldError[]) => void;
}) {
  const appointmentId = slot.appointment?.id ?? "";
  const when = slotWhen(slot.start_at, slot.end_at);
  const record = useApiMutation(
    (outcome: Outcome) =>
      api.PUT("/api/agenda/appointments/{appointment_id}/outcome", {
        params: { path: { appointment_id: appointmentId } },
        body: { outcome, after_care: null },
      }),
    {
      invalidates: [agendaKeys.consultations],
      onSuccess: (_data, outcome) => onDone(agendaTexts.slotDetails.outcomeSaved(agendaTexts.outcomeStates[outcome] ?? outcome, when)),
      onError: (error) => onFailed(agendaTexts.slotDetails.outcomeFailed, error.messages),
    },
  );
  const buttons: [Outcome, string, string][] = [
    ["fulfilled", t.blockSeen, t.blockSeenLabel(when)],
    ["noshow", t.blockAbsent, t.blockAbsentLabel(when)],
  ];
  return (
    <span className={BLOCK_OUTCOME_CLASS} role="group" aria-label={t.blockOutcome}>
      {buttons.map(([outcome, text, label]) => (
        <button
          key={outcome}
          ref={keepActivationKeys}
          type="button"
          className={`ag-block-button ag-block-${outcome}`}
          aria-label={label}
          title={label}
          disabled={record.isPending}
          onClick={() => record.mutate(outcome)}
        >
          {text}
        </button>
      ))}
    </span>
  );
}

/** Before its start, an appointment's outcome cannot be recorded (the server refuses it too). */
import { handoverTexts as t } from "./texts";

export function isBeforeStart(startAt: string, now: number = Date.now()): boolean {
  return Date.parse(startAt) > now;
}

export function OutcomeNotYet({ startAt }: { startAt: string }) {
  const time = new Intl.DateTimeFormat("fr-FR", {
    timeZone: "Europe/Paris",
    day: "2-digit",
    month: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(startAt));
  return <p className="cell-sub outcome-not-yet">{t.notYet(time)}</p>;
}

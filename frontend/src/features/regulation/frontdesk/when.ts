/** Appointment times as the front desk says them, in Paris time. */
const LONG_WHEN = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  weekday: "long",
  day: "numeric",
  month: "long",
  hour: "2-digit",
  minute: "2-digit",
});

/** "mardi 8 décembre à 14:20" in Paris time. */
export function longWhen(iso: string): string {
  return LONG_WHEN.format(new Date(iso));
}

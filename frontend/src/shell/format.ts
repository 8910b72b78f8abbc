/** Display formats: the API speaks UTC ISO 8601; people read Europe/Paris, French style. */

const PARIS_DATE_TIME = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

const PARIS_CLOCK = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });

const NUMBER = new Intl.NumberFormat("fr-FR");

/** Parses an API timestamp; a string without offset is taken as UTC (the API stores UTC). */
export function parseApiDate(value: string): Date {
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value);
  return new Date(hasOffset ? value : `${value}Z`);
}

/** "29/03/2026 02:30:00" in Paris time; the raw value when it is not a date. */
export function formatDateTime(value: string): string {
  const date = parseApiDate(value);
  return Number.isNaN(date.getTime()) ? value : PARIS_DATE_TIME.format(date);
}

/** "14:30" in Paris time; the raw value when it is not a date. */
export function formatClock(value: string | Date): string {
  const date = typeof value === "string" ? parseApiDate(value) : value;
  return Number.isNaN(date.getTime()) ? String(value) : PARIS_CLOCK.format(date);
}

export function formatNumber(value: number): string {
  return NUMBER.format(value);
}

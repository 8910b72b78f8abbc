/**
 * Time at the edge: the API speaks UTC ISO 8601 (times with an offset, dates as YYYY-MM-DD);
 * people read and type Europe/Paris wall-clock times, whatever the browser's own zone.
 */
import { DateTime } from "luxon";

export const PARIS = "Europe/Paris";
const LOCALE = "fr-FR";

/** An API timestamp in Paris; a value without offset is UTC (the API stores UTC). */
export function paris(iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: "utc" }).setZone(PARIS).setLocale(LOCALE);
}

/** The same instant as an ISO string that always carries its offset (FullCalendar, the API). */
export function withOffset(iso: string): string {
  return paris(iso).toISO({ suppressMilliseconds: true }) ?? iso;
}

/** Paris wall-clock date (YYYY-MM-DD) + time (HH:MM) -> ISO with the right offset (DST aware). */
export function parisToIso(date: string, time: string): string | null {
  const value = DateTime.fromISO(`${date}T${time}`, { zone: PARIS });
  return value.isValid ? value.toISO({ suppressMilliseconds: true }) : null;
}

export function parisDate(iso: string): string {
  return paris(iso).toISODate() ?? "";
}

export function parisTime(iso: string): string {
  return paris(iso).toFormat("HH:mm");
}

export function todayInParis(): string {
  return DateTime.now().setZone(PARIS).toISODate() ?? "";
}

export function nowIso(): string {
  return DateTime.now().toUTC().toISO({ suppressMilliseconds: true }) ?? new Date().toISOString();
}

export function inDaysIso(days: number): string {
  return DateTime.now().toUTC().plus({ days }).toISO({ suppressMilliseconds: true }) ?? new Date().toISOString();
}

export function inHoursIso(hours: number): string {
  return DateTime.now().toUTC().plus({ hours }).toISO({ suppressMilliseconds: true }) ?? new Date().toISOString();
}

/** "14:00–14:20". */
export function timeRange(startIso: string, endIso: string): string {
  return `${parisTime(startIso)}–${parisTime(endIso)}`;
}

/** "lundi 24 novembre 2026, 14:00–14:20" (end on another day: both dates). */
export function slotWhen(startIso: string, endIso: string): string {
  const start = paris(startIso);
  const end = paris(endIso);
  if (start.hasSame(end, "day")) return `${start.toFormat("cccc d LLLL yyyy")}, ${timeRange(startIso, endIso)}`;
  return `${start.toFormat("cccc d LLLL yyyy, HH:mm")} – ${end.toFormat("cccc d LLLL yyyy, HH:mm")}`;
}

/** "lun. 24 nov., 14:00" — compact, for tables. */
export function shortDateTime(iso: string): string {
  return paris(iso).toFormat("ccc d LLL, HH:mm");
}

/** "lun. 24 nov." */
export function shortDay(iso: string): string {
  return paris(iso).toFormat("ccc d LLL");
}

/** A calendar date (YYYY-MM-DD) as "24/11/2026". */
export function formatDate(date: string): string {
  const value = DateTime.fromISO(date, { zone: PARIS });
  return value.isValid ? value.toFormat("dd/LL/yyyy") : date;
}

/** "14:00:00" or "14:00" -> "14:00". */
export function hhmm(time: string): string {
  return time.slice(0, 5);
}

/** "24/11/2026 à 14:03". */
export function dateTimeAt(iso: string): string {
  return paris(iso).toFormat("dd/LL/yyyy 'à' HH:mm");
}

/** Minutes between two HH:MM times of the same day. */
export function minutesBetween(start: string, end: string): number {
  const [sh = 0, sm = 0] = start.split(":").map(Number);
  const [eh = 0, em = 0] = end.split(":").map(Number);
  return eh * 60 + em - (sh * 60 + sm);
}

/** Splits [start, end) into consecutive pieces of `minutes` (the last partial piece dropped). */
export function splitRange(startIso: string, endIso: string, minutes: number | null): [string, string][] {
  const start = DateTime.fromISO(startIso, { setZone: true });
  const end = DateTime.fromISO(endIso, { setZone: true });
  if (!minutes) return [[startIso, endIso]];
  const pieces: [string, string][] = [];
  let cursor = start;
  while (cursor.plus({ minutes }) <= end) {
    const next = cursor.plus({ minutes });
    pieces.push([cursor.setZone(PARIS).toISO({ suppressMilliseconds: true }) ?? "", next.setZone(PARIS).toISO({ suppressMilliseconds: true }) ?? ""]);
    cursor = next;
  }
  return pieces;
}

/** The hours the week grid shows: 07:00–21:00, widened to whole hours so that every slot fits
 * (a 21:00 slot widens the day to 22:00; one at 06:30 from 06:00). "HH:00:00" for FullCalendar. */
export function visibleHours(slots: readonly { start_at: string; end_at: string }[]): { min: string; max: string } {
  let first = 7;
  let last = 21;
  for (const slot of slots) {
    const start = paris(slot.start_at);
    const end = paris(slot.end_at);
    if (!start.isValid || !end.isValid) continue;
    first = Math.min(first, start.hour);
    // A slot ending on another day (past midnight) fills its own day to the end.
    const endHour = end.hasSame(start, "day") ? end.hour + (end.minute > 0 ? 1 : 0) : 24;
    last = Math.max(last, endHour);
  }
  const pad = (h: number) => `${String(h).padStart(2, "0")}:00:00`;
  return { min: pad(first), max: pad(Math.min(last, 24)) };
}

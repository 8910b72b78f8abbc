/** Types and labels shared by the availability screens (recurring slots and absences). */
import type { Schemas } from "../../../api";
import { agendaTexts } from "../texts";
import { formatDate, hhmm } from "../time";

export type Template = Schemas["TemplateOut"];
export type Absence = Schemas["AbsenceOut"];
export type Kind = Template["kinds"][number];
export type Visibility = Template["visibility"][number];

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const t = agendaTexts.templates;
const a = agendaTexts.absences;

export function weekdaysLabel(codes: string): string {
  const list = codes.split(",").filter(Boolean);
  if (list.join(",") === "MO,TU,WE,TH,FR") return t.everyWeekday;
  if (list.length === 7) return t.everyDay;
  return list.map((c) => agendaTexts.weekdays[c]?.[list.length === 1 ? 1 : 0] ?? c).join(", ");
}

export function templateSummary(tpl: Template): string {
  const ranges = [{ start_time: tpl.start_time, end_time: tpl.end_time }, ...(tpl.more_ranges ?? [])]
    .map((r) => `${hhmm(r.start_time)}–${hhmm(r.end_time)}`)
    .join(", ");
  const every = (tpl.every_weeks ?? 1) === 2 ? `, ${t.everyOtherWeekShort}` : "";
  return `${weekdaysLabel(tpl.weekdays).toLowerCase()} ${ranges}${every}`;
}

export function absencePeriod(absence: Absence): string {
  const days = a.period_(formatDate(absence.start_date), formatDate(absence.end_date));
  return absence.start_time && absence.end_time ? days + a.hours(hhmm(absence.start_time), hhmm(absence.end_time)) : days;
}

export type Override = Schemas["OverrideOut"];

/** "09:00–12:00, 14:00–16:00 (créneaux de 20 min)", or "Aucun horaire (journée fermée)". */
export function overrideHours(override: Override): string {
  const o = agendaTexts.overrides;
  if (override.ranges.length === 0) return o.closed;
  const ranges = override.ranges.map((r) => `${hhmm(r.start_time)}–${hhmm(r.end_time)}`).join(", ");
  return `${ranges} (${o.every(override.slot_minutes)})`;
}

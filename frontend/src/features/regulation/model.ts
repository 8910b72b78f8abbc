/** Types of the regulation API (from the generated schema) and small pure helpers around them. */
import type { Schemas } from "../../api";
import { formatClock, parseApiDate } from "../../shell/format";
import { regulationTexts } from "./texts";

export type QueueItem = Schemas["QueueItem"];
export type QueueOut = Schemas["QueueOut"];
export type RequestOut = Schemas["RequestOut"];
export type TriageOut = Schemas["TriageOut"];
export type ReferralOut = Schemas["ReferralOut"];
export type ProtocolCurrent = Schemas["ProtocolCurrentOut"];
export type ProtocolDocument = Schemas["ProtocolDocument"];
export type Motif = Schemas["Motif"];
export type Question = Schemas["Question"];
export type RedFlag = Schemas["RedFlag"];
export type RiskFactor = Schemas["RiskFactor"];
export type Priority = Schemas["Priority"];
export type Outcome = Schemas["Outcome"];
export type Orientation = Schemas["Orientation"];
export type Origin = Schemas["Origin"];
export type CallbackResult = Schemas["CallbackResult"];
export type Urgency = QueueItem["urgency"];

/** Triage answers as the API takes them: question id -> yes/no or a choice id. */
export type Answers = Record<string, boolean | string>;

const t = regulationTexts;

/** Statuses of a request still being handled. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(["received", "waiting", "claimed", "oriented"]);

// -- durations and Paris times ----------------------------------------------------------------

/** "12 min", "1 h 05", "2 j 3 h": a duration as operators say it. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.abs(Math.round(totalSeconds));
  if (seconds < 60) return t.time.seconds;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t.time.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t.time.hours(hours, minutes % 60);
  return t.time.days(Math.floor(hours / 24), hours % 24);
}

/** Server thresholds (regulation.service.queue): under an hour left is "soon" (or the item's own `soon_seconds`). */
const SOON_SECONDS = 3600;

export function urgencyOf(secondsLeft: number | null, fallback: Urgency = "ok", soon: number = SOON_SECONDS): Urgency {
  if (secondsLeft === null) return fallback;
  if (secondsLeft < 0) return "overdue";
  return secondsLeft < soon ? "soon" : "ok";
}

export function timeLeftLabel(secondsLeft: number | null): string {
  if (secondsLeft === null) return t.time.noDeadline;
  return secondsLeft < 0 ? t.time.overdue(formatDuration(secondsLeft)) : t.time.left(formatDuration(secondsLeft));
}

const PARIS = "Europe/Paris";
const PARIS_DAY = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS,
  weekday: "short",
  day: "2-digit",
  month: "2-digit",
});
const PARIS_ISO_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: PARIS,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const FRENCH_DATE = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", day: "2-digit", month: "2-digit", year: "numeric" });

/** "2026-11-23": the Paris calendar day of an instant. */
export function parisDay(date: Date): string {
  return PARIS_ISO_DAY.format(date);
}

/** "14:30", "demain à 09:00", "mar. 25/11 à 14:30": an instant in Paris time, relative to today. */
export function formatWhen(value: string | Date, now: Date = new Date()): string {
  const date = typeof value === "string" ? parseApiDate(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const day = parisDay(date);
  const today = parisDay(now);
  const tomorrow = parisDay(new Date(now.getTime() + 86_400_000));
  const time = formatClock(date);
  if (day === today) return t.time.at(t.time.today, time);
  if (day === tomorrow) return t.time.at(t.time.tomorrow, time);
  return t.time.at(PARIS_DAY.format(date), time);
}

/** "1980-02-03" -> "03/02/1980". */
export function formatBirthDate(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : FRENCH_DATE.format(date);
}

/** "+33612345678" -> "06 12 34 56 78" (French numbers), other numbers unchanged. */
export function displayPhone(e164: string): string {
  const match = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return match ? `0${match.slice(1).join(" ")}` : e164;
}

// -- the protocol ------------------------------------------------------------------------------

/** Age in whole months on the Paris day `today` (as the server counts it), null if unreadable. */
export function ageInMonths(birthDate: string, today: string = parisDay(new Date())): number | null {
  const birth = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const now = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!birth || !now) return null;
  const [by, bm, bd] = birth.slice(1).map(Number) as [number, number, number];
  const [ny, nm, nd] = now.slice(1).map(Number) as [number, number, number];
  const months = (ny - by) * 12 + (nm - bm) - (nd < bd ? 1 : 0);
  return months < 0 ? null : months;
}

export function ageBandFor(document: ProtocolDocument, months: number | null) {
  if (months === null) return null;
  return (
    document.age_bands.find((b) => b.min_months <= months && (b.max_months == null || months < b.max_months)) ?? null
  );
}

/**
 * Whether a question restricted to `sexes` is asked of a patient of `sex` (as the server decides:
 * `regulation.service.protocol.applies_to`): a patient whose sex is not recorded is asked everything.
 */
export function appliesToSex(sexes: readonly string[] | null | undefined, sex: string | null | undefined): boolean {
  return !sexes || (sex !== "female" && sex !== "male") || sexes.includes(sex);
}

/** The red flags to ask for this age band and sex (all the general ones when the age is not known yet). */
export function redFlagsFor(document: ProtocolDocument, band: string | null, sex?: string | null): RedFlag[] {
  return document.red_flags.filter(
    (f) => (!f.age_bands || (band !== null && f.age_bands.includes(band))) && appliesToSex(f.sexes, sex),
  );
}

/** The risk factors to ask for this age band and sex (all the general ones when the age is not known). */
export function riskFactorsFor(document: ProtocolDocument, band: string | null, sex?: string | null): RiskFactor[] {
  return (document.risk_factors ?? []).filter(
    (r) => (!r.age_bands || (band !== null && r.age_bands.includes(band))) && appliesToSex(r.sexes, sex),
  );
}

/** A red flag as the intake shows it: `ages` names the ages it is asked at (null: every age). */
export interface ShownFlag {
  flag: RedFlag;
  ages: string | null;
}

/**
 * The red flags to show, in the order to ask them. Age known: only that band's, the ones proper
 * to the age first (they are why the age was asked first). Age not known yet: every age's, so
 * that nothing is skipped, the age-specific ones first and labelled by age.
 */
export function redFlagsShown(document: ProtocolDocument, band: string | null, sex?: string | null): ShownFlag[] {
  const flags =
    band === null ? document.red_flags.filter((f) => appliesToSex(f.sexes, sex)) : redFlagsFor(document, band, sex);
  const shown = flags.map((flag) => ({ flag, ages: flag.age_bands ? ageRangeLabel(document, flag.age_bands) : null }));
  return [...shown.filter((s) => s.ages !== null), ...shown.filter((s) => s.ages === null)];
}

/**
 * The age-specific red flags of a known band still unanswered while others are answered: what
 * a new birth date added after the operator went through the list (to ask, highlighted).
 */
export function pendingAgeFlags(
  document: ProtocolDocument,
  band: string | null,
  answers: Answers,
  sex?: string | null,
): RedFlag[] {
  if (band === null) return [];
  const flags = redFlagsFor(document, band, sex);
  if (!flags.some((f) => typeof answers[f.id] === "boolean")) return [];
  return flags.filter((f) => f.age_bands && typeof answers[f.id] !== "boolean");
}

/** "7 mois", "2 ans": a band's bound in the unit people use for that age. */
function ageBound(months: number): string {
  return months < 24 ? t.triage.months(months) : t.triage.years(Math.floor(months / 12));
}

/**
 * The ages a list of bands covers, in words: one band says its own label; contiguous bands say
 * "À partir de 2 ans" or "De 2 à 75 ans"; bands with a gap are listed.
 */
export function ageRangeLabel(document: ProtocolDocument, bandIds: readonly string[]): string {
  const bands = document.age_bands
    .filter((b) => bandIds.includes(b.id))
    .sort((a, b) => (a.min_months ?? 0) - (b.min_months ?? 0));
  const [first] = bands;
  const last = bands[bands.length - 1];
  if (!first || !last) return bandIds.join(", ");
  if (bands.length === 1) return first.label;
  const contiguous = bands.every((b, i) => i === 0 || bands[i - 1]?.max_months === b.min_months);
  if (!contiguous) return bands.map((b) => b.label).join(t.triage.or);
  const from = ageBound(first.min_months ?? 0);
  return last.max_months == null ? t.triage.agesFrom(from) : t.triage.agesBetween(from, ageBound(last.max_months));
}

/** The motif's questions asked of a patient of this sex: an `answered_by_sex` question is answered by the recorded sex. */
export function questionsFor(motif: Motif | null, sex?: string | null): Question[] {
  return (motif?.questions ?? []).filter((q) =>
    q.answered_by_sex ? sex !== "female" && sex !== "male" : appliesToSex(q.sexes, sex),
  );
}

/** The first red flag answered "yes", in the protocol's order. */
export function redFlagHit(document: ProtocolDocument, answers: Answers): RedFlag | null {
  return document.red_flags.find((f) => answers[f.id] === true) ?? null;
}

export function motifLabel(document: ProtocolDocument | null, motif: string | null): string {
  if (!motif) return t.labels.none;
  return document?.motifs.find((m) => m.id === motif)?.label ?? motif;
}

/** The advice of the protocol part that decided (`"fever:immunocompromised"`, `"fever:default"`). */
export function adviceFor(document: ProtocolDocument | null, rule: string | null): string | null {
  if (!document || !rule) return null;
  const [motifId, ruleId] = rule.split(":");
  const motif = document.motifs.find((m) => m.id === motifId);
  if (!motif || !ruleId) return null;
  if (ruleId === "default") return motif.default.advice ?? null;
  const rules = motif.rules ?? [];
  const byId = rules.find((r) => r.id === ruleId);
  const byNumber = /^\d+$/.test(ruleId) ? rules[Number(ruleId) - 1] : undefined;
  return (byId ?? byNumber)?.result?.advice ?? null;
}

/** Only the answers that belong to the questions asked (red flags of the band and sex, the motif's). */
export function answersToSend(
  document: ProtocolDocument,
  band: string | null,
  motif: Motif | null,
  answers: Answers,
  sex?: string | null,
): Answers {
  const asked = new Set([
    ...redFlagsFor(document, band, sex).map((f) => f.id),
    ...riskFactorsFor(document, band, sex).map((r) => r.id),
    ...questionsFor(motif, sex).map((q) => q.id),
  ]);
  const out: Answers = {};
  for (const [key, value] of Object.entries(answers)) if (asked.has(key)) out[key] = value;
  return out;
}

/** `<input type="datetime-local">` value (browser time, France) -> ISO 8601 with offset. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Labels of the patient and triage fields, for error summaries ("Prénom : Champ obligatoire."). */
export function fieldLabels(document: ProtocolDocument | null): Record<string, string> {
  const ti = t.intake;
  const labels: Record<string, string> = {
    family_name: ti.familyName,
    given_name: ti.givenName,
    birth_date: ti.birthDate,
    sex: ti.sex,
    phone: ti.phone,
    commune_insee: ti.commune,
    address_line: ti.address,
    latitude: ti.address,
    longitude: ti.address,
    has_gp: ti.hasGp,
    gp_name: ti.gpName,
    mobility: ti.mobility,
    sms_consent: "SMS",
    motif: ti.motif,
    notes: ti.notes,
    origin: ti.origin,
    referrer_structure: ti.referrerStructure,
    structure: t.referral.structure,
    callback_at: ti.callbackAt,
    red_flags: t.referral.redFlagsTitle,
  };
  for (const flag of document?.red_flags ?? []) {
    labels[`answers.${flag.id}`] = flag.reason;
    labels[`red_flags.${flag.id}`] = flag.reason;
  }
  for (const factor of document?.risk_factors ?? []) labels[`answers.${factor.id}`] = factor.label;
  for (const motif of document?.motifs ?? []) for (const q of motif.questions ?? []) labels[`answers.${q.id}`] = q.text;
  return labels;
}

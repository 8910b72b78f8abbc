/** Telephony data as the screens use it. */
import type { Schemas } from "../../api";
import { parseApiDate } from "../../shell/format";
import { telephonyTexts as t } from "./texts";

export type Board = Schemas["BoardOut"];
export type WaitingCall = Schemas["WaitingCallOut"];
export type CallerHints = Schemas["CallerHints"];
export type LineHealth = Schemas["LineHealthOut"];

/** Who the caller probably is, in a few words. */
export function hintText(hints: CallerHints): string {
  const parts: string[] = [];
  if (hints.referrer_structure) parts.push(t.panel.referrer(hints.referrer_structure));
  if (hints.open_request_id !== null) parts.push(t.panel.openRequest(hints.open_request_id));
  if (hints.previous_requests > 0) parts.push(t.panel.known(hints.previous_requests));
  return parts.length ? parts.join(" · ") : t.panel.unknown;
}

/** Seconds waited at `now` (ms), from the server's arrival time. */
export function waitedSeconds(arrivedAt: string, now: number): number {
  return Math.max(0, (now - parseApiDate(arrivedAt).getTime()) / 1000);
}

/** A duration the server measured at `generatedAt`, aged to `now` (ms) so it keeps counting
 * between two reads; null stays null (nothing waiting). */
export function agedSeconds(seconds: number | null | undefined, generatedAt: string, now: number): number | null {
  if (seconds === null || seconds === undefined) return null;
  return seconds + Math.max(0, (now - parseApiDate(generatedAt).getTime()) / 1000);
}

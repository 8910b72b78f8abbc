/** Small helpers of the notifications screens. */
import { errorMessages } from "../../api/errors";
import { describeFailure } from "../../shell/useApi";
import { notificationsTexts as t } from "./texts";

interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; message: string };

/** Runs a mutating call; its first error message in French when it fails. */
export async function perform<T>(call: Promise<ApiResult<T>>): Promise<ActionResult<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok && data !== undefined) return { ok: true, data };
    return { ok: false, message: errorMessages(error, describeFailure(response.status, null))[0]?.msg ?? t.demo.errors.generic };
  } catch {
    return { ok: false, message: t.demo.errors.network };
  }
}

/** "06 •• •• 56 78": enough to tell messages apart on a demo screen, not the whole number. */
export function maskPhone(display: string): string {
  const groups = display.split(" ");
  if (groups.length < 4) return display.length > 6 ? `${display.slice(0, 3)}•••${display.slice(-4)}` : display;
  return groups.map((g, i) => (i === 0 || i >= groups.length - 2 ? g : "••")).join(" ");
}

const PARIS_TIME = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });

/** "14:30" in Paris time. */
export function parisTime(value: string): string {
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasOffset ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? value : PARIS_TIME.format(date);
}

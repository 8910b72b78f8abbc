/**
 * The one error shape of the app: `ApiError`.
 *
 * The backend answers every 4xx with `{"detail": [{"loc": [...], "msg": "..."}]}` (French `msg`),
 * or, for a few 401/403/404, with `{"detail": "..."}`. Whatever the failure (no network, 401, 409,
 * 422, 500), callers get an `ApiError` with the HTTP `status` (null when the server was not
 * reached), the server's `detail` normalised to `{loc, msg}[]`, and a French `message` to show.
 */
import { apiTexts } from "./texts";

export interface ErrorDetail {
  loc: (string | number)[];
  msg: string;
}

export interface FieldError {
  /** Field name when `loc` designates one (`["body", "email"]` -> `"email"`), else null. */
  field: string | null;
  msg: string;
}

const LOCATION_PREFIXES = new Set(["body", "query", "path", "header", "cookie"]);
/** Statuses whose every message is about what was sent: all of them are worth showing. */
const INPUT_STATUSES = new Set([400, 409, 422]);

/** `["body", "answers", "chest_pain"]` -> `"answers.chest_pain"`; null when no field is named. */
export function fieldOf(loc: readonly (string | number)[]): string | null {
  const rest = loc.length > 0 && LOCATION_PREFIXES.has(String(loc[0])) ? loc.slice(1) : loc;
  return rest.length > 0 ? rest.map(String).join(".") : null;
}

/** The `detail` of an error body as `{loc, msg}[]` (empty when the body holds no message). */
export function parseDetail(body: unknown): ErrorDetail[] {
  const detail = typeof body === "object" && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail === "string") return detail.trim() === "" ? [] : [{ loc: [], msg: detail }];
  if (!Array.isArray(detail)) return [];
  const out: ErrorDetail[] = [];
  for (const item of detail) {
    if (typeof item !== "object" || item === null) continue;
    const { loc, msg } = item as { loc?: unknown; msg?: unknown };
    if (typeof msg !== "string" || msg.trim() === "") continue;
    const parts = Array.isArray(loc)
      ? loc.filter((p): p is string | number => typeof p === "string" || typeof p === "number")
      : [];
    out.push({ loc: parts, msg });
  }
  return out;
}

function fallbackFor(status: number | null): string {
  if (status === null) return apiTexts.network;
  if (status === 401) return apiTexts.sessionExpired;
  if (status === 403) return apiTexts.forbidden;
  if (status === 404) return apiTexts.notFound;
  return apiTexts.generic;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  /** The HTTP status; null when the server could not be reached. */
  readonly status: number | null;
  /** What the server said, one entry per message (empty for network errors and 5xx). */
  readonly detail: ErrorDetail[];

  constructor(status: number | null, detail: ErrorDetail[], message?: string) {
    const shown =
      message ??
      (status !== null && status >= 500 ? apiTexts.server : (detail[0]?.msg ?? fallbackFor(status)));
    super(shown);
    this.status = status;
    this.detail = detail;
  }

  /** An error from a response's status and body (5xx bodies are not shown to people). */
  static fromResponse(status: number, body: unknown): ApiError {
    return new ApiError(status, status >= 500 ? [] : parseDetail(body));
  }

  /** The server could not be reached (offline, DNS, connection refused). */
  static network(): ApiError {
    return new ApiError(null, []);
  }

  /** The server's messages with the field each names. */
  get fieldErrors(): FieldError[] {
    return this.detail.map((d) => ({ field: fieldOf(d.loc), msg: d.msg }));
  }

  /**
   * What an error summary lists: every message for bad input (400, 409, 422), else the one
   * French `message`.
   */
  get messages(): FieldError[] {
    if (this.status !== null && INPUT_STATUSES.has(this.status) && this.detail.length > 0) return this.fieldErrors;
    return [{ field: null, msg: this.message }];
  }

  /** The messages about these fields, joined for display next to the field; undefined if none. */
  fieldError(...names: string[]): string | undefined {
    return fieldErrorIn(this.fieldErrors, ...names);
  }
}

/** Messages about one field (several names: any of them), joined; undefined when there are none. */
export function fieldErrorIn(errors: readonly FieldError[], ...names: string[]): string | undefined {
  const text = errors
    .filter((e) => e.field !== null && names.includes(e.field))
    .map((e) => e.msg)
    .join(" ");
  return text || undefined;
}

/** Field errors by field name (`"phone"`, `"answers.chest_pain"`); several messages joined. */
export function errorsByField(errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    if (e.field === null) continue;
    out[e.field] = out[e.field] ? `${out[e.field]} ${e.msg}` : e.msg;
  }
  return out;
}

/** Any thrown value as an ApiError (fetch's TypeError is the network; anything else, generic). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TypeError) return ApiError.network();
  return new ApiError(null, [], apiTexts.generic);
}

/** Turns an error body into a list of messages; `fallback` when the body holds none. */
export function errorMessages(body: unknown, fallback: string): FieldError[] {
  const found = parseDetail(body).map((d) => ({ field: fieldOf(d.loc), msg: d.msg }));
  return found.length > 0 ? found : [{ field: null, msg: fallback }];
}

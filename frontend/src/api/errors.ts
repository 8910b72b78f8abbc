/**
 * Reading the API's error bodies.
 *
 * The backend answers every 4xx with `{"detail": [{"loc": [...], "msg": "..."}]}` (French `msg`),
 * or, for a few 401/403/404, with `{"detail": "..."}`. Bodies come in as `unknown` here on purpose:
 * several status codes share this shape and we only need `loc` and `msg`.
 */

export interface FieldError {
  /** Field name when `loc` designates one (`["body", "email"]` -> `"email"`), else null. */
  field: string | null;
  msg: string;
}

const LOCATION_PREFIXES = new Set(["body", "query", "path", "header", "cookie"]);

function fieldOf(loc: unknown): string | null {
  if (!Array.isArray(loc)) return null;
  const parts = loc.filter((p): p is string | number => typeof p === "string" || typeof p === "number");
  const rest = parts.length > 0 && LOCATION_PREFIXES.has(String(parts[0])) ? parts.slice(1) : parts;
  return rest.length > 0 ? rest.map(String).join(".") : null;
}

/** Turns an error body into a list of messages; `fallback` when the body holds none. */
export function errorMessages(body: unknown, fallback: string): FieldError[] {
  const detail = typeof body === "object" && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail === "string" && detail.trim() !== "") return [{ field: null, msg: detail }];
  if (Array.isArray(detail)) {
    const out: FieldError[] = [];
    for (const item of detail) {
      if (typeof item !== "object" || item === null) continue;
      const { loc, msg } = item as { loc?: unknown; msg?: unknown };
      if (typeof msg === "string" && msg.trim() !== "") out.push({ field: fieldOf(loc), msg });
    }
    if (out.length > 0) return out;
  }
  return [{ field: null, msg: fallback }];
}

/** The first message of an error body, for places that show one line. */
export function errorMessage(body: unknown, fallback: string): string {
  return errorMessages(body, fallback)[0]?.msg ?? fallback;
}

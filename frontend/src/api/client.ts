/**
 * The one HTTP client of the app: `openapi-fetch` typed by the generated `schema.d.ts`.
 *
 * - cookies travel with every call (`credentials: "same-origin"`): the session cookie is HttpOnly;
 * - unsafe methods carry the `X-CSRF-Token` header, read from the readable `snp_csrf` cookie;
 * - a 401 on any call other than the auth endpoints means the session expired: listeners
 *   registered with `onSessionExpired` are told (the auth context sends the user to the login page).
 */
import createClient, { type Middleware } from "openapi-fetch";

import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

export const CSRF_COOKIE = "snp_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// A 401 from these is an answer about credentials, not an expired session.
const AUTH_PATHS = ["/api/auth/login", "/api/auth/me", "/api/auth/logout", "/api/auth/mfa/enrolment", "/api/auth/mfa/enrolment/confirm", "/api/auth/mfa/verify"];

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [rawKey, ...rest] = part.trim().split("=");
    if (rawKey === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

type Listener = () => void;
const sessionExpiredListeners = new Set<Listener>();

/** Registers a callback for "the server no longer knows this session"; returns an unsubscribe. */
export function onSessionExpired(listener: Listener): () => void {
  sessionExpiredListeners.add(listener);
  return () => {
    sessionExpiredListeners.delete(listener);
  };
}

const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (UNSAFE_METHODS.has(request.method.toUpperCase())) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
};

const sessionMiddleware: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401) {
      const path = new URL(request.url, window.location.origin).pathname;
      if (!AUTH_PATHS.includes(path)) for (const listener of sessionExpiredListeners) listener();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrfMiddleware, sessionMiddleware);

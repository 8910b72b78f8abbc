/**
 * Who is logged in. At start the provider asks `GET /api/auth/me`; login and logout go through it
 * so the whole app sees one state. A 401 on any other call flips it to "anonymous / expired".
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { api, asApiError, onSessionExpired, unwrap, type FieldError } from "../api";
import type { User } from "./roles";
import { shellTexts } from "./texts";

export type AnonymousReason = "initial" | "expired" | "logged_out";

export type AuthState =
  | { status: "loading" }
  | { status: "anonymous"; reason: AnonymousReason }
  | { status: "authenticated"; user: User };

/** The second step a correct password may still need: a code, or enrolling a second factor. */
export type SecondFactorStep = "totp" | "enrolment";

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; errors: FieldError[] }
  | { ok: "second_factor"; step: SecondFactorStep };

interface AuthContextValue {
  state: AuthState;
  login: (email: string, password: string) => Promise<LoginResult>;
  /** The session opened by a later step (second factor): the whole app sees this user. */
  completeLogin: (user: User) => void;
  /** Resolves to false when the server could not be reached (the user stays logged in). */
  logout: () => Promise<boolean>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: "loading" });
  // Cached answers belong to one session: never shown to the next person at this screen.
  const queries = useQueryClient();

  useEffect(() => {
    const controller = new AbortController();
    api
      .GET("/api/auth/me", { signal: controller.signal })
      .then(({ data }) => {
        setState(data ? { status: "authenticated", user: data.user } : { status: "anonymous", reason: "initial" });
      })
      .catch(() => {
        if (!controller.signal.aborted) setState({ status: "anonymous", reason: "initial" });
      });
    return () => controller.abort();
  }, []);

  useEffect(
    () =>
      onSessionExpired(() => {
        queries.clear();
        setState((current) => (current.status === "authenticated" ? { status: "anonymous", reason: "expired" } : current));
      }),
    [queries],
  );

  const login = useCallback(async (email: string, password: string): Promise<LoginResult> => {
    try {
      const { user, second_factor } = await unwrap(api.POST("/api/auth/login", { body: { email, password } }));
      if (second_factor) return { ok: "second_factor", step: second_factor };
      if (!user) return { ok: false, errors: [{ field: null, msg: shellTexts.login.genericError }] };
      queries.clear();
      setState({ status: "authenticated", user });
      return { ok: true, user };
    } catch (thrown) {
      const error = asApiError(thrown);
      if (error.status === null) return { ok: false, errors: [{ field: null, msg: shellTexts.login.networkError }] };
      if (error.status >= 500 || error.detail.length === 0) {
        return { ok: false, errors: [{ field: null, msg: error.status >= 500 ? error.message : shellTexts.login.genericError }] };
      }
      return { ok: false, errors: error.fieldErrors };
    }
  }, [queries]);

  const completeLogin = useCallback(
    (user: User) => {
      queries.clear();
      setState({ status: "authenticated", user });
    },
    [queries],
  );

  const logout = useCallback(async (): Promise<boolean> => {
    try {
      await api.POST("/api/auth/logout");
    } catch {
      return false;
    }
    // Whatever the answer (204, or 401 when the session had already expired), we are out.
    queries.clear();
    setState({ status: "anonymous", reason: "logged_out" });
    return true;
  }, [queries]);

  const value = useMemo(() => ({ state, login, completeLogin, logout }), [state, login, completeLogin, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}

/** The logged-in user; only for components rendered behind <RequireAuth>. */
export function useUser(): User {
  const { state } = useAuth();
  if (state.status !== "authenticated") throw new Error("useUser needs an authenticated session");
  return state.user;
}

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

export type LoginResult = { ok: true; user: User } | { ok: false; errors: FieldError[] };

interface AuthContextValue {
  state: AuthState;
  login: (email: string, password: string) => Promise<LoginResult>;
  /** Resolves to false when the server could not be reached (the user stays logged in). */
  logout: () => Promise<boolean>;
  /** A session the server opened another way (an invitation accepted): the app follows it. */
  signedIn: (user: User) => void;
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
      const { user } = await unwrap(api.POST("/api/auth/login", { body: { email, password } }));
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

  const signedIn = useCallback(
    (user: User) => {
      queries.clear();
      setState({ status: "authenticated", user });
    },
    [queries],
  );

  const value = useMemo(() => ({ state, login, logout, signedIn }), [state, login, logout, signedIn]);
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

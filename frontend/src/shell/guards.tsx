/** Route guards: RequireAuth sends anonymous visitors to the login page, RequireRole checks the role. */
import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";

import { useAuth, useUser } from "./auth";
import { Page } from "./Page";
import { ROLE_HOME, type Role } from "./roles";
import { shellTexts } from "./texts";

export const LOGIN_PATH = "/connexion";

/** Where the login page sends the user back after login. */
export interface LoginLocationState {
  from?: string;
}

export function FullPageLoading() {
  return (
    <div className="full-page-status" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {shellTexts.loadingSession}
    </div>
  );
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === "loading") return <FullPageLoading />;
  if (state.status === "anonymous") {
    const from = location.pathname + location.search;
    const loginState: LoginLocationState = state.reason === "logged_out" || from === "/" ? {} : { from };
    return <Navigate to={LOGIN_PATH} replace state={loginState} />;
  }
  return <>{children}</>;
}

export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const user = useUser();
  if (!roles.includes(user.role)) return <Forbidden />;
  return <>{children}</>;
}

export function HomeRedirect() {
  const user = useUser();
  return <Navigate to={ROLE_HOME[user.role]} replace />;
}

export function Forbidden() {
  const user = useUser();
  const t = shellTexts.forbidden;
  return (
    <Page title={t.title}>
      <div className="notice notice-warning">
        <p>{t.body}</p>
        <p>
          {t.yourRole} <strong>{shellTexts.roles[user.role]}</strong>
        </p>
        <p>
          <Link to={ROLE_HOME[user.role]}>{t.back}</Link>
        </p>
      </div>
    </Page>
  );
}

export function NotFound() {
  const t = shellTexts.notFound;
  return (
    <Page title={t.title}>
      <div className="notice">
        <p>{t.body}</p>
        <p>
          <Link to="/">{t.back}</Link>
        </p>
      </div>
    </Page>
  );
}

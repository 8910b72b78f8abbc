/**
 * The composition root of the UI: which page lives at which address, for which roles, and which
 * ones appear in the navigation. Features export pages; the shell knows nothing about them.
 */
import type { ReactNode } from "react";
import { BrowserRouter, Route, Routes } from "react-router";

import { EffectorHome } from "./features/agenda/EffectorHome";
import { CoordinatorHome } from "./features/coordination/CoordinatorHome";
import { OperatorHome } from "./features/regulation/OperatorHome";
import { ReferrerHome } from "./features/regulation/ReferrerHome";
import { RegulatorHome } from "./features/regulation/RegulatorHome";
import { SasHome } from "./features/sas/SasHome";
import { AuthProvider } from "./shell/auth";
import { ErrorBoundary } from "./shell/ErrorBoundary";
import { HomeRedirect, LOGIN_PATH, NotFound, RequireAuth, RequireRole } from "./shell/guards";
import { Layout, type NavEntry } from "./shell/Layout";
import { LoginPage } from "./shell/LoginPage";
import { ROLE_HOME } from "./shell/roles";
import { TerritoryProvider } from "./shell/territory";
import { shellTexts } from "./shell/texts";

interface PageRoute extends NavEntry {
  element: ReactNode;
}

const nav = shellTexts.nav;

const PAGES: readonly PageRoute[] = [
  { to: ROLE_HOME.operator, label: nav.queue, roles: ["operator"], element: <OperatorHome /> },
  { to: ROLE_HOME.regulator, label: nav.advice, roles: ["regulator"], element: <RegulatorHome /> },
  { to: ROLE_HOME.effector, label: nav.agenda, roles: ["effector"], element: <EffectorHome /> },
  { to: ROLE_HOME.referrer, label: nav.orientations, roles: ["referrer"], element: <ReferrerHome /> },
  { to: ROLE_HOME.sas_regulator, label: nav.sas, roles: ["sas_regulator"], element: <SasHome /> },
  { to: ROLE_HOME.coordinator, label: nav.coordination, roles: ["coordinator"], element: <CoordinatorHome /> },
];

export function App() {
  return (
    <ErrorBoundary>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
            <Route path={LOGIN_PATH} element={<LoginPage />} />
            <Route
              element={
                <RequireAuth>
                  <TerritoryProvider>
                    <Layout nav={PAGES} />
                  </TerritoryProvider>
                </RequireAuth>
              }
            >
              <Route index element={<HomeRedirect />} />
              {PAGES.map((page) => (
                <Route key={page.to} path={page.to} element={<RequireRole roles={page.roles}>{page.element}</RequireRole>} />
              ))}
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AuthProvider>
    </ErrorBoundary>
  );
}

/**
 * The composition root of the UI: which page lives at which address, for which roles, and which
 * ones appear in the navigation. Features export pages; the shell knows nothing about them.
 */
import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Route, Routes } from "react-router";

import { AvailabilityPage } from "./features/agenda/AvailabilityPage";
import { CalendarsPage } from "./features/agenda/CalendarsPage";
import { EffectorHome } from "./features/agenda/EffectorHome";
import { AGENDA_PATHS } from "./features/agenda/paths";
import { CoordinatorHome } from "./features/coordination/CoordinatorHome";
import { DirectoryPage } from "./features/coordination/DirectoryPage";
import { EffectorPage } from "./features/coordination/EffectorPage";
import { ImportPage } from "./features/coordination/ImportPage";
import { MapPage } from "./features/coordination/MapPage";
import { COORDINATION_PATHS } from "./features/coordination/paths";
import { coordinationTexts } from "./features/coordination/texts";
import { PROTOCOLS_PATH } from "./features/coordination/protocols/paths";
import { ProtocolsPage } from "./features/coordination/protocols/ProtocolsPage";
import { protocolTexts } from "./features/coordination/protocols/texts";
import { UNREPORTED_PATH, UnreportedPage } from "./features/coordination/UnreportedPage";
import { IndicatorsPage } from "./features/indicators/IndicatorsPage";
import { INDICATORS_PATHS } from "./features/indicators/paths";
import { ReportPage } from "./features/indicators/ReportPage";
import { aciTexts } from "./features/indicators/aciTexts";
import { indicatorsTexts } from "./features/indicators/texts";
import { IntakePage } from "./features/regulation/IntakePage";
import { OperatorHome } from "./features/regulation/OperatorHome";
import { INTAKE_PATH, NEW_REFERRAL_PATH, REQUEST_ROUTE } from "./features/regulation/paths";
import { ReferralPage } from "./features/regulation/ReferralPage";
import { ReferrerHome } from "./features/regulation/ReferrerHome";
import { RegulatorHome } from "./features/regulation/RegulatorHome";
import { RequestPage } from "./features/regulation/RequestPage";
import { NOTIFICATIONS_PATHS } from "./features/notifications/paths";
import { SmsDemoPage } from "./features/notifications/SmsDemoPage";
import { notificationsTexts } from "./features/notifications/texts";
import { SAS_EFFECTOR_ROUTE } from "./features/sas/paths";
import { SasEffectorPage } from "./features/sas/SasEffectorPage";
import { SasHome } from "./features/sas/SasHome";
import { AuthProvider } from "./shell/auth";
import { ErrorBoundary } from "./shell/ErrorBoundary";
import { HomeRedirect, LOGIN_PATH, NotFound, RequireAuth, RequireRole } from "./shell/guards";
import { Loading } from "./shell/Page";
import { Layout, type NavEntry } from "./shell/Layout";
import { LoginPage } from "./shell/LoginPage";
import { PASSWORD_RESET_PATH, PasswordResetPage } from "./shell/PasswordResetPage";
import { ROLE_HOME } from "./shell/roles";
import { TerritoryProvider } from "./shell/territory";
import { shellTexts } from "./shell/texts";

interface PageRoute extends NavEntry {
  element: ReactNode;
}

const nav = shellTexts.nav;

const AciReportPage = lazy(() => import("./features/indicators/AciReportPage"));

const PAGES: readonly PageRoute[] = [
  { to: ROLE_HOME.operator, label: nav.queue, roles: ["operator"], element: <OperatorHome /> },
  { to: ROLE_HOME.regulator, label: nav.advice, roles: ["regulator"], element: <RegulatorHome /> },
  { to: ROLE_HOME.effector, label: nav.agenda, roles: ["effector"], element: <EffectorHome /> },
  { to: ROLE_HOME.referrer, label: nav.orientations, roles: ["referrer"], element: <ReferrerHome /> },
  { to: ROLE_HOME.sas_regulator, label: nav.sas, roles: ["sas_regulator"], element: <SasHome /> },
  { to: ROLE_HOME.coordinator, label: nav.coordination, roles: ["coordinator"], element: <CoordinatorHome /> },
  { to: COORDINATION_PATHS.directory, label: coordinationTexts.nav.directory, roles: ["coordinator"], element: <DirectoryPage /> },
  { to: COORDINATION_PATHS.map, label: coordinationTexts.nav.map, roles: ["coordinator"], element: <MapPage /> },
  { to: PROTOCOLS_PATH, label: protocolTexts.navLabel, roles: ["coordinator"], element: <ProtocolsPage /> },
  { to: INDICATORS_PATHS.dashboard, label: indicatorsTexts.nav, roles: ["coordinator"], element: <IndicatorsPage /> },
  {
    to: INDICATORS_PATHS.aci,
    label: aciTexts.nav,
    roles: ["coordinator", "funder"],
    element: (
      <Suspense fallback={<Loading />}>
        <AciReportPage />
      </Suspense>
    ),
  },
  { to: NOTIFICATIONS_PATHS.demo, label: notificationsTexts.nav, roles: ["coordinator"], element: <SmsDemoPage /> },
];

/** Pages reached from another page, not listed in the navigation. */
const SUB_PAGES: readonly Omit<PageRoute, "label">[] = [
  { to: AGENDA_PATHS.availability, roles: ["effector"], element: <AvailabilityPage /> },
  { to: AGENDA_PATHS.calendars, roles: ["effector"], element: <CalendarsPage /> },
  { to: COORDINATION_PATHS.import, roles: ["coordinator"], element: <ImportPage /> },
  { to: COORDINATION_PATHS.effector, roles: ["coordinator"], element: <EffectorPage /> },
  { to: UNREPORTED_PATH, roles: ["coordinator"], element: <UnreportedPage /> },
  { to: INDICATORS_PATHS.report, roles: ["coordinator"], element: <ReportPage /> },
  { to: INTAKE_PATH, roles: ["operator", "coordinator"], element: <IntakePage /> },
  { to: REQUEST_ROUTE, roles: ["operator", "regulator", "coordinator"], element: <RequestPage /> },
  { to: NEW_REFERRAL_PATH, roles: ["referrer"], element: <ReferralPage /> },
  { to: SAS_EFFECTOR_ROUTE, roles: ["sas_regulator", "coordinator"], element: <SasEffectorPage /> },
];

export function App() {
  return (
    <ErrorBoundary>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
            <Route path={LOGIN_PATH} element={<LoginPage />} />
            <Route path={PASSWORD_RESET_PATH} element={<PasswordResetPage />} />
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
              {[...PAGES, ...SUB_PAGES].map((page) => (
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

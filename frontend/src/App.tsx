/**
 * The composition root of the UI: which page lives at which address, for which roles, and which
 * ones appear in the navigation. Features export pages; the shell knows nothing about them.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Link, Route, Routes } from "react-router";

import { queryClient } from "./api";

import { ACCOUNTS_PATH, CPTS_IDENTITY_PATH } from "./features/accounts/paths";
import { accountsTexts } from "./features/accounts/texts";
import { AGENDA_PATHS } from "./features/agenda/paths";
import { COORDINATION_PATHS } from "./features/coordination/paths";
import { coordinationTexts } from "./features/coordination/texts";
import { PROTOCOLS_PATH } from "./features/coordination/protocols/paths";
import { protocolTexts } from "./features/coordination/protocols/texts";
import { UNREPORTED_PATH } from "./features/coordination/paths";
import { INDICATORS_PATHS } from "./features/indicators/paths";
import { aciTexts } from "./features/indicators/aciTexts";
import { indicatorsTexts } from "./features/indicators/texts";
import { INTAKE_PATH, NEW_REFERRAL_PATH, REFERRAL_ROUTE, REQUEST_ROUTE, SEARCH_PATH, SUPERVISION_PATH } from "./features/regulation/paths";
import { frontDeskTexts } from "./features/regulation/frontdesk/texts";
import { NOTIFICATIONS_PATHS } from "./features/notifications/paths";
import { PATIENT_RIGHTS_PATH } from "./features/privacy/paths";
import { privacyTexts } from "./features/privacy/texts";
import { notificationsTexts } from "./features/notifications/texts";
import { SAS_BOOKINGS_PATH, SAS_EFFECTOR_ROUTE, SAS_LINK_PATH, SAS_SLOT_ROUTE } from "./features/sas/paths";
import { SETUP_PATH, SetupGate } from "./features/setup";
import { sasTexts } from "./features/sas/texts";
import { TELEPHONY_PATHS } from "./features/telephony/paths";
import { telephonyTexts } from "./features/telephony/texts";
import { AuthProvider } from "./shell/auth";
import { ErrorBoundary } from "./shell/ErrorBoundary";
import { FORGOT_PASSWORD_PATH, ForgotPasswordPage } from "./shell/ForgotPasswordPage";
import { HomeRedirect, LOGIN_PATH, NotFound, RequireAuth, RequireRole } from "./shell/guards";
import { INVITATION_PATH, InvitationPage } from "./shell/InvitationPage";
import { Layout, type NavEntry } from "./shell/Layout";
import { LoginPage } from "./shell/LoginPage";
import { PASSWORD_RESET_PATH, PasswordResetPage } from "./shell/PasswordResetPage";
import { ROLE_HOME, type Role } from "./shell/roles";
import { SECURITY_PATH } from "./shell/securityPath";
import { shellTexts } from "./shell/texts";
import { Loading } from "./ui";

// Every page is its own chunk, loaded on first visit: charts (indicators) and maps (coordination,
// regulation) reach only the browsers of the people who open those pages.
const AccountsPage = lazy(() => import("./features/accounts/AccountsPage").then((module) => ({ default: module.AccountsPage })));
const CptsIdentityPage = lazy(() => import("./features/accounts/CptsIdentityPage").then((module) => ({ default: module.CptsIdentityPage })));
const AvailabilityPage = lazy(() => import("./features/agenda/availability/AvailabilityPage").then((module) => ({ default: module.AvailabilityPage })));
const ActivityPage = lazy(() => import("./features/agenda/activity/ActivityPage").then((module) => ({ default: module.ActivityPage })));
const CalendarsPage = lazy(() => import("./features/agenda/CalendarsPage").then((module) => ({ default: module.CalendarsPage })));
const HandoverPage = lazy(() => import("./features/agenda/handover/HandoverPage").then((module) => ({ default: module.HandoverPage })));
const EffectorHome = lazy(() => import("./features/agenda/EffectorHome").then((module) => ({ default: module.EffectorHome })));
const CoordinatorHome = lazy(() => import("./features/coordination/CoordinatorHome").then((module) => ({ default: module.CoordinatorHome })));
const DirectoryPage = lazy(() => import("./features/coordination/DirectoryPage").then((module) => ({ default: module.DirectoryPage })));
const EffectorPage = lazy(() => import("./features/coordination/EffectorPage").then((module) => ({ default: module.EffectorPage })));
const ImportPage = lazy(() => import("./features/coordination/ImportPage").then((module) => ({ default: module.ImportPage })));
const PublicDataPage = lazy(() => import("./features/coordination/PublicDataPage").then((module) => ({ default: module.PublicDataPage })));
const MapPage = lazy(() => import("./features/coordination/MapPage").then((module) => ({ default: module.MapPage })));
const UnreportedPage = lazy(() => import("./features/coordination/UnreportedPage").then((module) => ({ default: module.UnreportedPage })));
const ProtocolsPage = lazy(() => import("./features/coordination/protocols/ProtocolsPage").then((module) => ({ default: module.ProtocolsPage })));
const IndicatorsPage = lazy(() => import("./features/indicators/IndicatorsPage").then((module) => ({ default: module.IndicatorsPage })));
const ReportPage = lazy(() => import("./features/indicators/ReportPage").then((module) => ({ default: module.ReportPage })));
const AciManagePage = lazy(() => import("./features/indicators/AciManagePage").then((module) => ({ default: module.AciManagePage })));
const AciReportPage = lazy(() => import("./features/indicators/AciReportPage").then((module) => ({ default: module.AciReportPage })));
const PatientRightsPage = lazy(() => import("./features/privacy/PatientRightsPage").then((module) => ({ default: module.PatientRightsPage })));
const SmsDemoPage = lazy(() => import("./features/notifications/SmsDemoPage").then((module) => ({ default: module.SmsDemoPage })));
const IntakePage = lazy(() => import("./features/regulation/IntakePage").then((module) => ({ default: module.IntakePage })));
const OperatorHome = lazy(() => import("./features/regulation/OperatorHome").then((module) => ({ default: module.OperatorHome })));
const ReferralPage = lazy(() => import("./features/regulation/ReferralPage").then((module) => ({ default: module.ReferralPage })));
const ReferralDetailPage = lazy(() =>
  import("./features/regulation/ReferralDetailPage").then((module) => ({ default: module.ReferralDetailPage })),
);
const ReferrerHome = lazy(() => import("./features/regulation/ReferrerHome").then((module) => ({ default: module.ReferrerHome })));
const RegulatorHome = lazy(() => import("./features/regulation/RegulatorHome").then((module) => ({ default: module.RegulatorHome })));
const SupervisionPage = lazy(() => import("./features/regulation/frontdesk/SupervisionPage").then((module) => ({ default: module.SupervisionPage })));
const SearchPage = lazy(() => import("./features/regulation/frontdesk/SearchPage").then((module) => ({ default: module.SearchPage })));
const RequestPage = lazy(() => import("./features/regulation/request/RequestPage").then((module) => ({ default: module.RequestPage })));
const VoiceDemoPage = lazy(() => import("./features/telephony/VoiceDemoPage").then((module) => ({ default: module.VoiceDemoPage })));
const CallLogPage = lazy(() => import("./features/telephony/CallLogPage").then((module) => ({ default: module.CallLogPage })));
const SasEffectorPage = lazy(() => import("./features/sas/SasEffectorPage").then((module) => ({ default: module.SasEffectorPage })));
const SasHome = lazy(() => import("./features/sas/SasHome").then((module) => ({ default: module.SasHome })));
const SasBookingsPage = lazy(() => import("./features/sas/SasBookingsPage").then((module) => ({ default: module.SasBookingsPage })));
const SasLinkPage = lazy(() => import("./features/sas/SasLinkPage").then((module) => ({ default: module.SasLinkPage })));
const SetupPage = lazy(() => import("./features/setup/SetupPage").then((module) => ({ default: module.SetupPage })));
const SecurityPage = lazy(() => import("./shell/SecurityPage").then((module) => ({ default: module.SecurityPage })));

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
  { to: SAS_BOOKINGS_PATH, label: sasTexts.nav.bookings, roles: ["sas_regulator"], element: <SasBookingsPage /> },
  { to: ROLE_HOME.coordinator, label: nav.coordination, roles: ["coordinator"], element: <CoordinatorHome /> },
  { to: SEARCH_PATH, label: frontDeskTexts.search.nav, roles: ["operator", "regulator", "coordinator"], element: <SearchPage /> },
  { to: SUPERVISION_PATH, label: frontDeskTexts.supervision.nav, roles: ["coordinator"], element: <SupervisionPage /> },
  { to: COORDINATION_PATHS.directory, label: coordinationTexts.nav.directory, roles: ["coordinator"], element: <DirectoryPage /> },
  { to: COORDINATION_PATHS.map, label: coordinationTexts.nav.map, roles: ["coordinator"], element: <MapPage /> },
  { to: PROTOCOLS_PATH, label: protocolTexts.navLabel, roles: ["coordinator", "regulator"], element: <ProtocolsPage /> },
  { to: INDICATORS_PATHS.dashboard, label: indicatorsTexts.nav, roles: ["coordinator", "funder"], element: <IndicatorsPage /> },
  { to: INDICATORS_PATHS.aci, label: aciTexts.nav, roles: ["coordinator", "funder"], element: <AciReportPage /> },
  { to: NOTIFICATIONS_PATHS.demo, label: notificationsTexts.nav, roles: ["coordinator"], element: <SmsDemoPage /> },
  { to: TELEPHONY_PATHS.demo, label: telephonyTexts.nav.demo, roles: ["coordinator"], element: <VoiceDemoPage /> },
  { to: TELEPHONY_PATHS.log, label: telephonyTexts.nav.log, roles: ["coordinator"], element: <CallLogPage /> },
  { to: SAS_LINK_PATH, label: sasTexts.nav.link, roles: ["coordinator"], element: <SasLinkPage /> },
  { to: PATIENT_RIGHTS_PATH, label: privacyTexts.nav, roles: ["coordinator"], element: <PatientRightsPage /> },
  { to: ACCOUNTS_PATH, label: accountsTexts.nav.accounts, roles: ["coordinator"], element: <AccountsPage /> },
  { to: CPTS_IDENTITY_PATH, label: accountsTexts.nav.cpts, roles: ["coordinator"], element: <CptsIdentityPage /> },
];

/** Pages reached from another page, not listed in the navigation. */
const SUB_PAGES: readonly Omit<PageRoute, "label">[] = [
  { to: AGENDA_PATHS.availability, roles: ["effector"], element: <AvailabilityPage /> },
  { to: AGENDA_PATHS.calendars, roles: ["effector"], element: <CalendarsPage /> },
  { to: AGENDA_PATHS.activity, roles: ["effector"], element: <ActivityPage /> },
  { to: AGENDA_PATHS.handover, roles: ["effector"], element: <HandoverPage /> },
  { to: COORDINATION_PATHS.import, roles: ["coordinator"], element: <ImportPage /> },
  { to: COORDINATION_PATHS.publicData, roles: ["coordinator"], element: <PublicDataPage /> },
  { to: COORDINATION_PATHS.effector, roles: ["coordinator"], element: <EffectorPage /> },
  { to: UNREPORTED_PATH, roles: ["coordinator"], element: <UnreportedPage /> },
  { to: INDICATORS_PATHS.report, roles: ["coordinator", "funder"], element: <ReportPage /> },
  { to: INDICATORS_PATHS.aciManage, roles: ["coordinator"], element: <AciManagePage /> },
  { to: INTAKE_PATH, roles: ["operator", "coordinator"], element: <IntakePage /> },
  { to: REQUEST_ROUTE, roles: ["operator", "regulator", "coordinator"], element: <RequestPage /> },
  { to: NEW_REFERRAL_PATH, roles: ["referrer"], element: <ReferralPage /> },
  { to: REFERRAL_ROUTE, roles: ["referrer"], element: <ReferralDetailPage /> },
  { to: SAS_EFFECTOR_ROUTE, roles: ["sas_regulator"], element: <SasEffectorPage /> },
  { to: SAS_SLOT_ROUTE, roles: ["sas_regulator"], element: <SasEffectorPage /> },
  { to: SECURITY_PATH, roles: Object.keys(ROLE_HOME) as Role[], element: <SecurityPage /> },
];

export function App() {
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <AuthProvider>
        <BrowserRouter>
          <SetupGate>
          <Routes>
            <Route
              path={LOGIN_PATH}
              element={<LoginPage links={<Link to={FORGOT_PASSWORD_PATH}>{shellTexts.login.forgotPassword}</Link>} />}
            />
            <Route path={FORGOT_PASSWORD_PATH} element={<ForgotPasswordPage />} />
            <Route path={INVITATION_PATH} element={<InvitationPage />} />
            <Route
              path={SETUP_PATH}
              element={
                <Suspense fallback={<Loading />}>
                  <SetupPage />
                </Suspense>
              }
            />
            <Route path={PASSWORD_RESET_PATH} element={<PasswordResetPage />} />
            <Route
              element={
                <RequireAuth>
                  <Layout nav={PAGES} />
                </RequireAuth>
              }
            >
              <Route index element={<HomeRedirect />} />
              {[...PAGES, ...SUB_PAGES].map((page) => (
                <Route key={page.to} path={page.to} element={<RequireRole roles={page.roles}>
                      <Suspense fallback={<Loading />}>{page.element}</Suspense>
                    </RequireRole>} />
              ))}
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
          </SetupGate>
        </BrowserRouter>
        </AuthProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}

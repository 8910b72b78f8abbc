/** The frame around every page once logged in: header (CPTS, user, logout), role navigation, main. */
import { useState } from "react";
import { Link, Outlet } from "react-router";

import { useAuth, useUser } from "./auth";
import { securityTexts } from "./mfaTexts";
import { NavLinks } from "./NavLinks";
import type { Role } from "./roles";
import { SECURITY_PATH } from "./securityPath";
import { useCptsName } from "./territory";
import { shellTexts } from "./texts";

export interface NavEntry {
  to: string;
  label: string;
  roles: readonly Role[];
}

function Logo() {
  return (
    <svg className="logo" aria-hidden="true" viewBox="0 0 32 32" width="32" height="32" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
    </svg>
  );
}

export function Layout({ nav }: { nav: readonly NavEntry[] }) {
  const user = useUser();
  const { logout } = useAuth();
  const cpts = useCptsName();
  const [busy, setBusy] = useState(false);
  const [logoutFailed, setLogoutFailed] = useState(false);
  const entries = nav.filter((entry) => entry.roles.includes(user.role));

  async function onLogout() {
    setBusy(true);
    setLogoutFailed(false);
    const ok = await logout();
    // On success this component unmounts (the guard sends us to the login page).
    if (!ok) {
      setBusy(false);
      setLogoutFailed(true);
    }
  }

  return (
    <div className="app">
      <a className="skip-link" href="#contenu">
        {shellTexts.skipLink}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <div className="brand">
            <Logo />
            <div className="brand-text">
              <span className="brand-name" data-testid="cpts-name">
                {cpts ?? shellTexts.defaultCptsName}
              </span>
              <span className="brand-sub">{shellTexts.appName}</span>
            </div>
          </div>
          <div className="user-box">
            <p className="user-id">
              <span className="visually-hidden">{shellTexts.connectedAs} </span>
              <span className="user-name">{user.full_name}</span>
              <span className="user-role">{shellTexts.roles[user.role]}</span>
            </p>
            <Link className="button button-ghost" to={SECURITY_PATH}>
              {securityTexts.link}
            </Link>
            <button type="button" className="button button-ghost" onClick={onLogout} disabled={busy}>
              <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" focusable="false">
                <path
                  d="M9 20H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h3M16 17l5-5-5-5M21 12H9"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
              {busy ? shellTexts.loggingOut : shellTexts.logout}
            </button>
          </div>
        </div>
        {entries.length > 0 ? (
          <NavLinks entries={entries} label={shellTexts.nav.label} className="app-nav" />
        ) : null}
      </header>
      {logoutFailed ? (
        <div className="banner" role="alert">
          {shellTexts.logoutFailed}
        </div>
      ) : null}
      <main id="contenu" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <p>
          {shellTexts.footer}
          {cpts ? ` — ${cpts}` : ""}
        </p>
      </footer>
    </div>
  );
}

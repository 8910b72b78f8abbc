/** The login form. Server messages (French) are shown as sent, per field when `loc` names one. */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";

import type { FieldError } from "../api";
import { useAuth, type SecondFactorStep } from "./auth";
import { ProSanteConnect } from "./ProSanteConnect";
import { SecondFactorScreen } from "./SecondFactorScreen";
import { FullPageLoading, type LoginLocationState } from "./guards";
import { ROLE_HOME } from "./roles";
import { shellTexts } from "./texts";

const t = shellTexts.login;
type Field = "email" | "password";

function fieldIsKnown(field: string | null): field is Field {
  return field === "email" || field === "password";
}

/** `links`: extra links under the form, given by the composition root (e.g. a feature's page). */
export function LoginPage({ links }: { links?: ReactNode } = {}) {
  const { state, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as LoginLocationState | null)?.from;

  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [showPassword, setShowPassword] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [secondStep, setSecondStep] = useState<SecondFactorStep | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  const ids = { email: useId(), password: useId(), emailHint: useId(), emailError: useId(), passwordError: useId() };

  useEffect(() => {
    document.title = shellTexts.documentTitle(t.pageTitle, null);
  }, []);

  useEffect(() => {
    if (errors.length > 0) summary.current?.focus();
  }, [errors]);

  if (state.status === "loading") return <FullPageLoading />;
  if (state.status === "authenticated" && !submitting) return <Navigate to={ROLE_HOME[state.user.role]} replace />;
  if (secondStep) {
    const restart = () => {
      setSecondStep(null);
      setSubmitting(false);
    };
    return <SecondFactorScreen step={secondStep} onRestart={restart} onDone={(user) => navigate(from && from !== "/" ? from : ROLE_HOME[user.role], { replace: true })} />;
  }

  const fieldError = (field: Field) =>
    errors
      .filter((e) => e.field === field)
      .map((e) => e.msg)
      .join(" ");
  const emailError = fieldError("email");
  const passwordError = fieldError("password");
  const notice =
    errors.length === 0 && state.status === "anonymous"
      ? state.reason === "expired"
        ? t.sessionExpired
        : state.reason === "logged_out"
          ? t.loggedOut
          : null
      : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local: FieldError[] = [];
    if (email.trim() === "") local.push({ field: "email", msg: t.emailRequired });
    if (password === "") local.push({ field: "password", msg: t.passwordRequired });
    if (local.length > 0) {
      setErrors(local);
      return;
    }
    setSubmitting(true);
    setErrors([]);
    const result = await login(email.trim(), password);
    if (result.ok === true) {
      navigate(from && from !== "/" ? from : ROLE_HOME[result.user.role], { replace: true });
      return;
    }
    setPassword("");
    if (result.ok === "second_factor") {
      setSecondStep(result.step);
      return;
    }
    setSubmitting(false);
    setErrors(result.errors);
  }

  return (
    <div className="login-screen">
      <main className="login-card" id="contenu">
        <div className="login-brand">
          <svg className="logo" aria-hidden="true" viewBox="0 0 32 32" width="40" height="40" focusable="false">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
          </svg>
          <p className="login-app-name">
            {shellTexts.appName}
            <span>{shellTexts.appShortName} · CPTS</span>
          </p>
        </div>
        <h1>{t.pageTitle}</h1>
        <p className="page-intro">{t.intro}</p>

        {notice ? (
          <p className="notice notice-info" role="status">
            {notice}
          </p>
        ) : null}

        {errors.length > 0 ? (
          <div className="notice notice-error error-summary" role="alert" tabIndex={-1} ref={summary}>
            <h2>{t.errorTitle}</h2>
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  {fieldIsKnown(e.field) ? <a href={`#${ids[e.field]}`}>{e.msg}</a> : e.msg}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
          <div className={`field${emailError ? " field-invalid" : ""}`}>
            <label htmlFor={ids.email}>{t.email}</label>
            <p className="field-hint" id={ids.emailHint}>
              {t.emailHint}
            </p>
            {emailError ? (
              <p className="field-error" id={ids.emailError}>
                {emailError}
              </p>
            ) : null}
            <input
              id={ids.email}
              name="email"
              type="email"
              inputMode="email"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              aria-invalid={emailError ? true : undefined}
              aria-describedby={emailError ? `${ids.emailError} ${ids.emailHint}` : ids.emailHint}
            />
          </div>

          <div className={`field${passwordError ? " field-invalid" : ""}`}>
            <label htmlFor={ids.password}>{t.password}</label>
            {passwordError ? (
              <p className="field-error" id={ids.passwordError}>
                {passwordError}
              </p>
            ) : null}
            <input
              id={ids.password}
              name="password"
              type={showPassword ? "text" : "password"}
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={passwordError ? true : undefined}
              aria-describedby={passwordError ? ids.passwordError : undefined}
            />
            <label className="checkbox">
              <input type="checkbox" checked={showPassword} onChange={(event) => setShowPassword(event.target.checked)} />
              {t.showPassword}
            </label>
          </div>

          <button type="submit" className="button button-primary button-block" disabled={submitting}>
            {submitting ? t.submitting : t.submit}
          </button>
        </form>
        <ProSanteConnect />
        {links ? <p>{links}</p> : null}

        <p className="login-emergency">
          <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" focusable="false">
            <path d="M12 3 2 21h20L12 3zm0 6v6m0 2.5v.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          {t.emergency}
        </p>
      </main>
    </div>
  );
}

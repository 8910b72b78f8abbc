/** `/mot-de-passe/nouveau?token=…`: choose a new password with a one-time link (no login). */
import { useEffect, useId, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";

import { api, useApiMutation, useApiQuery, type ApiError, type FieldError } from "../api";
import { LOGIN_PATH } from "./guards";
import { shellKeys } from "./queryKeys";
import { shellTexts } from "./texts";

export const PASSWORD_RESET_PATH = "/mot-de-passe/nouveau";

const t = {
  title: "Choisir un nouveau mot de passe",
  checking: "Vérification du lien…",
  forAccount: (email: string) => `Compte : ${email}`,
  password: "Nouveau mot de passe (au moins 10 caractères)",
  confirm: "Confirmez le mot de passe",
  mismatch: "Les deux mots de passe diffèrent.",
  submit: "Enregistrer le mot de passe",
  done: "Mot de passe enregistré. Vous pouvez vous connecter.",
  login: "Aller à la connexion",
  invalid: "Lien invalide ou expiré.",
};

/** The server's reasons, or "invalid link" when it gave none. */
function reasons(error: ApiError): FieldError[] {
  return error.status === null || error.status >= 500 || error.detail.length === 0
    ? [{ field: null, msg: error.status === null || error.status >= 500 ? error.message : t.invalid }]
    : error.fieldErrors;
}

export function PasswordResetPage() {
  const [search] = useSearchParams();
  const token = search.get("token") ?? "";
  const [mismatch, setMismatch] = useState(false);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const ids = { password: useId(), confirm: useId() };
  // Checking the link changes nothing on the server: read once, never re-checked behind the user's back.
  const check = useApiQuery(
    shellKeys.passwordReset(token),
    (signal) => api.POST("/api/password-reset/check", { body: { token }, signal }),
    { staleTime: Number.POSITIVE_INFINITY, gcTime: 0 },
  );
  const use = useApiMutation(() => api.POST("/api/password-reset/use", { body: { token, password } }));
  const email = check.data?.email ?? null;
  const done = use.isSuccess;
  const failure = use.error ?? (check.data ? null : check.error);
  const errors: FieldError[] = mismatch ? [{ field: "confirm", msg: t.mismatch }] : failure ? reasons(failure) : [];

  useEffect(() => {
    document.title = shellTexts.documentTitle(t.title, null);
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    use.mutate();
  }

  return (
    <div className="login-screen">
      <main className="login-card" id="contenu">
        <h1>{t.title}</h1>
        {errors.length > 0 ? (
          <div className="notice notice-error" role="alert">
            <ul>
              {errors.map((e, i) => (
                <li key={i}>{e.msg}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {done ? (
          <p className="notice notice-success" role="status">
            {t.done} <Link to={LOGIN_PATH}>{t.login}</Link>
          </p>
        ) : email === null ? (
          errors.length === 0 ? <p role="status">{t.checking}</p> : <Link to={LOGIN_PATH}>{t.login}</Link>
        ) : (
          <form onSubmit={onSubmit} noValidate>
            <p>{t.forAccount(email)}</p>
            <div className="field">
              <label htmlFor={ids.password}>{t.password}</label>
              <input id={ids.password} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.confirm}>{t.confirm}</label>
              <input id={ids.confirm} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            </div>
            <button type="submit" className="button button-primary button-block">
              {t.submit}
            </button>
          </form>
        )}
      </main>
    </div>
  );
}

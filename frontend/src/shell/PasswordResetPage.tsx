/** `/mot-de-passe/nouveau?token=…`: choose a new password with a one-time link (no login). */
import { useEffect, useId, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";

import { api } from "../api/client";
import { errorMessages, type FieldError } from "../api/errors";
import { LOGIN_PATH } from "./guards";
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

export function PasswordResetPage() {
  const [search] = useSearchParams();
  const token = search.get("token") ?? "";
  const [email, setEmail] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);
  const ids = { password: useId(), confirm: useId() };

  useEffect(() => {
    document.title = shellTexts.documentTitle(t.title, null);
    api.POST("/api/password-reset/check", { body: { token } }).then(({ data, error }) => {
      if (data) setEmail(data.email);
      else setErrors(errorMessages(error, t.invalid));
    });
  }, [token]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password !== confirm) {
      setErrors([{ field: "confirm", msg: t.mismatch }]);
      return;
    }
    const { error, response } = await api.POST("/api/password-reset/use", { body: { token, password } });
    if (response.ok) setDone(true);
    else setErrors(errorMessages(error, t.invalid));
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

/**
 * `/mot-de-passe-oublie` (public, linked from the login page): a one-time link by e-mail. The
 * answer never says whether an account exists; the server limits the requests.
 */
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, useApiMutation } from "../api";
import { Button, ErrorSummary, InputField, Notice } from "../ui";
import { LOGIN_PATH } from "./guards";
import { shellTexts } from "./texts";

export const FORGOT_PASSWORD_PATH = "/mot-de-passe-oublie";

const t = {
  title: "Mot de passe oublié",
  intro:
    "Indiquez l'adresse e-mail de votre compte : si elle correspond à un compte actif, vous recevrez un lien pour choisir un nouveau mot de passe (valable une heure, une seule fois).",
  email: "Adresse e-mail du compte",
  submit: "Recevoir un lien par e-mail",
  submitting: "Envoi…",
  errorTitle: "La demande n'a pas pu être envoyée",
  back: "Retour à la connexion",
};

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const send = useApiMutation(() => api.POST("/api/password-reset/request", { body: { email } }));
  useEffect(() => {
    document.title = shellTexts.documentTitle(t.title, null);
  }, []);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send.mutate();
  }
  return (
    <div className="login-screen">
      <main className="login-card" id="contenu">
        <h1>{t.title}</h1>
        {send.data ? (
          <Notice tone="success">{send.data.message}</Notice>
        ) : (
          <>
            <p>{t.intro}</p>
            <ErrorSummary title={t.errorTitle} error={send.error} />
            <form onSubmit={onSubmit} noValidate>
              <InputField
                label={t.email}
                error={send.error?.fieldError("email")}
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
              <Button type="submit" variant="primary" block busy={send.isPending}>
                {send.isPending ? t.submitting : t.submit}
              </Button>
            </form>
          </>
        )}
        <p>
          <Link to={LOGIN_PATH}>{t.back}</Link>
        </p>
      </main>
    </div>
  );
}

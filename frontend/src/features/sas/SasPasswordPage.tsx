/**
 * « Mot de passe oublié » of a SAS regulator (public page, linked from the login page). The
 * answer never says whether an account exists; a matching request reaches the coordinators.
 */
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, useApiMutation } from "../../api";
import { LOGIN_PATH } from "../../shell/guards";
import { Button, ErrorSummary, InputField, Notice } from "../../ui";
import { sasTexts } from "./texts";

const t = sasTexts.password;

export function SasPasswordPage() {
  const [email, setEmail] = useState("");
  const send = useApiMutation(() => api.POST("/api/sas/password-forgotten", { body: { email } }));
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

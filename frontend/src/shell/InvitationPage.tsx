/**
 * `/invitation?token=…` (public): the invited person chooses a password (and gives their e-mail
 * when the invitation came by SMS); the server spends the link and goes on as after a login
 * with that password: the second factor's enrolment first when the role needs one (the same
 * screen as at a first login), then the app lands on the role's home page.
 */
import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";

import { api, useApiMutation, useApiQuery } from "../api";
import { Button, ErrorSummary, InputField, Notice } from "../ui";
import { useAuth, type SecondFactorStep } from "./auth";
import { LOGIN_PATH } from "./guards";
import { shellKeys } from "./queryKeys";
import { ROLE_HOME, roleLabel } from "./roles";
import { SecondFactorScreen } from "./SecondFactorScreen";
import { shellTexts } from "./texts";

export const INVITATION_PATH = "/invitation";

const t = {
  title: "Activer votre compte",
  checking: "Vérification de l'invitation…",
  welcome: (name: string, role: string) => `Bienvenue ${name} : votre compte « ${role} » vous attend.`,
  account: (email: string) => `Identifiant : ${email}`,
  email: "Votre adresse e-mail (elle sera votre identifiant)",
  password: "Choisissez un mot de passe (au moins 10 caractères)",
  confirm: "Confirmez le mot de passe",
  mismatch: "Les deux mots de passe diffèrent.",
  submit: "Activer mon compte",
  submitting: "Activation…",
  errorTitle: "Le compte n'a pas été activé",
  invalidTitle: "Invitation invalide",
  login: "Aller à la connexion",
};

export function InvitationPage() {
  const [search] = useSearchParams();
  const token = search.get("token") ?? "";
  const { completeLogin } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [secondStep, setSecondStep] = useState<SecondFactorStep | null>(null);
  const check = useApiQuery(
    shellKeys.invitation(token),
    (signal) => api.POST("/api/invitations/check", { body: { token }, signal }),
    { staleTime: Number.POSITIVE_INFINITY, gcTime: 0 },
  );
  const accept = useApiMutation(
    () =>
      api.POST("/api/invitations/accept", {
        body: { token, password, ...(check.data?.needs_email ? { email } : {}) },
      }),
    {
      onSuccess: (answer) => {
        if (answer.second_factor) {
          setSecondStep(answer.second_factor);
          return;
        }
        if (!answer.user) return;
        completeLogin(answer.user);
        navigate(ROLE_HOME[answer.user.role], { replace: true });
      },
    },
  );

  useEffect(() => {
    document.title = shellTexts.documentTitle(t.title, null);
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    accept.mutate();
  }

  if (secondStep) {
    // The link is spent and the password set: a lapsed step restarts from the login page.
    return (
      <SecondFactorScreen
        step={secondStep}
        onRestart={() => navigate(LOGIN_PATH, { replace: true })}
        onDone={(user) => navigate(ROLE_HOME[user.role], { replace: true })}
      />
    );
  }

  const invitation = check.data;
  return (
    <div className="login-screen">
      <main className="login-card" id="contenu">
        <h1>{t.title}</h1>
        {check.error ? (
          <>
            <ErrorSummary title={t.invalidTitle} error={check.error} />
            <Link to={LOGIN_PATH}>{t.login}</Link>
          </>
        ) : !invitation ? (
          <p role="status">{t.checking}</p>
        ) : (
          <form onSubmit={onSubmit} noValidate>
            <Notice tone="info">{t.welcome(invitation.full_name, roleLabel(invitation.role))}</Notice>
            {invitation.needs_email ? null : <p>{t.account(invitation.email)}</p>}
            <ErrorSummary title={t.errorTitle} error={accept.error} />
            {invitation.needs_email ? (
              <InputField
                label={t.email}
                type="email"
                autoComplete="email"
                value={email}
                error={accept.error?.fieldError("email")}
                onChange={(e) => setEmail(e.target.value)}
              />
            ) : null}
            <InputField
              label={t.password}
              type="password"
              autoComplete="new-password"
              value={password}
              error={accept.error?.fieldError("password")}
              onChange={(e) => setPassword(e.target.value)}
            />
            <InputField
              label={t.confirm}
              type="password"
              autoComplete="new-password"
              value={confirm}
              error={mismatch ? t.mismatch : undefined}
              onChange={(e) => setConfirm(e.target.value)}
            />
            <Button type="submit" variant="primary" block busy={accept.isPending}>
              {accept.isPending ? t.submitting : t.submit}
            </Button>
          </form>
        )}
      </main>
    </div>
  );
}

/**
 * The second step of a login, after a correct password: the code of the user's authenticator
 * application (or a recovery code), or, at the first login of a role that reads patient data,
 * enrolling one (QR code and secret, a first code, then the 10 recovery codes shown once).
 * No session exists until this step succeeds; the server keeps the step for a few minutes.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from "react";

import { api, useApiMutation } from "../api";
import { Button, ErrorSummary, InputField, Loading, Notice } from "../ui";
import { useAuth, type SecondFactorStep } from "./auth";
import { mfaTexts } from "./mfaTexts";
import type { User } from "./roles";
import { shellTexts } from "./texts";

const t = mfaTexts;

function Card({ title, inline = false, children }: { title: string; inline?: boolean; children: ReactNode }) {
  useEffect(() => {
    if (!inline) document.title = shellTexts.documentTitle(title, null);
  }, [title, inline]);
  if (inline)
    return (
      <section aria-label={title}>
        <h2>{title}</h2>
        {children}
      </section>
    );
  return (
    <div className="login-screen">
      <main className="login-card" id="contenu">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

function CodeField({ code, setCode, error }: { code: string; setCode: (value: string) => void; error: string | undefined }) {
  return (
    <InputField
      label={t.code.label}
      hint={t.code.hint}
      error={error}
      name="code"
      autoComplete="one-time-code"
      autoCapitalize="none"
      spellCheck={false}
      value={code}
      onChange={(event) => setCode(event.target.value)}
    />
  );
}

function CodeStep({ onDone, onRestart }: { onDone: (user: User) => void; onRestart: () => void }) {
  const { completeLogin } = useAuth();
  const [code, setCode] = useState("");
  const verify = useApiMutation((value: string) => api.POST("/api/auth/mfa/verify", { body: { code: value } }), {
    onSuccess: ({ user }) => {
      completeLogin(user);
      onDone(user);
    },
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    verify.mutate(code.trim());
  }
  const expired = verify.error?.status === 401;
  return (
    <Card title={t.code.title}>
      <p>{t.code.intro}</p>
      <ErrorSummary title={t.code.errorTitle} error={verify.error} />
      {expired ? null : (
        <form onSubmit={onSubmit} noValidate>
          <CodeField code={code} setCode={setCode} error={verify.error?.fieldError("code")} />
          <Button type="submit" variant="primary" block busy={verify.isPending} disabled={code.trim() === ""}>
            {verify.isPending ? t.code.submitting : t.code.submit}
          </Button>
        </form>
      )}
      <Restart onRestart={onRestart} />
    </Card>
  );
}

function Restart({ onRestart }: { onRestart: () => void }) {
  return (
    <p>
      <Button variant="ghost" onClick={onRestart}>
        {t.code.restart}
      </Button>
    </p>
  );
}

function groupsOf(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

function EnrolmentStep({
  onDone,
  onRestart,
  inline = false,
}: {
  onDone: (user: User) => void;
  onRestart: () => void;
  inline?: boolean;
}) {
  const { completeLogin } = useAuth();
  const [code, setCode] = useState("");
  const start = useApiMutation(() => api.POST("/api/auth/mfa/enrolment"));
  const confirm = useApiMutation((value: string) =>
    api.POST("/api/auth/mfa/enrolment/confirm", { body: { code: value } }),
  );
  const startEnrolment = start.mutate;
  useEffect(() => {
    startEnrolment();
  }, [startEnrolment]);

  if (confirm.data) {
    const { user, recovery_codes } = confirm.data;
    return (
      <Card title={t.recovery.title} inline={inline}>
        <Notice tone="warning">{t.recovery.intro}</Notice>
        <ol className="recovery-codes" aria-label={t.recovery.listLabel}>
          {recovery_codes.map((recovery) => (
            <li key={recovery}>
              <code>{recovery}</code>
            </li>
          ))}
        </ol>
        <Button
          variant="primary"
          block
          onClick={() => {
            completeLogin(user);
            onDone(user);
          }}
        >
          {t.recovery.done}
        </Button>
      </Card>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    confirm.mutate(code.trim());
  }
  const expired = start.error?.status === 401 || confirm.error?.status === 401;
  return (
    <Card title={t.enrolment.title} inline={inline}>
      <p>{t.enrolment.intro}</p>
      <ErrorSummary title={t.enrolment.errorTitle} error={confirm.error ?? start.error} />
      {expired ? null : start.data ? (
        <>
          <p>{t.enrolment.scan}</p>
          <p className="mfa-qr">
            <img src={start.data.qr_code} alt={t.enrolment.qrAlt} width={220} height={220} />
          </p>
          <p>{t.enrolment.manual}</p>
          <p>
            <span className="visually-hidden">{t.enrolment.secretLabel} : </span>
            <code className="mfa-secret" data-secret={start.data.secret}>
              {groupsOf(start.data.secret)}
            </code>
          </p>
          <form onSubmit={onSubmit} noValidate>
            <p>{t.enrolment.confirm}</p>
            <CodeField code={code} setCode={setCode} error={confirm.error?.fieldError("code")} />
            <Button type="submit" variant="primary" block busy={confirm.isPending} disabled={code.trim() === ""}>
              {confirm.isPending ? t.enrolment.submitting : t.enrolment.submit}
            </Button>
          </form>
        </>
      ) : start.isPending ? (
        <Loading label={t.enrolment.loading} />
      ) : null}
      <Restart onRestart={onRestart} />
    </Card>
  );
}

/** Enrolment asked by a logged-in user (roles for which it is optional), inside a page. */
export function OwnEnrolment({ onDone, onCancel }: { onDone: (user: User) => void; onCancel: () => void }) {
  return <EnrolmentStep onDone={onDone} onRestart={onCancel} inline />;
}

export function SecondFactorScreen({
  step,
  onDone,
  onRestart,
}: {
  step: SecondFactorStep;
  onDone: (user: User) => void;
  onRestart: () => void;
}) {
  return step === "totp" ? <CodeStep onDone={onDone} onRestart={onRestart} /> : <EnrolmentStep onDone={onDone} onRestart={onRestart} />;
}

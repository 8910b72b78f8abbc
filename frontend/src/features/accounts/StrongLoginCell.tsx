/**
 * The accounts page's « Connexion forte » cell: whether the account has a second factor (and
 * the coordinator's reset, for a lost phone: audited, its sessions close) and its RPPS (for the
 * Pro Santé Connect login).
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, type Schemas } from "../../api";
import { Button, ErrorSummary, InputField, Modal, Notice } from "../../ui";
import { accountsKeys } from "./queryKeys";
import { strongLoginTexts as t } from "./strongLoginTexts";

type Account = Schemas["AccountOut"];

function ResetDialog({ account, onClose }: { account: Account; onClose: (message: string | null) => void }) {
  const reset = useApiMutation(
    () => api.DELETE("/api/users/{user_id}/mfa", { params: { path: { user_id: account.id } } }),
    { invalidates: [accountsKeys.all], onSuccess: () => onClose(t.resetDone(account.full_name)) },
  );
  return (
    <Modal title={t.confirmTitle} onClose={() => onClose(null)}>
      <p>{t.resetConfirm(account.full_name)}</p>
      <ErrorSummary title={t.errorTitle} error={reset.error} />
      <div className="ac-actions">
        <Button variant="danger" busy={reset.isPending} onClick={() => reset.mutate()}>
          {t.reset}
        </Button>
        <Button onClick={() => onClose(null)}>{t.cancel}</Button>
      </div>
    </Modal>
  );
}

function RppsDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const [rpps, setRpps] = useState(account.rpps ?? "");
  const save = useApiMutation(
    (value: string) =>
      api.PATCH("/api/users/{user_id}", { params: { path: { user_id: account.id } }, body: { rpps: value } }),
    { invalidates: [accountsKeys.all], onSuccess: onClose },
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(rpps.trim());
  }
  return (
    <Modal title={t.rppsTitle(account.full_name)} onClose={onClose}>
      <ErrorSummary title={t.errorTitle} error={save.error} />
      <form onSubmit={onSubmit} noValidate>
        <InputField
          label={t.rppsLabel}
          hint={t.rppsHint}
          error={save.error?.fieldError("rpps")}
          inputMode="numeric"
          value={rpps}
          onChange={(event) => setRpps(event.target.value)}
        />
        <div className="ac-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {save.isPending ? t.saving : t.save}
          </Button>
          <Button onClick={onClose}>{t.cancel}</Button>
        </div>
      </form>
    </Modal>
  );
}

export function StrongLoginCell({ account }: { account: Account }) {
  const [dialog, setDialog] = useState<"reset" | "rpps" | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <span className="ac-actions">
      <span className={account.mfa_enrolled ? "status status-ok" : "status status-off"}>
        {account.mfa_enrolled ? t.enrolled : t.notEnrolled}
      </span>
      {account.mfa_enrolled ? (
        <Button size="small" variant="ghost" aria-label={`${t.reset} : ${account.full_name}`} onClick={() => setDialog("reset")}>
          {t.resetShort}
        </Button>
      ) : null}
      <span>{account.rpps ? `${t.rpps} ${account.rpps}` : t.rppsNone}</span>
      <Button size="small" variant="ghost" aria-label={`${t.rppsEdit} : ${account.full_name}`} onClick={() => setDialog("rpps")}>
        {t.rppsEdit}
      </Button>
      {done ? <Notice tone="success">{done}</Notice> : null}
      {dialog === "reset" ? (
        <ResetDialog
          account={account}
          onClose={(message) => {
            setDialog(null);
            setDone(message);
          }}
        />
      ) : null}
      {dialog === "rpps" ? <RppsDialog account={account} onClose={() => setDialog(null)} /> : null}
    </span>
  );
}

/** ICS: the secret feed of booked appointments, the upload of availability (`IcsImportCard`),
 * the subscription. */
import { useRef, useState, type FormEvent } from "react";

import { api, fieldErrorIn, useApiMutation } from "../../api";
import { Card, Page } from "../../shell/Page";
import { ErrorSummary, Field, InputField, Modal, Notice } from "../../ui";
import { AgendaTabs } from "./AgendaTabs";
import { CaldavCard } from "./CaldavCard";
import { IcsImportCard } from "./IcsImportCard";
import { SiteField, WithMyProfile, type EffectorProfile } from "./me";
import { agendaKeys } from "./queryKeys";
import { agendaTexts } from "./texts";
import { dateTimeAt } from "./time";
import { Actions } from "./ui";
import "./agenda.css";

const t = agendaTexts.calendars;

export function CalendarsPage() {
  return (
    <Page title={t.title} intro={t.intro}>
      <AgendaTabs />
      <WithMyProfile>
        {(me) => (
          <div className="ag-stack">
            <FeedCard me={me} />
            <IcsImportCard me={me} />
            <SubscriptionCard me={me} />
            <CaldavCard me={me} />
          </div>
        )}
      </WithMyProfile>
    </Page>
  );
}

function feedUrl(path: string): string {
  return new URL(path, window.location.origin).toString();
}

function FeedCard({ me }: { me: EffectorProfile }) {
  const [path, setPath] = useState<string | null>(me.ics?.feed_path ?? null);
  const [confirm, setConfirm] = useState<"regenerate" | "revoke" | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const settle = { invalidates: [agendaKeys.me], onMutate: () => setFlash(null), onSettled: () => setConfirm(null) };
  const create = useApiMutation(() => api.POST("/api/agenda/ics/feed-token", { body: { effector_id: me.id } }), {
    ...settle,
    onSuccess: (token) => {
      setPath(token.path);
      setFlash(t.feedCreated);
    },
  });
  const remove = useApiMutation(() => api.DELETE("/api/agenda/ics/feed-token", { params: { query: { effector_id: me.id } } }), {
    ...settle,
    onSuccess: () => {
      setPath(null);
      setFlash(t.feedRevoked);
    },
  });
  const busy = create.isPending || remove.isPending;
  const error = create.error ?? remove.error;
  const regenerate = () => {
    remove.reset();
    create.mutate();
  };
  const revoke = () => {
    create.reset();
    remove.mutate();
  };

  async function copy() {
    if (!path) return;
    const url = feedUrl(path);
    try {
      await navigator.clipboard.writeText(url);
      setFlash(t.feedCopied);
    } catch {
      input.current?.select();
      setFlash(document.execCommand?.("copy") ? t.feedCopied : t.feedCopyFailed);
    }
  }

  return (
    <Card title={t.feedTitle} id="ag-feed">
      <p>{t.feedIntro}</p>
      <ErrorSummary title={t.feedFailed} error={error} />
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      {path ? (
        <>
          <Field label={t.feedLabel} hint={t.feedSecret}>
            {({ id, describedBy }) => (
              <div className="ag-copy">
                <input
                  ref={input}
                  id={id}
                  type="text"
                  readOnly
                  value={feedUrl(path)}
                  className="mono"
                  aria-describedby={describedBy}
                  onFocus={(e) => e.target.select()}
                />
                <button type="button" className="button button-primary" onClick={copy}>
                  {t.feedCopy}
                </button>
              </div>
            )}
          </Field>
          <div className="notice notice-warning">
            <p>{t.feedRegenerateWarning}</p>
          </div>
          <Actions>
            <button type="button" className="button button-secondary" onClick={() => setConfirm("regenerate")} disabled={busy}>
              {t.feedRegenerate}
            </button>
            <button type="button" className="button ag-button-danger" onClick={() => setConfirm("revoke")} disabled={busy}>
              {t.feedRevoke}
            </button>
          </Actions>
        </>
      ) : (
        <>
          <p className="muted">{t.feedNone}</p>
          <Actions>
            <button type="button" className="button button-primary" onClick={regenerate} disabled={busy}>
              {t.feedCreate}
            </button>
          </Actions>
        </>
      )}
      {confirm ? (
        <Modal title={confirm === "regenerate" ? t.feedConfirmRegenerate : t.feedConfirmRevoke} onClose={() => setConfirm(null)}>
          <p>{confirm === "regenerate" ? t.feedRegenerateWarning : t.feedRevokeWarning}</p>
          <Actions>
            <button type="button" className="button ag-button-danger" onClick={confirm === "regenerate" ? regenerate : revoke} disabled={busy}>
              {t.feedConfirm}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirm(null)}>
              {t.feedCancel}
            </button>
          </Actions>
        </Modal>
      ) : null}
    </Card>
  );
}

function SubscriptionCard({ me }: { me: EffectorProfile }) {
  const [ics, setIcs] = useState(me.ics ?? null);
  const [url, setUrl] = useState(me.ics?.subscription_url ?? "");
  const [siteId, setSiteId] = useState<number>(me.ics?.subscription_site_id ?? me.sites[0]?.id ?? 0);
  const [flash, setFlash] = useState<string | null>(null);
  const saved = ics?.subscription_url ?? null;
  const subscription = useApiMutation(
    (value: string | null) =>
      api.PATCH("/api/agenda/effectors/{effector_id}", {
        params: { path: { effector_id: me.id } },
        body: value ? { ics_subscription_url: value, ics_subscription_site_id: siteId || null } : { ics_subscription_url: null },
      }),
    {
      invalidates: [agendaKeys.me, agendaKeys.effectors],
      onMutate: () => setFlash(null),
      onSuccess: (profile, value) => {
        setFlash(value ? t.subscriptionSaved : t.subscriptionRemoved);
        setIcs(profile.ics ?? null);
        setUrl(profile.ics?.subscription_url ?? "");
      },
    },
  );
  const busy = subscription.isPending;
  const errors = subscription.error?.messages ?? [];
  const save = (value: string | null) => subscription.mutate(value);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save(url.trim() || null);
  }

  return (
    <Card title={t.subscriptionTitle} id="ag-subscription">
      <p>{t.subscriptionIntro}</p>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={t.subscriptionFailed} error={subscription.error} />
        {flash ? <Notice tone="success">{flash}</Notice> : null}
        <InputField
          label={t.subscriptionUrl}
          error={fieldErrorIn(errors, "ics_subscription_url")}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://…"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        {me.sites.length > 1 ? (
          <SiteField label={t.subscriptionSite} sites={me.sites} value={siteId} onChange={setSiteId} error={fieldErrorIn(errors, "ics_subscription_site_id")} />
        ) : null}
        {saved ? (
          <p className="card-note">
            {ics?.last_fetched_at ? t.lastFetched(dateTimeAt(ics.last_fetched_at)) : t.neverFetched}
          </p>
        ) : null}
        {saved && ics?.last_error ? (
          <div className="notice notice-warning">
            <p>
              <strong>{t.lastError}</strong> {ics.last_error}
            </p>
          </div>
        ) : null}
        <Actions>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t.subscriptionSaving : t.subscriptionSave}
          </button>
          {saved ? (
            <button type="button" className="button button-secondary" onClick={() => save(null)} disabled={busy}>
              {t.subscriptionRemove}
            </button>
          ) : null}
        </Actions>
      </form>
    </Card>
  );
}

/**
 * Coordinators' « Identité de la CPTS »: name, FINESS, phone and address of the CPTS, the same
 * record as `snp cpts set`. The server checks the FINESS key and the phone.
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { Card, Page } from "../../shell/Page";
import { shellKeys } from "../../shell/queryKeys";
import { Button, ErrorSummary, InputField, Loading, Notice } from "../../ui";
import { accountsKeys } from "./queryKeys";
import { accountsTexts } from "./texts";
import "./accounts.css";

const t = accountsTexts.cpts;
type Identity = Schemas["CptsIn"];

export function CptsIdentityPage() {
  const cpts = useApiQuery(accountsKeys.cpts, (signal) => api.GET("/api/territory/cpts", { signal }));
  const missing = cpts.error?.status === 404;
  return (
    <Page title={t.title} intro={t.intro}>
      {cpts.data || missing ? (
        <IdentityForm
          initial={
            cpts.data
              ? {
                  name: cpts.data.name,
                  finess: cpts.data.finess,
                  phone: cpts.data.phone_display,
                  address: cpts.data.address ?? "",
                }
              : { name: "", finess: "", phone: "", address: "" }
          }
          missing={missing}
        />
      ) : cpts.error ? (
        <ErrorSummary title={t.errorTitle} error={cpts.error} />
      ) : (
        <Loading />
      )}
    </Page>
  );
}

function IdentityForm({ initial, missing }: { initial: Identity; missing: boolean }) {
  const [form, setForm] = useState<Identity>(initial);
  const [saved, setSaved] = useState(false);
  const save = useApiMutation((body: Identity) => api.PUT("/api/territory/cpts", { body }), {
    invalidates: [accountsKeys.cpts, shellKeys.territory],
    onSuccess: () => setSaved(true),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    save.mutate({ ...form, address: form.address?.trim() ? form.address : null });
  }
  const error = save.error;
  return (
    <Card title={t.title} id="cpts-identity">
      {missing && !saved ? <Notice tone="warning">{t.missing}</Notice> : null}
      {saved ? <Notice tone="success">{t.saved}</Notice> : null}
      <form className="ac-form" onSubmit={submit} noValidate>
        <div className="ac-wide">
          <ErrorSummary title={t.errorTitle} error={error} />
        </div>
        <InputField
          label={t.name}
          value={form.name}
          error={error?.fieldError("name")}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <InputField
          label={t.finess}
          hint={t.finessHint}
          value={form.finess}
          inputClassName="mono"
          error={error?.fieldError("finess")}
          onChange={(e) => setForm({ ...form, finess: e.target.value })}
        />
        <InputField
          label={t.phone}
          type="tel"
          value={form.phone}
          error={error?.fieldError("phone")}
          onChange={(e) => setForm({ ...form, phone: e.target.value })}
        />
        <InputField
          label={t.address}
          className="ac-wide"
          value={form.address ?? ""}
          error={error?.fieldError("address")}
          onChange={(e) => setForm({ ...form, address: e.target.value })}
        />
        <div className="ac-wide ac-submit">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {save.isPending ? t.submitting : t.submit}
          </Button>
        </div>
      </form>
    </Card>
  );
}

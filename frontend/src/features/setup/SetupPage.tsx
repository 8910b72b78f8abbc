/**
 * `/installation`: the first start (public, with the setup code from the server's log). The server
 * checks every field with the platform's own rules (FINESS check digit, phone, e-mail, password
 * policy) and closes the setup for good once done.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { LOGIN_PATH } from "../../shell/guards";
import { COORDINATION_PATHS } from "../coordination";
import { Button, ErrorSummary, InputField, Notice } from "../../ui";
import { setupKeys } from "./queryKeys";
import { setupTexts as t } from "./texts";

type SetupForm = Schemas["SetupIn"];
const EMPTY: SetupForm = {
  code: "",
  cpts_name: "",
  finess: "",
  phone: "",
  address: "",
  territory_name: "",
  department: "",
  coordinator_email: "",
  coordinator_name: "",
  coordinator_password: "",
};

export function SetupPage() {
  const queries = useQueryClient();
  const [form, setForm] = useState<SetupForm>(EMPTY);
  const status = useApiQuery(setupKeys.status, (signal) => api.GET("/api/setup", { signal }));
  const setup = useApiMutation(
    () => api.POST("/api/setup", { body: { ...form, address: form.address || null } }),
    { onSuccess: () => queries.setQueryData(setupKeys.status, { open: false }) },
  );
  useEffect(() => {
    document.title = `${t.title} — SNP`;
  }, []);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setup.mutate();
  }
  const error = setup.error;
  const field = (name: keyof SetupForm, label: string, extra: { hint?: string; type?: string; autoComplete?: string } = {}) => (
    <InputField
      label={label}
      hint={extra.hint}
      type={extra.type ?? "text"}
      autoComplete={extra.autoComplete ?? "off"}
      value={form[name] ?? ""}
      error={error?.fieldError(name)}
      onChange={(e) => setForm({ ...form, [name]: e.target.value })}
    />
  );
  return (
    <div className="login-screen">
      <main className="login-card setup-card" id="contenu">
        <h1>{t.title}</h1>
        {setup.data ? (
          <>
            <Notice tone="success">{t.done(setup.data.coordinator_email)}</Notice>
            <p>{t.next}</p>
            {/* The login page goes on to the import page once logged in. */}
            <Link to={LOGIN_PATH} state={{ from: COORDINATION_PATHS.publicData }}>
              {t.importPublicData}
            </Link>
          </>
        ) : status.data && !status.data.open ? (
          <>
            <Notice tone="info">{t.closed}</Notice>
            <Link to={LOGIN_PATH}>{t.login}</Link>
          </>
        ) : (
          <form onSubmit={onSubmit} noValidate>
            <p className="page-intro">{t.intro}</p>
            <ErrorSummary title={t.errorTitle} error={error} />
            {field("code", t.code, { hint: t.codeHint })}
            <fieldset>
              <legend>{t.cptsHeading}</legend>
              {field("cpts_name", t.cptsName)}
              {field("finess", t.finess, { hint: t.finessHint })}
              {field("phone", t.phone, { type: "tel" })}
              {field("address", t.address)}
            </fieldset>
            <fieldset>
              <legend>{t.territoryHeading}</legend>
              {field("territory_name", t.territoryName)}
              {field("department", t.department, { hint: t.departmentHint })}
            </fieldset>
            <fieldset>
              <legend>{t.coordinatorHeading}</legend>
              {field("coordinator_name", t.coordinatorName)}
              {field("coordinator_email", t.coordinatorEmail, { type: "email", autoComplete: "username" })}
              {field("coordinator_password", t.coordinatorPassword, { type: "password", autoComplete: "new-password" })}
            </fieldset>
            <Button type="submit" variant="primary" block busy={setup.isPending}>
              {setup.isPending ? t.submitting : t.submit}
            </Button>
          </form>
        )}
      </main>
    </div>
  );
}

/**
 * Coordinators' « Utilisateurs »: every account with its role, state, last login and linked
 * directory entry; filters; creation (from a directory entry, whose GP account the server links
 * by e-mail); role change, deactivation and reactivation, one-time password link, link and
 * unlink of a GP account. The server applies (and audits) every rule.
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { Card, EmptyState, Page } from "../../shell/Page";
import { roleLabel, ROLE_HOME, type Role } from "../../shell/roles";
import { Button, DataTable, ErrorSummary, Field, InputField, Loaded, Modal, Notice, type Column } from "../../ui";
import { formatWhen } from "../regulation/model";
import { accountsKeys } from "./queryKeys";
import { StrongLoginCell } from "./StrongLoginCell";
import { strongLoginTexts } from "./strongLoginTexts";
import { accountsTexts } from "./texts";
import "./accounts.css";

const t = accountsTexts.accounts;
const ROLES = Object.keys(ROLE_HOME) as Role[];
type Account = Schemas["AccountOut"];
type Link = Schemas["AccountLinkOut"];
type Candidate = Schemas["LinkCandidateOut"];
type ActiveFilter = "" | "true" | "false";

export function AccountsPage() {
  const [role, setRole] = useState<Role | "">("");
  const [active, setActive] = useState<ActiveFilter>("");
  const [search, setSearch] = useState("");
  const accounts = useApiQuery(accountsKeys.list(role, active, search), (signal) =>
    api.GET("/api/users", {
      params: {
        query: {
          limit: 200,
          ...(role ? { role } : {}),
          ...(active ? { active: active === "true" } : {}),
          ...(search.trim() ? { search: search.trim() } : {}),
        },
      },
      signal,
    }),
  );
  const links = useApiQuery(accountsKeys.links, (signal) => api.GET("/api/agenda/account-links", { signal }));
  const [done, setDone] = useState<string | null>(null);

  return (
    <Page title={t.title} intro={t.intro}>
      <CreateAccount onDone={setDone} />
      <BulkInvitation onDone={setDone} />
      {done ? (
        <Notice tone="success" block>
          <p>{done}</p>
        </Notice>
      ) : null}
      <Card
        title={t.caption}
        id="ac-list"
        aside={accounts.data ? <span className="badge" role="status">{t.count(accounts.data.total)}</span> : null}
      >
        <form className="ac-filters" role="search" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
          <Field label={t.role}>
            {(p) => (
              <select id={p.id} value={role} onChange={(e) => setRole(e.target.value as Role | "")}>
                <option value="">{t.anyRole}</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t.status}>
            {(p) => (
              <select id={p.id} value={active} onChange={(e) => setActive(e.target.value as ActiveFilter)}>
                <option value="">{t.anyStatus}</option>
                <option value="true">{t.activeOnly}</option>
                <option value="false">{t.inactiveOnly}</option>
              </select>
            )}
          </Field>
          <InputField label={t.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </form>
        <Loaded query={accounts}>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState>{t.empty}</EmptyState>
            ) : (
              <AccountTable accounts={page.items} links={links.data ?? []} onDone={setDone} />
            )
          }
        </Loaded>
      </Card>
    </Page>
  );
}

function AccountTable({
  accounts,
  links,
  onDone,
}: {
  accounts: readonly Account[];
  links: readonly Link[];
  onDone: (message: string | null) => void;
}) {
  const [resetLink, setResetLink] = useState<Schemas["ResetLinkOut"] | null>(null);
  const [linking, setLinking] = useState<Account | null>(null);
  const linkOf = new Map(links.map((l) => [l.user_id, l]));
  const update = useApiMutation(
    ({ account, patch }: { account: Account; patch: Schemas["UserPatch"] }) =>
      api.PATCH("/api/users/{user_id}", { params: { path: { user_id: account.id } }, body: patch }),
    {
      invalidates: [accountsKeys.all],
      onSuccess: (data, { patch }) => {
        setResetLink(null);
        if (patch.role !== undefined) onDone(t.done.role(data.full_name));
        else onDone(data.active ? t.done.reactivated(data.full_name) : t.done.deactivated(data.full_name));
      },
    },
  );
  const reset = useApiMutation(
    (account: Account) =>
      api.POST("/api/password-reset/users/{user_id}", { params: { path: { user_id: account.id } } }),
    {
      onSuccess: (data) => {
        onDone(null);
        setResetLink(data);
      },
    },
  );
  const unlink = useApiMutation(
    (link: Link) =>
      api.DELETE("/api/agenda/effectors/{effector_id}/account", {
        params: { path: { effector_id: link.effector_id } },
      }),
    { invalidates: [accountsKeys.all], onSuccess: (_, link) => onDone(t.done.unlinked(link.effector_name)) },
  );
  const resend = useApiMutation(
    (account: Account) =>
      api.POST("/api/invitations/users/{user_id}/resend", { params: { path: { user_id: account.id } } }),
    { invalidates: [accountsKeys.all], onSuccess: (data) => onDone(t.done.resent(data.email)) },
  );
  const revoke = useApiMutation(
    (account: Account) =>
      api.POST("/api/invitations/users/{user_id}/revoke", { params: { path: { user_id: account.id } } }),
    { invalidates: [accountsKeys.all], onSuccess: (_, account) => onDone(t.done.revoked(account.email)) },
  );
  const busy = (account: Account, kind: "update" | "reset" | "unlink" | "resend" | "revoke") =>
    kind === "update"
      ? update.isPending && update.variables?.account.id === account.id
      : kind === "reset"
        ? reset.isPending && reset.variables?.id === account.id
        : kind === "resend"
          ? resend.isPending && resend.variables?.id === account.id
          : kind === "revoke"
            ? revoke.isPending && revoke.variables?.id === account.id
            : unlink.isPending && unlink.variables?.user_id === account.id;

  const columns: Column<Account>[] = [
    {
      key: "name",
      header: t.name,
      rowHeader: true,
      cell: (a) => a.full_name,
      sort: (a, b) => a.full_name.localeCompare(b.full_name, "fr"),
    },
    { key: "email", header: t.email, cell: (a) => a.email, sort: (a, b) => a.email.localeCompare(b.email) },
    {
      key: "role",
      header: t.role,
      cell: (a) => (
        <select
          aria-label={t.roleOf(a.full_name)}
          value={a.role}
          disabled={busy(a, "update")}
          onChange={(e) => update.mutate({ account: a, patch: { role: e.target.value as Role } })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      ),
    },
    {
      key: "state",
      header: t.state,
      cell: (a) =>
        a.invitation_expires_at ? (
          <span className="status status-warn">{t.invited(formatWhen(a.invitation_expires_at))}</span>
        ) : (
          <span className={a.active ? "status status-ok" : "status status-off"}>{a.active ? t.active : t.inactive}</span>
        ),
    },
    {
      key: "login",
      header: t.lastLogin,
      cell: (a) => (a.last_login_at ? formatWhen(a.last_login_at) : t.never),
    },
    {
      key: "effector",
      header: t.effector,
      cell: (a) => {
        const link = linkOf.get(a.id);
        if (link)
          return (
            <span className="ac-actions">
              {link.effector_name}
              <Button size="small" variant="ghost" busy={busy(a, "unlink")} onClick={() => unlink.mutate(link)}>
                {t.unlink}
              </Button>
            </span>
          );
        if (a.role !== "effector") return <span className="muted">—</span>;
        return (
          <span className="ac-actions">
            <span className="muted">{t.notLinked}</span>
            <Button size="small" onClick={() => setLinking(a)}>
              {t.link}
            </Button>
          </span>
        );
      },
    },
    { key: "strong", header: strongLoginTexts.header, cell: (a) => <StrongLoginCell account={a} /> },
    {
      key: "actions",
      header: t.actions,
      cell: (a) =>
        a.invitation_expires_at ? (
          <span className="ac-actions">
            <Button size="small" busy={busy(a, "resend")} onClick={() => resend.mutate(a)}>
              {t.resend}
            </Button>
            <Button size="small" variant="danger" busy={busy(a, "revoke")} onClick={() => revoke.mutate(a)}>
              {t.revoke}
            </Button>
          </span>
        ) : (
        <span className="ac-actions">
          <Button
            size="small"
            variant={a.active ? "danger" : "secondary"}
            busy={busy(a, "update")}
            onClick={() => update.mutate({ account: a, patch: { active: !a.active } })}
          >
            {a.active ? t.deactivate : t.reactivate}
          </Button>
          {a.active ? (
            <Button size="small" busy={busy(a, "reset")} onClick={() => reset.mutate(a)}>
              {t.resetLink}
            </Button>
          ) : null}
        </span>
        ),
    },
  ];
  return (
    <>
      <ErrorSummary
        title={t.errorTitle}
        error={update.error ?? reset.error ?? unlink.error ?? resend.error ?? revoke.error}
      />
      {resetLink ? (
        <Notice tone="info" block>
          <p>{t.resetReady(resetLink.email)}</p>
          <p>
            <code className="ac-url">{resetLink.url}</code>
          </p>
        </Notice>
      ) : null}
      <DataTable
        caption={t.caption}
        captionHidden
        columns={columns}
        rows={accounts}
        rowKey={(a) => a.id}
        rowProps={(a) => ({ "data-email": a.email, className: a.active ? "" : "ac-inactive" })}
      />
      {linking ? <LinkDialog account={linking} onClose={() => setLinking(null)} onDone={onDone} /> : null}
    </>
  );
}

function LinkDialog({
  account,
  onClose,
  onDone,
}: {
  account: Account;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const d = accountsTexts.linkDialog;
  const [search, setSearch] = useState("");
  const [chosen, setChosen] = useState("");
  const candidates = useApiQuery(accountsKeys.candidates(search.trim()), (signal) =>
    api.GET("/api/agenda/account-candidates", {
      params: { query: search.trim() ? { q: search.trim() } : {} },
      signal,
    }),
  );
  const link = useApiMutation(
    (effectorId: number) =>
      api.PUT("/api/agenda/effectors/{effector_id}/account", {
        params: { path: { effector_id: effectorId } },
        body: { user_id: account.id },
      }),
    {
      invalidates: [accountsKeys.all],
      onSuccess: (data) => {
        onDone(t.done.linked(account.full_name, data.effector_name));
        onClose();
      },
    },
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen) link.mutate(Number(chosen));
  }
  return (
    <Modal title={d.title(account.full_name)} onClose={onClose}>
      <form onSubmit={submit}>
        <ErrorSummary title={t.errorTitle} error={link.error} />
        <InputField label={d.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Loaded query={candidates}>
          {(list) =>
            list.length === 0 ? (
              <p className="muted">{d.none}</p>
            ) : (
              <CandidateSelect label={d.entry} empty={d.choose} candidates={list} value={chosen} onChange={setChosen} />
            )
          }
        </Loaded>
        <div className="ac-actions ac-submit">
          <Button type="submit" variant="primary" disabled={!chosen} busy={link.isPending}>
            {d.confirm}
          </Button>
          <Button onClick={onClose}>{d.cancel}</Button>
        </div>
      </form>
    </Modal>
  );
}

function CandidateSelect({
  label,
  hint,
  empty,
  candidates,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  empty: string;
  candidates: readonly Candidate[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint}>
      {(p) => (
        <select
          id={p.id}
          aria-describedby={p.describedBy}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">{empty}</option>
          {candidates.map((c) => (
            <option key={c.effector_id} value={String(c.effector_id)}>
              {accountsTexts.create.entry(c.name, c.email)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const EMPTY_FORM = { email: "", full_name: "", role: "effector" as Role, password: "" };

function CreateAccount({ onDone }: { onDone: (message: string | null) => void }) {
  const c = accountsTexts.create;
  const [form, setForm] = useState(EMPTY_FORM);
  const [entry, setEntry] = useState("");
  const candidates = useApiQuery(accountsKeys.candidates(""), (signal) =>
    api.GET("/api/agenda/account-candidates", { signal }),
  );
  const create = useApiMutation(
    (body: Schemas["UserCreate"]) => api.POST("/api/users", { body }),
    {
      invalidates: [accountsKeys.all],
      onSuccess: (account) => {
        const picked = candidates.data?.find((x) => String(x.effector_id) === entry);
        const linked = picked && account.role === "effector" && picked.email?.toLowerCase() === account.email;
        onDone(linked ? c.createdLinked(account.email, picked.name) : c.created(account.email));
        setForm(EMPTY_FORM);
        setEntry("");
      },
    },
  );
  function pick(value: string) {
    setEntry(value);
    const picked = candidates.data?.find((x) => String(x.effector_id) === value);
    if (picked) setForm({ ...form, email: picked.email ?? "", full_name: picked.name, role: "effector" });
  }
  function invited(sms: boolean) {
    onDone(sms ? c.invitedSms(form.full_name) : c.invited(form.email || form.full_name));
    setForm(EMPTY_FORM);
    setEntry("");
  }
  const inviteEntry = useApiMutation(
    (effectorId: number) =>
      api.POST("/api/agenda/effectors/{effector_id}/invitation", { params: { path: { effector_id: effectorId } } }),
    { invalidates: [accountsKeys.all], onSuccess: (data) => invited(data.channel === "sms") },
  );
  const inviteNew = useApiMutation(
    () => api.POST("/api/invitations", { body: { email: form.email, full_name: form.full_name, role: form.role } }),
    { invalidates: [accountsKeys.all], onSuccess: () => invited(false) },
  );
  const inviting = inviteEntry.isPending || inviteNew.isPending;
  function submitInvite() {
    onDone(null);
    create.reset();
    inviteEntry.reset();
    inviteNew.reset();
    if (entry) inviteEntry.mutate(Number(entry));
    else inviteNew.mutate();
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    onDone(null);
    inviteEntry.reset();
    inviteNew.reset();
    create.mutate({
      email: form.email,
      full_name: form.full_name,
      role: form.role,
      ...(form.password ? { password: form.password } : {}),
    });
  }
  const error = create.error ?? inviteEntry.error ?? inviteNew.error;
  return (
    <Card title={c.heading} id="ac-create">
      <form className="ac-form" onSubmit={submit} noValidate>
        <div className="ac-wide">
          <ErrorSummary title={c.errorTitle} error={error} />
        </div>
        {candidates.data && candidates.data.length > 0 ? (
          <div className="ac-wide">
            <CandidateSelect
              label={c.fromDirectory}
              hint={c.fromDirectoryHint}
              empty={c.noEntry}
              candidates={candidates.data}
              value={entry}
              onChange={pick}
            />
          </div>
        ) : null}
        <InputField
          label={c.email}
          type="email"
          autoComplete="off"
          value={form.email}
          error={error?.fieldError("email")}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <InputField
          label={c.fullName}
          value={form.full_name}
          error={error?.fieldError("full_name")}
          onChange={(e) => setForm({ ...form, full_name: e.target.value })}
        />
        <Field label={c.role} error={error?.fieldError("role")}>
          {(p) => (
            <select
              id={p.id}
              aria-describedby={p.describedBy}
              aria-invalid={p.invalid}
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField
          label={c.password}
          hint={c.passwordHint}
          type="password"
          autoComplete="new-password"
          value={form.password}
          error={error?.fieldError("password")}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <div className="ac-wide ac-submit">
          <Button variant="primary" busy={inviting} onClick={submitInvite}>
            {inviting ? c.inviting : c.invite}
          </Button>
          <Button type="submit" busy={create.isPending}>
            {create.isPending ? c.submitting : c.submit}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** Every directory entry with an e-mail and no account, invited at once (after an import). */
function BulkInvitation({ onDone }: { onDone: (message: string | null) => void }) {
  const b = accountsTexts.bulk;
  const preview = useApiQuery(accountsKeys.bulk, (signal) => api.GET("/api/agenda/invitations/bulk", { signal }));
  const invite = useApiMutation(() => api.POST("/api/agenda/invitations/bulk"), {
    invalidates: [accountsKeys.all],
    onSuccess: (data) => onDone(b.done(data.invited)),
  });
  const count = preview.data?.count ?? 0;
  return (
    <Card title={b.heading} id="ac-bulk">
      <ErrorSummary title={b.errorTitle} error={invite.error} />
      {invite.data && invite.data.refused.length > 0 ? (
        <Notice tone="warning" block>
          <p>{b.refused}</p>
          <ul>
            {invite.data.refused.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <p role="status">{b.preview(count)}</p>
      <Button variant="primary" disabled={count === 0} busy={invite.isPending} onClick={() => invite.mutate()}>
        {b.submit(count)}
      </Button>
    </Card>
  );
}

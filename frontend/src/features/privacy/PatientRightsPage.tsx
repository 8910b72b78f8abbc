/**
 * Coordinators' « Droits des patients »: find one person (name and birth date, or phone), choose
 * the requests that are theirs, then export everything about them (a readable document and the
 * JSON data), correct their identity (even once closed) or erase them where the law allows.
 * Every call carries a reason, which the server keeps in the audit trail.
 */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, type Schemas } from "../../api";
import { Card, Page } from "../../shell/Page";
import { formatDateTime } from "../../shell/format";
import { Button, DataTable, ErrorSummary, InputField, Modal, Notice, SelectField, type Column } from "../../ui";
import { frenchDate, initialSelection } from "./selection";
import { privacyTexts } from "./texts";
import "./privacy.css";

const t = privacyTexts;
type Match = Schemas["RequestMatch"];
type SearchIn = Schemas["PersonSearchIn"];
type SearchOut = Schemas["PersonSearchOut"];
type PersonIn = Schemas["PersonIn"];

interface SearchForm {
  family_name: string;
  given_name: string;
  birth_date: string;
  phone: string;
  reason: string;
}

const EMPTY: SearchForm = { family_name: "", given_name: "", birth_date: "", phone: "", reason: "" };

function searchBody(form: SearchForm): SearchIn {
  const body: SearchIn = { reason: form.reason };
  if (form.family_name.trim()) body.family_name = form.family_name;
  if (form.given_name.trim()) body.given_name = form.given_name;
  if (form.birth_date) body.birth_date = form.birth_date;
  if (form.phone.trim()) body.phone = form.phone;
  return body;
}

function download(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function PatientRightsPage() {
  const [form, setForm] = useState<SearchForm>(EMPTY);
  const [found, setFound] = useState<SearchOut | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const [severalPeople, setSeveralPeople] = useState(false);
  const [withPhone, setWithPhone] = useState(true);
  const [editing, setEditing] = useState<Match | null>(null);
  const [erasing, setErasing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [kept, setKept] = useState<readonly string[]>([]);

  const search = useApiMutation((body: SearchIn) => api.POST("/api/rights/search", { body }), {
    onSuccess: (result) => {
      const selection = initialSelection(result.requests);
      setFound(result);
      setChosen(selection.ids);
      setSeveralPeople(selection.severalPeople);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    setKept([]);
    search.mutate(searchBody(form));
  }

  const person: PersonIn = {
    request_ids: [...chosen].sort((a, b) => a - b),
    reason: form.reason,
    ...(found?.phone && withPhone ? { phone: found.phone } : {}),
  };

  const exportJson = useApiMutation((body: PersonIn) => api.POST("/api/rights/export", { body }), {
    onSuccess: (records) => {
      download(`droit-acces-${today()}.json`, JSON.stringify(records, null, 2), "application/json");
      setNotice(t.actions.exported);
    },
  });
  const exportDocument = useApiMutation(
    (body: PersonIn) => api.POST("/api/rights/document", { body, parseAs: "text" }),
    {
      onSuccess: (html) => {
        download(`droit-acces-${today()}.html`, String(html), "text/html");
        setNotice(t.actions.exported);
      },
    },
  );
  const actionError = exportJson.error ?? exportDocument.error;

  function toggle(id: number) {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  }

  const columns: Column<Match>[] = [
    {
      key: "chosen",
      header: t.results.chosen,
      cell: (r) => (
        <input type="checkbox" checked={chosen.has(r.id)} onChange={() => toggle(r.id)} aria-label={t.results.select(r.id)} />
      ),
    },
    { key: "id", header: t.results.number, rowHeader: true, cell: (r) => r.id },
    { key: "received", header: t.results.received, cell: (r) => formatDateTime(r.received_at) },
    { key: "name", header: t.results.name, cell: (r) => `${r.family_name} ${r.given_name}` },
    { key: "birth", header: t.results.birthDate, cell: (r) => frenchDate(r.birth_date) },
    { key: "phone", header: t.results.phone, cell: (r) => <span className="mono">{r.phone}</span> },
    { key: "status", header: t.results.status, cell: (r) => t.status[r.status] ?? r.status },
    { key: "erasure", header: t.results.erasure, cell: (r) => r.erase_refusal ?? t.results.erasable },
    {
      key: "actions",
      header: t.results.actions,
      cell: (r) => (
        <Button size="small" onClick={() => setEditing(r)} aria-label={t.results.correctLabel(r.id)}>
          {t.results.correct}
        </Button>
      ),
    },
  ];

  const nothingChosen = person.request_ids?.length === 0 && !person.phone;
  return (
    <Page title={t.title} intro={t.intro}>
      <Card title={t.search.title} id="rights-search">
        <p>{t.search.help}</p>
        <form className="pr-form" onSubmit={submit} noValidate>
          <div className="pr-wide">
            <ErrorSummary title={t.search.errorTitle} error={search.error} />
          </div>
          <InputField
            label={t.search.familyName}
            value={form.family_name}
            autoComplete="off"
            error={search.error?.fieldError("family_name")}
            onChange={(e) => setForm({ ...form, family_name: e.target.value })}
          />
          <InputField
            label={t.search.givenName}
            value={form.given_name}
            autoComplete="off"
            error={search.error?.fieldError("given_name")}
            onChange={(e) => setForm({ ...form, given_name: e.target.value })}
          />
          <InputField
            label={t.search.birthDate}
            type="date"
            value={form.birth_date}
            error={search.error?.fieldError("birth_date")}
            onChange={(e) => setForm({ ...form, birth_date: e.target.value })}
          />
          <InputField
            label={t.search.phone}
            type="tel"
            value={form.phone}
            autoComplete="off"
            error={search.error?.fieldError("phone")}
            onChange={(e) => setForm({ ...form, phone: e.target.value })}
          />
          <InputField
            label={t.search.reason}
            hint={t.search.reasonHint}
            className="pr-wide"
            value={form.reason}
            error={search.error?.fieldError("reason")}
            onChange={(e) => setForm({ ...form, reason: e.target.value })}
          />
          <div className="pr-wide">
            <Button type="submit" variant="primary" busy={search.isPending}>
              {search.isPending ? t.search.submitting : t.search.submit}
            </Button>
          </div>
        </form>
      </Card>

      {found ? (
        <Card title={t.results.title} id="rights-results">
          {notice ? <Notice tone="success">{notice}</Notice> : null}
          {kept.length > 0 ? (
            <div className="pr-kept">
              <p>{t.erase.kept}</p>
              <ul>
                {kept.map((k) => (
                  <li key={k}>{k}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {severalPeople ? <Notice tone="warning">{t.results.severalPeople}</Notice> : null}
          {found.requests.length === 0 ? (
            <p>{t.results.none}</p>
          ) : (
            <DataTable caption={t.results.caption} columns={columns} rows={found.requests} rowKey={(r) => r.id} rowProps={(r) => ({ "data-request": r.id })} />
          )}
          {found.phone ? (
            <div className="pr-phone">
              <p>{t.results.phoneSms(found.received_sms)}</p>
              <p>{t.results.phoneCalls(found.calls ?? 0)}</p>
              {found.opted_out ? <p>{t.results.optedOut}</p> : null}
              <label>
                <input type="checkbox" checked={withPhone} onChange={(e) => setWithPhone(e.target.checked)} /> {t.results.includePhone}
              </label>
            </div>
          ) : null}
          <h3>{t.actions.title}</h3>
          <p>{t.actions.selection(chosen.size)}</p>
          <ErrorSummary title={t.actions.errorTitle} error={actionError} />
          <div className="pr-actions">
            <Button variant="primary" disabled={nothingChosen} busy={exportDocument.isPending} onClick={() => exportDocument.mutate(person)}>
              {exportDocument.isPending ? t.actions.exporting : t.actions.exportDocument}
            </Button>
            <Button disabled={nothingChosen} busy={exportJson.isPending} onClick={() => exportJson.mutate(person)}>
              {exportJson.isPending ? t.actions.exporting : t.actions.exportJson}
            </Button>
            <Button variant="danger" disabled={nothingChosen} onClick={() => setErasing(true)}>
              {t.actions.erase}
            </Button>
          </div>
        </Card>
      ) : null}

      {editing ? (
        <CorrectDialog
          match={editing}
          initialReason={form.reason}
          onClose={() => setEditing(null)}
          onSaved={(updated) => {
            setFound((current) =>
              current ? { ...current, requests: current.requests.map((r) => (r.id === updated.id ? updated : r)) } : current,
            );
            setEditing(null);
            setNotice(t.correct.saved(updated.id));
          }}
        />
      ) : null}
      {erasing ? (
        <EraseDialog
          person={person}
          onClose={() => setErasing(false)}
          onErased={(result) => {
            setErasing(false);
            setNotice(t.erase.done(result.erased_request_ids.length, result.sms_erased, result.calls_erased ?? 0));
            setKept(result.kept);
            search.mutate(searchBody(form), {
              onSuccess: () => {
                setNotice(t.erase.done(result.erased_request_ids.length, result.sms_erased, result.calls_erased ?? 0));
                setKept(result.kept);
              },
            });
          }}
        />
      ) : null}
    </Page>
  );
}

type Correction = Omit<Schemas["RectifyIn"], "reason">;

function CorrectDialog({
  match,
  initialReason,
  onClose,
  onSaved,
}: {
  match: Match;
  initialReason: string;
  onClose: () => void;
  onSaved: (updated: Match) => void;
}) {
  const initial = {
    family_name: match.family_name,
    given_name: match.given_name,
    birth_date: match.birth_date,
    sex: match.sex,
    phone: match.phone,
    address_line: match.address_line ?? "",
  };
  const [values, setValues] = useState(initial);
  const [reason, setReason] = useState(initialReason);
  const [unchanged, setUnchanged] = useState(false);
  const save = useApiMutation(
    (body: Schemas["RectifyIn"]) =>
      api.PATCH("/api/rights/requests/{request_id}", { params: { path: { request_id: match.id } }, body }),
    { onSuccess: onSaved },
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes: Correction = {};
    for (const key of Object.keys(initial) as (keyof typeof initial)[]) {
      if (values[key] !== initial[key]) Object.assign(changes, { [key]: values[key] });
    }
    setUnchanged(Object.keys(changes).length === 0);
    if (Object.keys(changes).length === 0) return;
    save.mutate({ ...changes, reason });
  }

  const error = save.error;
  const text = (key: keyof typeof initial, label: string, type = "text") => (
    <InputField
      label={label}
      type={type}
      value={values[key]}
      error={error?.fieldError(key)}
      onChange={(e) => setValues({ ...values, [key]: e.target.value })}
    />
  );
  return (
    <Modal title={t.correct.title(match.id)} onClose={onClose} wide>
      <p>{t.correct.intro}</p>
      <form className="pr-form" onSubmit={submit} noValidate>
        <div className="pr-wide">
          <ErrorSummary title={t.correct.errorTitle} error={error} />
          {unchanged ? <Notice tone="info">{t.correct.nothing}</Notice> : null}
        </div>
        {text("family_name", t.correct.familyName)}
        {text("given_name", t.correct.givenName)}
        {text("birth_date", t.correct.birthDate, "date")}
        <SelectField
          label={t.correct.sex}
          value={values.sex}
          choices={Object.keys(t.correct.sexes)}
          labelOf={(sex) => t.correct.sexes[sex] ?? sex}
          error={error?.fieldError("sex")}
          onChange={(sex) => setValues({ ...values, sex })}
        />
        {text("phone", t.correct.phone, "tel")}
        {text("address_line", t.correct.address)}
        <InputField
          label={t.correct.reason}
          hint={t.search.reasonHint}
          className="pr-wide"
          value={reason}
          error={error?.fieldError("reason")}
          onChange={(e) => setReason(e.target.value)}
        />
        <div className="pr-wide pr-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {save.isPending ? t.correct.submitting : t.correct.submit}
          </Button>
          <Button onClick={onClose}>{t.correct.cancel}</Button>
        </div>
      </form>
    </Modal>
  );
}

function EraseDialog({
  person,
  onClose,
  onErased,
}: {
  person: PersonIn;
  onClose: () => void;
  onErased: (result: Schemas["ErasedOut"]) => void;
}) {
  const [reason, setReason] = useState(person.reason);
  const erase = useApiMutation((body: PersonIn) => api.POST("/api/rights/erase", { body }), { onSuccess: onErased });
  function submit(event: FormEvent) {
    event.preventDefault();
    erase.mutate({ ...person, reason });
  }
  return (
    <Modal title={t.erase.title} onClose={onClose}>
      <p>{t.erase.intro}</p>
      <form onSubmit={submit} noValidate>
        <ErrorSummary title={t.erase.errorTitle} error={erase.error} />
        <InputField
          label={t.erase.reason}
          hint={t.search.reasonHint}
          value={reason}
          error={erase.error?.fieldError("reason")}
          onChange={(e) => setReason(e.target.value)}
        />
        <div className="pr-actions">
          <Button type="submit" variant="danger" busy={erase.isPending}>
            {erase.isPending ? t.erase.submitting : t.erase.submit}
          </Button>
          <Button onClick={onClose}>{t.erase.cancel}</Button>
        </div>
      </form>
    </Modal>
  );
}

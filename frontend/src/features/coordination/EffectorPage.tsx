/** One effector of the directory: identity, sites (added, edited, removed), calendars, and the edit form (deactivate too). */
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";

import { api, fieldErrorIn, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { Card, EmptyState, Page } from "../../shell/Page";
import { Button, ErrorSummary, Field, InputField, Loaded, Notice } from "../../ui";
import { Actions, agendaKeys, dateTimeAt } from "../agenda";
import { effectorName } from "./DirectoryPage";
import { COORDINATION_PATHS } from "./paths";
import { coordinationKeys } from "./queryKeys";
import { SitesCard } from "./SitesCard";
import { coordinationTexts } from "./texts";
import "./coordination.css";

type Profile = Schemas["EffectorProfile"];
type Patch = Schemas["EffectorPatch"];

const t = coordinationTexts.effector;

export function EffectorPage() {
  const { effectorId } = useParams();
  const id = Number(effectorId);
  const effector = useApiQuery(agendaKeys.effector(id), (signal) =>
    api.GET("/api/agenda/effectors/{effector_id}", { params: { path: { effector_id: id } }, signal }),
  );
  const profile = effector.data ?? null;
  const unknown = !profile && (effector.error?.status === 404 || effector.error?.status === 422);
  const title = profile ? `${profile.given_name} ${profile.family_name}` : coordinationTexts.directory.title;

  return (
    <Page title={title}>
      <p>
        <Link to={COORDINATION_PATHS.directory}>← {t.back}</Link>
      </p>
      {unknown ? (
        <EmptyState>{t.notFound}</EmptyState>
      ) : (
        <Loaded query={effector}>
          {(loaded) => (
            <div className="co-profile">
              <div className="co-profile-side">
                <IdentityCard profile={loaded} />
                <CalendarsCard profile={loaded} />
              </div>
              <EditCard key={loaded.id} profile={loaded} />
              <SitesCard profile={loaded} />
            </div>
          )}
        </Loaded>
      )}
    </Page>
  );
}

function IdentityCard({ profile }: { profile: Profile }) {
  return (
    <Card
      title={t.identity}
      id="co-identity"
      aside={
        <span className={profile.active ? "status status-ok" : "status status-off"}>
          {profile.active ? coordinationTexts.directory.active : coordinationTexts.directory.inactive}
        </span>
      }
    >
      <p className="cpts-name">{effectorName(profile)}</p>
      <dl className="facts">
        <div>
          <dt>{t.nationalId(profile.national_id_kind)}</dt>
          <dd className="mono">{profile.rpps}</dd>
        </div>
        <div>
          <dt>{t.profession}</dt>
          <dd>{profile.profession}</dd>
        </div>
        <div>
          <dt>{t.specialty}</dt>
          <dd>
            <span className="mono">{profile.specialty_code}</span>
            {profile.specialty_text ? <span className="cell-sub">{profile.specialty_text}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t.account}</dt>
          <dd>{profile.has_account ? t.accountYes : t.accountNo}</dd>
        </div>
      </dl>
      {profile.active ? <InviteEffector profile={profile} /> : null}
    </Card>
  );
}

/** Invite the GP: an account linked to this entry and a one-time link (e-mail, else SMS). */
function InviteEffector({ profile }: { profile: Profile }) {
  const invite = useApiMutation(
    () =>
      api.POST("/api/agenda/effectors/{effector_id}/invitation", {
        params: { path: { effector_id: profile.id } },
      }),
    { invalidates: [agendaKeys.effector(profile.id)] },
  );
  return (
    <div className="co-invite">
      <ErrorSummary title={t.inviteError} error={invite.error} />
      {invite.data ? (
        <Notice tone="success">{invite.data.channel === "sms" ? t.invitedSms : t.invitedEmail}</Notice>
      ) : null}
      <Button busy={invite.isPending} onClick={() => invite.mutate()}>
        {profile.has_account ? t.reinvite : t.invite}
      </Button>
    </div>
  );
}

function CalendarsCard({ profile }: { profile: Profile }) {
  const ics = profile.ics;
  return (
    <Card title={t.calendars} id="co-calendars">
      <dl className="ag-details">
        <div>
          <dt>{t.subscription}</dt>
          <dd className="co-break">
            {ics?.subscription_url ?? t.subscriptionNone}
            {ics?.subscription_url && ics.last_fetched_at ? (
              <span className="cell-sub">{dateTimeAt(ics.last_fetched_at)}</span>
            ) : null}
          </dd>
        </div>
        {ics?.last_error ? (
          <div>
            <dt>{t.lastError}</dt>
            <dd>{ics.last_error}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t.feed}</dt>
          <dd>{ics?.feed_path ? t.feedActive : t.feedNone}</dd>
        </div>
      </dl>
    </Card>
  );
}

interface FormState {
  family_name: string;
  given_name: string;
  specialty_code: string;
  specialty_text: string;
  phone: string;
  email: string;
  minAge: string;
  minAgeUnit: "years" | "months";
  home_visits: boolean;
  radius: string;
  teleconsultation: boolean;
  active: boolean;
}

function formOf(p: Profile): FormState {
  const months = p.min_patient_age_months;
  const inYears = months !== null && months !== undefined && months % 12 === 0;
  return {
    family_name: p.family_name,
    given_name: p.given_name,
    specialty_code: p.specialty_code,
    specialty_text: p.specialty_text ?? "",
    phone: p.phone_display,
    email: p.email ?? "",
    minAge: months === null || months === undefined ? "" : String(inYears ? months / 12 : months),
    minAgeUnit: inYears || months === null || months === undefined ? "years" : "months",
    home_visits: p.home_visits,
    radius: p.home_visit_radius_km === null || p.home_visit_radius_km === undefined ? "" : String(p.home_visit_radius_km),
    teleconsultation: p.teleconsultation,
    active: p.active,
  };
}

/** The fields that differ from the saved profile (PATCH sends only those). */
function patchOf(p: Profile, f: FormState): Patch {
  const patch: Patch = {};
  const text = (v: string) => v.trim();
  if (text(f.family_name) !== p.family_name) patch.family_name = text(f.family_name);
  if (text(f.given_name) !== p.given_name) patch.given_name = text(f.given_name);
  if (text(f.specialty_code).toUpperCase() !== p.specialty_code) patch.specialty_code = text(f.specialty_code);
  if ((text(f.specialty_text) || null) !== (p.specialty_text ?? null)) patch.specialty_text = text(f.specialty_text) || null;
  if (text(f.phone) !== p.phone_display && text(f.phone) !== p.phone) patch.phone = text(f.phone);
  if ((text(f.email) || null) !== (p.email ?? null)) patch.email = text(f.email) || null;
  const age = f.minAge.trim() === "" ? null : Math.round(Number(f.minAge) * (f.minAgeUnit === "years" ? 12 : 1));
  if (age !== (p.min_patient_age_months ?? null)) patch.min_patient_age_months = age;
  if (f.home_visits !== p.home_visits) patch.home_visits = f.home_visits;
  const radius = f.radius.trim() === "" ? null : Number(f.radius.replace(",", "."));
  if (radius !== (p.home_visit_radius_km ?? null)) patch.home_visit_radius_km = radius;
  if (f.teleconsultation !== p.teleconsultation) patch.teleconsultation = f.teleconsultation;
  if (f.active !== p.active) patch.active = f.active;
  return patch;
}

function EditCard({ profile }: { profile: Profile }) {
  const [form, setForm] = useState<FormState>(() => formOf(profile));
  const [flash, setFlash] = useState<string | null>(null);
  const save = useApiMutation(
    (patch: Patch) => api.PATCH("/api/agenda/effectors/{effector_id}", { params: { path: { effector_id: profile.id } }, body: patch }),
    {
      // The profile on this page and every list of effectors (directory, coordination home, map).
      invalidates: [agendaKeys.effectors, coordinationKeys.all],
      onSuccess: (saved) => {
        setForm(formOf(saved));
        setFlash(t.saved);
      },
    },
  );
  const busy = save.isPending;
  const errors = save.error?.fieldErrors ?? [];

  function set<K extends keyof FormState>(key: K, value: FormState[K]) {
    setForm((f) => ({ ...f, [key]: value }));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFlash(null);
    const patch = patchOf(profile, form);
    if (Object.keys(patch).length === 0) {
      save.reset();
      setFlash(t.nothingChanged);
      return;
    }
    save.mutate(patch);
  }

  return (
    <Card title={t.edit} id="co-edit">
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={t.errorTitle} error={save.error} />
        {flash ? <Notice tone="success">{flash}</Notice> : null}
        <div className="ag-row">
          <InputField
            label={t.familyName}
            error={fieldErrorIn(errors, "family_name")}
            type="text"
            autoComplete="off"
            value={form.family_name}
            onChange={(e) => set("family_name", e.target.value)}
          />
          <InputField
            label={t.givenName}
            error={fieldErrorIn(errors, "given_name")}
            type="text"
            autoComplete="off"
            value={form.given_name}
            onChange={(e) => set("given_name", e.target.value)}
          />
        </div>
        <div className="ag-row">
          <InputField
            label={t.specialtyCode}
            hint={t.specialtyCodeHint}
            error={fieldErrorIn(errors, "specialty_code")}
            type="text"
            inputClassName="mono"
            value={form.specialty_code}
            onChange={(e) => set("specialty_code", e.target.value)}
          />
          <InputField
            label={t.specialtyText}
            error={fieldErrorIn(errors, "specialty_text")}
            className="ag-grow"
            type="text"
            value={form.specialty_text}
            onChange={(e) => set("specialty_text", e.target.value)}
          />
        </div>
        <div className="ag-row">
          <InputField
            label={t.phoneField}
            hint={t.phoneHint}
            error={fieldErrorIn(errors, "phone")}
            type="tel"
            autoComplete="off"
            value={form.phone}
            onChange={(e) => set("phone", e.target.value)}
          />
          <InputField
            label={t.email}
            error={fieldErrorIn(errors, "email")}
            className="ag-grow"
            type="email"
            autoComplete="off"
            value={form.email}
            onChange={(e) => set("email", e.target.value)}
          />
        </div>

        <fieldset className="ag-fieldset co-group">
          <legend>{t.constraints}</legend>
          <div className="ag-row">
            <InputField
              label={t.minAge}
              hint={t.minAgeHint}
              error={fieldErrorIn(errors, "min_patient_age_months")}
              className="ag-grow"
              type="number"
              inputMode="numeric"
              min={0}
              value={form.minAge}
              onChange={(e) => set("minAge", e.target.value)}
            />
            <Field label={t.unit}>
              {({ id }) => (
                <select id={id} value={form.minAgeUnit} onChange={(e) => set("minAgeUnit", e.target.value === "months" ? "months" : "years")}>
                  <option value="years">{t.years}</option>
                  <option value="months">{t.months}</option>
                </select>
              )}
            </Field>
          </div>
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={form.home_visits} onChange={(e) => set("home_visits", e.target.checked)} />
              {t.homeVisits}
            </label>
          </div>
          {form.home_visits ? (
            <InputField
              label={t.radius}
              error={fieldErrorIn(errors, "home_visit_radius_km")}
              type="number"
              inputMode="decimal"
              min={1}
              max={200}
              inputClassName="co-narrow"
              value={form.radius}
              onChange={(e) => set("radius", e.target.value)}
            />
          ) : null}
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={form.teleconsultation} onChange={(e) => set("teleconsultation", e.target.checked)} />
              {t.teleconsultation}
            </label>
          </div>
        </fieldset>

        <fieldset className="ag-fieldset co-group">
          <legend>{t.activity}</legend>
          <div className={`field${form.active ? "" : " co-off"}`}>
            <label className="checkbox">
              <input type="checkbox" checked={form.active} onChange={(e) => set("active", e.target.checked)} aria-describedby="co-active-hint" />
              {t.activeField}
            </label>
            <p className="field-hint" id="co-active-hint">
              {t.activeHint}
            </p>
            {fieldErrorIn(errors, "active") ? <p className="field-error">{fieldErrorIn(errors, "active")}</p> : null}
          </div>
        </fieldset>

        <Actions>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t.saving : t.save}
          </button>
        </Actions>
      </form>
    </Card>
  );
}

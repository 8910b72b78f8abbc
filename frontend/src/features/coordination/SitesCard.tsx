/** An effector's consultation sites on their page: add, edit and remove (the coordination). */
import { useState, type FormEvent } from "react";

import { api, fieldErrorIn, useApiMutation, type Schemas } from "../../api";
import { useTerritoryQuery } from "../../shell/territory";
import { Card, EmptyState } from "../../shell/Page";
import { Button, ErrorSummary, InputField, Modal, Notice, SelectField } from "../../ui";
import { Actions, agendaKeys } from "../agenda";
import { coordinationKeys } from "./queryKeys";
import { publicDataTexts } from "./publicDataTexts";
import { coordinationTexts } from "./texts";

type Profile = Schemas["EffectorProfile"];
type Site = Schemas["SiteProfile"];
type SiteIn = Schemas["SiteIn"];
type SitePatch = Schemas["SitePatch"];

const t = coordinationTexts.effector;
const s = coordinationTexts.sites;
// The profile on this page and every list of effectors (directory, coordination home, map).
const INVALIDATES = [agendaKeys.effectors, coordinationKeys.all];

type Dialog = { kind: "add" } | { kind: "edit"; site: Site } | { kind: "remove"; site: Site } | null;

export function SitesCard({ profile }: { profile: Profile }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const close = () => setDialog(null);
  const done = (message: string) => {
    setDialog(null);
    setFlash(message);
  };

  return (
    <Card
      title={t.sites}
      id="co-sites"
      aside={
        <Button
          variant="primary"
          size="small"
          onClick={() => {
            setFlash(null);
            setDialog({ kind: "add" });
          }}
        >
          {s.add}
        </Button>
      }
    >
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      {profile.sites.length === 0 ? (
        <EmptyState>{t.noSites}</EmptyState>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="co-sites-caption">
          <table>
            <caption id="co-sites-caption" className="visually-hidden">
              {t.sitesTable}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.siteName}</th>
                <th scope="col">{t.address}</th>
                <th scope="col">{t.insee}</th>
                <th scope="col">{t.structure}</th>
                <th scope="col">{t.sitePhone}</th>
                <th scope="col">
                  <span className="visually-hidden">{s.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {profile.sites.map((site) => (
                <tr key={site.id}>
                  <th scope="row">{site.name}</th>
                  <td>
                    {site.address_line}
                    <span className="cell-sub">
                      {site.postal_code} {site.city}
                      {site.position_approximate ? ` · ${publicDataTexts.approximate}` : ""}
                    </span>
                  </td>
                  <td className="mono">{site.insee_code}</td>
                  <td className="mono">{site.structure_id ?? "—"}</td>
                  <td className="nowrap">{site.phone ? <a href={`tel:${site.phone}`}>{frenchPhone(site.phone)}</a> : "—"}</td>
                  <td className="nowrap">
                    <Button
                      size="small"
                      aria-label={s.editOf(site.name)}
                      onClick={() => {
                        setFlash(null);
                        setDialog({ kind: "edit", site });
                      }}
                    >
                      {s.edit}
                    </Button>{" "}
                    <Button
                      size="small"
                      variant="danger"
                      aria-label={s.removeOf(site.name)}
                      onClick={() => {
                        setFlash(null);
                        setDialog({ kind: "remove", site });
                      }}
                    >
                      {s.remove}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === "add" ? (
        <Modal title={s.addTitle} onClose={close}>
          <SiteForm effectorId={profile.id} site={null} onDone={() => done(s.added)} onCancel={close} />
        </Modal>
      ) : null}
      {dialog?.kind === "edit" ? (
        <Modal title={s.editTitle(dialog.site.name)} onClose={close}>
          <SiteForm effectorId={profile.id} site={dialog.site} onDone={() => done(s.saved)} onCancel={close} />
        </Modal>
      ) : null}
      {dialog?.kind === "remove" ? (
        <Modal title={s.removeTitle(dialog.site.name)} onClose={close}>
          <RemoveSite effectorId={profile.id} site={dialog.site} onDone={() => done(s.removed)} onCancel={close} />
        </Modal>
      ) : null}
    </Card>
  );
}

/** "+33299711868" -> "02 99 71 18 68" (French numbers only; others as stored). */
export function frenchPhone(e164: string): string {
  const match = /^\+33(\d{9})$/.exec(e164);
  return match ? `0${match[1]}`.replace(/(\d{2})(?=\d)/g, "$1 ") : e164;
}

interface SiteFormState {
  name: string;
  address_line: string;
  insee_code: string;
  postal_code: string;
  phone: string;
  latitude: string;
  longitude: string;
}

function formOf(site: Site | null): SiteFormState {
  // An approximate position is the commune's centre: the form shows no coordinates then.
  const exact = site !== null && !site.position_approximate;
  return {
    name: site?.name ?? "",
    address_line: site?.address_line ?? "",
    insee_code: site?.insee_code ?? "",
    postal_code: site?.postal_code ?? "",
    phone: site?.phone ? frenchPhone(site.phone) : "",
    latitude: exact ? String(site.latitude) : "",
    longitude: exact ? String(site.longitude) : "",
  };
}

/** "47,65" or "47.65" -> 47.65; empty -> null; not a number -> NaN (the server names the field). */
function coordinate(value: string): number | null {
  const text = value.trim().replace(",", ".");
  return text === "" ? null : Number(text);
}

function newSite(f: SiteFormState): SiteIn {
  const body: SiteIn = { name: f.name.trim(), address_line: f.address_line.trim(), insee_code: f.insee_code };
  if (f.postal_code.trim()) body.postal_code = f.postal_code.trim();
  if (f.phone.trim()) body.phone = f.phone.trim();
  const latitude = coordinate(f.latitude);
  const longitude = coordinate(f.longitude);
  if (latitude !== null) body.latitude = latitude;
  if (longitude !== null) body.longitude = longitude;
  return body;
}

/** The fields that differ from the saved site (PATCH sends only those). */
function patchOf(site: Site, f: SiteFormState): SitePatch {
  const before = formOf(site);
  const patch: SitePatch = {};
  if (f.name.trim() !== before.name) patch.name = f.name.trim();
  if (f.address_line.trim() !== before.address_line) patch.address_line = f.address_line.trim();
  if (f.insee_code !== before.insee_code) patch.insee_code = f.insee_code;
  if (f.postal_code.trim() !== before.postal_code) patch.postal_code = f.postal_code.trim() || null;
  if (f.phone.trim() !== before.phone) patch.phone = f.phone.trim() || null;
  if (f.latitude.trim() !== before.latitude || f.longitude.trim() !== before.longitude) {
    patch.latitude = coordinate(f.latitude);
    patch.longitude = coordinate(f.longitude);
  }
  return patch;
}

function SiteForm({
  effectorId,
  site,
  onDone,
  onCancel,
}: {
  effectorId: number;
  site: Site | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<SiteFormState>(() => formOf(site));
  const [unchanged, setUnchanged] = useState(false);
  const communes = useTerritoryQuery().data?.communes ?? [];
  const byCode = new Map(communes.map((c) => [c.insee_code, c]));
  const path = { effector_id: effectorId };
  const save = useApiMutation(
    (f: SiteFormState) =>
      site === null
        ? api.POST("/api/agenda/effectors/{effector_id}/sites", { params: { path }, body: newSite(f) })
        : api.PATCH("/api/agenda/effectors/{effector_id}/sites/{site_id}", {
            params: { path: { ...path, site_id: site.id } },
            body: patchOf(site, f),
          }),
    { invalidates: INVALIDATES, onSuccess: onDone },
  );
  const errors = save.error?.fieldErrors ?? [];
  const busy = save.isPending;

  function set<K extends keyof SiteFormState>(key: K, value: SiteFormState[K]) {
    setForm((f) => ({ ...f, [key]: value }));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setUnchanged(false);
    if (site !== null && Object.keys(patchOf(site, form)).length === 0) {
      setUnchanged(true);
      return;
    }
    save.mutate(form);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
      <ErrorSummary title={s.errorTitle} error={save.error} labels={s.labels} />
      {unchanged ? <Notice tone="info">{t.nothingChanged}</Notice> : null}
      <InputField
        label={s.labels.name}
        error={fieldErrorIn(errors, "name")}
        type="text"
        autoComplete="off"
        required
        value={form.name}
        onChange={(e) => set("name", e.target.value)}
      />
      <InputField
        label={s.labels.address_line}
        error={fieldErrorIn(errors, "address_line")}
        type="text"
        autoComplete="off"
        value={form.address_line}
        onChange={(e) => set("address_line", e.target.value)}
      />
      <div className="ag-row">
        <SelectField
          label={s.labels.insee_code}
          hint={communes.length === 0 ? s.noCommunes : undefined}
          error={fieldErrorIn(errors, "insee_code")}
          className="ag-grow"
          value={form.insee_code}
          choices={communes.map((c) => c.insee_code)}
          labelOf={(code) => {
            const commune = byCode.get(code);
            return commune ? `${commune.name} (${commune.postal_code}, INSEE ${code})` : code;
          }}
          placeholder={s.chooseCommune}
          onChange={(code) => setForm((f) => ({ ...f, insee_code: code, postal_code: byCode.get(code)?.postal_code ?? "" }))}
        />
        <InputField
          label={s.labels.postal_code}
          error={fieldErrorIn(errors, "postal_code")}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          inputClassName="co-narrow"
          value={form.postal_code}
          onChange={(e) => set("postal_code", e.target.value)}
        />
      </div>
      <InputField
        label={s.labels.phone}
        hint={s.phoneHint}
        error={fieldErrorIn(errors, "phone")}
        type="tel"
        autoComplete="off"
        value={form.phone}
        onChange={(e) => set("phone", e.target.value)}
      />
      <fieldset className="ag-fieldset co-group">
        <legend>{s.position}</legend>
        <p className="field-hint">{s.positionHint}</p>
        <div className="ag-row">
          <InputField
            label={s.labels.latitude}
            error={fieldErrorIn(errors, "latitude")}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={form.latitude}
            onChange={(e) => set("latitude", e.target.value)}
          />
          <InputField
            label={s.labels.longitude}
            error={fieldErrorIn(errors, "longitude")}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={form.longitude}
            onChange={(e) => set("longitude", e.target.value)}
          />
        </div>
      </fieldset>
      <Actions>
        <Button type="submit" variant="primary" busy={busy}>
          {busy ? t.saving : site === null ? s.addSubmit : s.editSubmit}
        </Button>
        <Button onClick={onCancel}>{s.cancel}</Button>
      </Actions>
    </form>
  );
}

function RemoveSite({
  effectorId,
  site,
  onDone,
  onCancel,
}: {
  effectorId: number;
  site: Site;
  onDone: () => void;
  onCancel: () => void;
}) {
  const remove = useApiMutation(
    () =>
      api.DELETE("/api/agenda/effectors/{effector_id}/sites/{site_id}", {
        params: { path: { effector_id: effectorId, site_id: site.id } },
      }),
    { invalidates: INVALIDATES, onSuccess: onDone },
  );
  return (
    <div className="ag-form">
      <ErrorSummary title={s.removeRefused} error={remove.error} />
      <p>{s.removeConfirm(site.name)}</p>
      <Actions>
        <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate()}>
          {remove.isPending ? s.removing : s.removeSubmit}
        </Button>
        <Button onClick={onCancel}>{s.cancel}</Button>
      </Actions>
    </div>
  );
}

/** The logged-in effector's own profile (`GET /api/agenda/me`): id, sites, calendar links. */
import type { ReactNode } from "react";

import { api, useApiQuery, type Schemas } from "../../api";
import { Field, Loaded } from "../../ui";
import { agendaKeys } from "./queryKeys";
import { agendaTexts } from "./texts";

export type EffectorProfile = Schemas["EffectorProfile"];
export type Site = Schemas["SiteProfile"];

/** Renders its children with the profile, or says the account is linked to no effector. */
export function WithMyProfile({ children }: { children: (me: EffectorProfile) => ReactNode }) {
  const me = useApiQuery(agendaKeys.me, (signal) => api.GET("/api/agenda/me", { signal }));
  if (!me.data && me.error?.status === 404) {
    const t = agendaTexts.notLinked;
    return (
      <div className="notice notice-warning" role="status">
        <p>
          <strong>{t.title}.</strong> {t.body}
        </p>
      </div>
    );
  }
  return (
    <Loaded query={me}>{children}</Loaded>
  );
}

export function siteLabel(site: Pick<Site, "name" | "city">): string {
  return agendaTexts.common.siteLabel(site.name, site.city);
}

/** The site's label by id, or an empty string. */
export function siteName(sites: readonly Site[], id: number | null | undefined): string {
  const site = sites.find((s) => s.id === id);
  return site ? siteLabel(site) : "";
}

/** Choosing one of the effector's consultation sites. */
export function SiteField({
  label,
  sites,
  value,
  onChange,
  error,
  className,
}: {
  label: string;
  sites: readonly Site[];
  value: number;
  onChange: (siteId: number) => void;
  error?: string | undefined;
  className?: string;
}) {
  return (
    <Field label={label} error={error} {...(className ? { className } : {})}>
      {({ id, describedBy, invalid }) => (
        <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))} aria-describedby={describedBy} aria-invalid={invalid}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {siteLabel(s)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

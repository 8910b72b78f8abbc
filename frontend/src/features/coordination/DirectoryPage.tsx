/** The directory of effectors: search, pages of results, links to each profile and to the import. */
import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";

import { api, useApiQuery, type Schemas } from "../../api";
import { Card, EmptyState, Page } from "../../shell/Page";
import { Loaded } from "../../ui";
import { agendaKeys } from "../agenda";
import { publicDataTexts } from "./publicDataTexts";
import { COORDINATION_PATHS, effectorPath } from "./paths";
import { coordinationTexts } from "./texts";
import "./coordination.css";

type Effector = Schemas["EffectorOut"];

const t = coordinationTexts.directory;

export function effectorName(e: Pick<Effector, "given_name" | "family_name">): string {
  return `${e.family_name.toLocaleUpperCase("fr-FR")} ${e.given_name}`.trim();
}

export function DirectoryPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q")?.trim() || null;
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [draft, setDraft] = useState(q ?? "");

  useEffect(() => setDraft(q ?? ""), [q]);

  const effectors = useApiQuery(agendaKeys.effectorList("directory", q, page), (signal) =>
    api.GET("/api/agenda/effectors", {
      params: { query: { ...(q ? { q } : {}), limit: t.pageSize, offset: (page - 1) * t.pageSize } },
      signal,
    }),
  );

  function go(next: { q?: string | null; page?: number }) {
    const query = new URLSearchParams();
    const nextQ = next.q === undefined ? q : next.q;
    const nextPage = next.page ?? 1;
    if (nextQ) query.set("q", nextQ);
    if (nextPage > 1) query.set("page", String(nextPage));
    setParams(query);
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    go({ q: draft.trim() || null });
  }

  return (
    <Page title={t.title} intro={t.intro}>
      <div className="co-toolbar">
        <form className="co-search" role="search" onSubmit={onSearch}>
          <label htmlFor="co-q" className="visually-hidden">
            {t.searchLabel}
          </label>
          <input
            id="co-q"
            type="search"
            placeholder={t.searchLabel}
            value={draft}
            maxLength={100}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="button button-primary">
            {t.searchSubmit}
          </button>
          {q ? (
            <button type="button" className="button button-secondary" onClick={() => go({ q: null })}>
              {t.searchClear}
            </button>
          ) : null}
        </form>
        <div className="co-links">
          <Link className="button button-secondary" to={COORDINATION_PATHS.import}>
            {t.import}
          </Link>
          <Link className="button button-secondary" to={COORDINATION_PATHS.publicData}>
            {publicDataTexts.link}
          </Link>
          <Link className="button button-secondary" to={COORDINATION_PATHS.map}>
            {t.map}
          </Link>
        </div>
      </div>
      <Card
        title={t.table}
        id="co-directory"
        aside={effectors.data ? <span className="badge" role="status">{t.results(effectors.data.total, q)}</span> : null}
      >
        <Loaded query={effectors}>
          {({ items, total }) => {
            const pages = Math.max(1, Math.ceil(total / t.pageSize));
            if (items.length === 0)
              return <EmptyState>{q ? t.noMatch(q) : page > 1 ? t.noMatch("") : t.empty}</EmptyState>;
            return (
              <>
                <div className="table-scroll co-table" tabIndex={0} role="region" aria-labelledby="co-directory-caption">
                  <table>
                    <caption id="co-directory-caption" className="visually-hidden">
                      {t.table}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t.name}</th>
                        <th scope="col">{t.rpps}</th>
                        <th scope="col">{t.specialty}</th>
                        <th scope="col">{t.phone}</th>
                        <th scope="col">{t.sites}</th>
                        <th scope="col">{t.status}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((e) => (
                        <tr key={e.id} className={e.active ? undefined : "co-inactive"}>
                          <th scope="row">
                            <Link to={effectorPath(e.id)}>{effectorName(e)}</Link>
                          </th>
                          <td className="mono">{e.rpps}</td>
                          <td className="mono">{e.specialty_code}</td>
                          <td className="nowrap">
                            <a href={`tel:${e.phone}`}>{e.phone_display}</a>
                          </td>
                          <td>
                            {e.sites.length === 0
                              ? "—"
                              : e.sites.map((s) => (
                                  <span key={s.id} className="co-site">
                                    {s.name}
                                    <span className="cell-sub">
                                      {s.postal_code} {s.city}
                                    </span>
                                  </span>
                                ))}
                          </td>
                          <td>
                            <span className={e.active ? "status status-ok" : "status status-off"}>{e.active ? t.active : t.inactive}</span>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {pages > 1 ? (
                  <nav className="co-pagination" aria-label={t.pagination}>
                    <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
                      {t.previous}
                    </button>
                    <span aria-live="polite">{t.page(page, pages)}</span>
                    <button type="button" className="button button-secondary" disabled={page >= pages} onClick={() => go({ page: page + 1 })}>
                      {t.next}
                    </button>
                  </nav>
                ) : null}
              </>
            );
          }}
        </Loaded>
      </Card>
    </Page>
  );
}

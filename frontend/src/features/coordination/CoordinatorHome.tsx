/** Coordinator home: the CPTS territory, the directory of effectors and the latest access log. */
import { Link } from "react-router";

import { api, type Schemas } from "../../api/client";
import { formatDateTime, formatNumber } from "../../shell/format";
import { roleLabel } from "../../shell/roles";
import { Card, EmptyState, Loaded, Page } from "../../shell/Page";
import { useTerritory } from "../../shell/territory";
import { useApiQuery } from "../../shell/useApi";
import { effectorPath, COORDINATION_PATHS } from "./paths";
import { coordinationTexts as t } from "./texts";
import { UNREPORTED_PATH } from "./paths";
import { agendaTexts } from "../agenda/texts";
import { INDICATORS_PATHS } from "../indicators/paths";
import { indicatorsTexts } from "../indicators/texts";
import { NOTIFICATIONS_PATHS } from "../notifications/paths";
import { notificationsTexts } from "../notifications/texts";
import "../agenda/agenda.css";
import "./coordination.css";

type Effector = Schemas["EffectorOut"];
type AuditEntry = Schemas["AuditEntryOut"];

export function CoordinatorHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <div className="card-grid">
        <TerritoryCard />
        <EffectorsCard />
        <AuditCard />
      </div>
    </Page>
  );
}

function TerritoryCard() {
  const { state, reload } = useTerritory();
  const tt = t.territory;
  return (
    <Card title={tt.title} id="carte-territoire">
      {state.status === "error" && state.httpStatus === 404 ? (
        <EmptyState>{tt.noTerritory}</EmptyState>
      ) : (
        <Loaded state={state} onRetry={reload}>
          {({ cpts, communes }) => (
            <>
              <p className="cpts-name">{cpts.name}</p>
              <dl className="facts">
                <div>
                  <dt>{tt.finess}</dt>
                  <dd className="mono">{cpts.finess}</dd>
                </div>
                <div>
                  <dt>{tt.phone}</dt>
                  <dd>
                    <a href={`tel:${cpts.phone}`}>{cpts.phone_display}</a>
                  </dd>
                </div>
                <div>
                  <dt>{tt.communesCount}</dt>
                  <dd>{formatNumber(communes.length)}</dd>
                </div>
              </dl>
              {communes.length === 0 ? (
                <EmptyState>{tt.noCommunes}</EmptyState>
              ) : (
                <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="table-communes">
                  <table>
                    <caption id="table-communes">{tt.communesTable}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{tt.commune}</th>
                        <th scope="col">{tt.postalCode}</th>
                        <th scope="col">{tt.inseeCode}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {communes.map((c) => (
                        <tr key={c.insee_code}>
                          <th scope="row">{c.name}</th>
                          <td className="mono">{c.postal_code}</td>
                          <td className="mono">{c.insee_code}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </Loaded>
      )}
    </Card>
  );
}

function effectorName(e: Effector): string {
  return `${e.given_name} ${e.family_name}`.trim();
}

function EffectorsCard() {
  const te = t.effectors;
  const { state, reload } = useApiQuery(
    (signal) => api.GET("/api/agenda/effectors", { params: { query: { limit: t.limit, offset: 0 } }, signal }),
    [],
  );
  return (
    <Card
      title={te.title}
      id="carte-effecteurs"
      aside={
        state.status === "ok" ? (
          <span className="badge">{te.total(formatNumber(state.data.total), state.data.total)}</span>
        ) : null
      }
    >
      <p className="co-card-links">
        <Link className="button button-primary ag-small" to={COORDINATION_PATHS.directory}>
          {t.links.directory}
        </Link>
        <Link className="button button-secondary ag-small" to={COORDINATION_PATHS.import}>
          {t.links.import}
        </Link>
        <Link className="button button-secondary ag-small" to={COORDINATION_PATHS.map}>
          {t.links.map}
        </Link>
        <Link className="button button-secondary ag-small" to={UNREPORTED_PATH}>
          {agendaTexts.consultations.coordinatorLink}
        </Link>
        <Link className="button button-secondary ag-small" to={INDICATORS_PATHS.dashboard}>
          {indicatorsTexts.homeLink}
        </Link>
        <Link className="button button-secondary ag-small" to={NOTIFICATIONS_PATHS.demo}>
          {notificationsTexts.demo.link}
        </Link>
      </p>
      <Loaded state={state} onRetry={reload}>
        {({ items, total }) =>
          items.length === 0 ? (
            <EmptyState>{te.empty}</EmptyState>
          ) : (
            <>
              {total > items.length ? <p className="card-note">{te.showing(items.length, formatNumber(total))}</p> : null}
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="table-effecteurs">
                <table>
                  <caption id="table-effecteurs" className="visually-hidden">
                    {te.table}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{te.name}</th>
                      <th scope="col">{te.rpps}</th>
                      <th scope="col">{te.commune}</th>
                      <th scope="col">{te.status}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((e) => (
                      <tr key={e.id}>
                        <th scope="row">
                          <Link to={effectorPath(e.id)}>{effectorName(e)}</Link>
                        </th>
                        <td className="mono">{e.rpps}</td>
                        <td>{e.sites[0]?.city ?? te.noSite}</td>
                        <td>
                          <span className={e.active ? "status status-ok" : "status status-off"}>
                            {e.active ? te.active : te.inactive}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Loaded>
    </Card>
  );
}

function actionLabel(action: string): string {
  return t.audit.actions[action] ?? action;
}

function entityLabel(entity: string): string {
  return t.audit.entities[entity] ?? entity;
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const ta = t.audit;
  return (
    <tr>
      <td className="nowrap">
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </td>
      <td>
        {entry.actor_email || ta.unknownActor}
        {entry.actor_role ? <span className="cell-sub">{roleLabel(entry.actor_role)}</span> : null}
      </td>
      <td>
        {actionLabel(entry.action)}
        {entry.detail ? <span className="cell-sub">{entry.detail}</span> : null}
      </td>
      <td>
        {entityLabel(entry.entity)}
        {entry.entity_id ? <span className="muted"> n° {entry.entity_id}</span> : null}
      </td>
      <td className="mono">{entry.ip ?? "—"}</td>
    </tr>
  );
}

function AuditCard() {
  const ta = t.audit;
  const { state, reload } = useApiQuery(
    (signal) => api.GET("/api/audit", { params: { query: { limit: t.limit, offset: 0 } }, signal }),
    [],
  );
  return (
    <Card title={ta.title} id="carte-journal">
      <Loaded state={state} onRetry={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <EmptyState>{ta.empty}</EmptyState>
          ) : (
            <>
              <p className="card-note">{ta.latest(items.length)}</p>
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="table-journal">
                <table>
                  <caption id="table-journal" className="visually-hidden">
                    {ta.table}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{ta.at}</th>
                      <th scope="col">{ta.actor}</th>
                      <th scope="col">{ta.action}</th>
                      <th scope="col">{ta.entity}</th>
                      <th scope="col">{ta.ip}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((entry) => (
                      <AuditRow key={entry.id} entry={entry} />
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Loaded>
    </Card>
  );
}

/** Coordinator home: the CPTS territory, the directory of effectors and the latest access log. */
import { Link } from "react-router";

import { api, useApiQuery, type Schemas } from "../../api";
import { formatDateTime, formatNumber } from "../../shell/format";
import { roleLabel } from "../../shell/roles";
import { Card, EmptyState, Page } from "../../shell/Page";
import { useTerritoryQuery } from "../../shell/territory";
import { DataTable, Loaded, type Column } from "../../ui";
import { agendaKeys, agendaTexts } from "../agenda";
import { INDICATORS_PATHS, indicatorsTexts } from "../indicators";
import { NOTIFICATIONS_PATHS, notificationsTexts } from "../notifications";
import { COORDINATION_PATHS, effectorPath, UNREPORTED_PATH } from "./paths";
import { coordinationKeys } from "./queryKeys";
import { coordinationTexts as t } from "./texts";
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
  const territory = useTerritoryQuery();
  const tt = t.territory;
  return (
    <Card title={tt.title} id="carte-territoire">
      {!territory.data && territory.error?.status === 404 ? (
        <EmptyState>{tt.noTerritory}</EmptyState>
      ) : (
        <Loaded query={territory}>
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

const EFFECTOR_COLUMNS: readonly Column<Effector>[] = [
  {
    key: "name",
    header: t.effectors.name,
    rowHeader: true,
    cell: (e) => <Link to={effectorPath(e.id)}>{effectorName(e)}</Link>,
  },
  { key: "rpps", header: t.effectors.rpps, className: "mono", cell: (e) => e.rpps },
  { key: "commune", header: t.effectors.commune, cell: (e) => e.sites[0]?.city ?? t.effectors.noSite },
  {
    key: "status",
    header: t.effectors.status,
    cell: (e) => (
      <span className={e.active ? "status status-ok" : "status status-off"}>{e.active ? t.effectors.active : t.effectors.inactive}</span>
    ),
  },
];

function EffectorsCard() {
  const te = t.effectors;
  const effectors = useApiQuery(agendaKeys.effectorList("home", t.limit), (signal) =>
    api.GET("/api/agenda/effectors", { params: { query: { limit: t.limit, offset: 0 } }, signal }),
  );
  return (
    <Card
      title={te.title}
      id="carte-effecteurs"
      aside={
        effectors.data ? (
          <span className="badge">{te.total(formatNumber(effectors.data.total), effectors.data.total)}</span>
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
      <Loaded query={effectors}>
        {({ items, total }) =>
          items.length === 0 ? (
            <EmptyState>{te.empty}</EmptyState>
          ) : (
            <>
              {total > items.length ? <p className="card-note">{te.showing(items.length, formatNumber(total))}</p> : null}
              <DataTable caption={te.table} captionHidden columns={EFFECTOR_COLUMNS} rows={items} rowKey={(e) => e.id} />
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

const AUDIT_COLUMNS: readonly Column<AuditEntry>[] = [
  {
    key: "at",
    header: t.audit.at,
    className: "nowrap",
    cell: (entry) => <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>,
  },
  {
    key: "actor",
    header: t.audit.actor,
    cell: (entry) => (
      <>
        {entry.actor_email || t.audit.unknownActor}
        {entry.actor_role ? <span className="cell-sub">{roleLabel(entry.actor_role)}</span> : null}
      </>
    ),
  },
  {
    key: "action",
    header: t.audit.action,
    cell: (entry) => (
      <>
        {actionLabel(entry.action)}
        {entry.detail ? <span className="cell-sub">{entry.detail}</span> : null}
      </>
    ),
  },
  {
    key: "entity",
    header: t.audit.entity,
    cell: (entry) => (
      <>
        {entityLabel(entry.entity)}
        {entry.entity_id ? <span className="muted"> n° {entry.entity_id}</span> : null}
      </>
    ),
  },
  { key: "ip", header: t.audit.ip, className: "mono", cell: (entry) => entry.ip ?? "—" },
];

function AuditCard() {
  const ta = t.audit;
  const audit = useApiQuery(coordinationKeys.audit(t.limit), (signal) =>
    api.GET("/api/audit", { params: { query: { limit: t.limit, offset: 0 } }, signal }),
  );
  return (
    <Card title={ta.title} id="carte-journal">
      <Loaded query={audit}>
        {({ items }) =>
          items.length === 0 ? (
            <EmptyState>{ta.empty}</EmptyState>
          ) : (
            <>
              <p className="card-note">{ta.latest(items.length)}</p>
              <DataTable caption={ta.table} captionHidden columns={AUDIT_COLUMNS} rows={items} rowKey={(entry) => entry.id} />
            </>
          )
        }
      </Loaded>
    </Card>
  );
}

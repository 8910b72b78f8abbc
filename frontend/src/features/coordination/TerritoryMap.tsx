/**
 * The Leaflet map of the territory (loaded on demand): communes and consultation sites as vector
 * circles (no marker images). The OpenStreetMap tile layer is a bonus: when tiles cannot load
 * (no network, blocked), the failed tiles stay invisible and the map stays readable on its plain
 * background.
 */
import { useMemo } from "react";
import { CircleMarker, MapContainer, Pane, Popup, TileLayer, Tooltip } from "react-leaflet";
import type { LatLngBoundsExpression } from "leaflet";
import "leaflet/dist/leaflet.css";
import { Link } from "react-router";

import type { Schemas } from "../../api";
import { Card, EmptyState } from "../../shell/Page";
import { agendaTexts, paris, shortDateTime } from "../agenda";
import { effectorName } from "./DirectoryPage";
import type { MapData, SitePoint } from "./MapPage";
import { effectorPath } from "./paths";
import { publicDataTexts } from "./publicDataTexts";
import { coordinationTexts } from "./texts";

type Commune = Schemas["CommuneOut"];

const t = coordinationTexts.map;

const POPUP_SLOTS = 5;
const TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';

function radiusOf(count: number): number {
  return count === 0 ? 7 : Math.min(18, 9 + Math.sqrt(count) * 2.2);
}

export default function TerritoryMap({ data, communes, onRefresh }: { data: MapData; communes: readonly Commune[]; onRefresh: () => void }) {
  const { points } = data;
  const withFree = points.filter((p) => p.slots.length > 0);
  const slotCount = withFree.reduce((n, p) => n + p.slots.length, 0);

  const bounds = useMemo<LatLngBoundsExpression | null>(() => {
    const coords: [number, number][] = [
      ...communes.map((c): [number, number] => [c.latitude, c.longitude]),
      ...points.map((p): [number, number] => [p.site.latitude, p.site.longitude]),
    ];
    if (coords.length === 0) return null;
    const lats = coords.map((c) => c[0]);
    const lons = coords.map((c) => c[1]);
    return [
      [Math.min(...lats), Math.min(...lons)],
      [Math.max(...lats), Math.max(...lons)],
    ];
  }, [communes, points]);

  // Sites without free slots first, so that the green ones are drawn on top.
  const ordered = [...points].sort((a, b) => a.slots.length - b.slots.length);

  return (
    <>
      <Card
        title={t.region}
        id="co-map-title"
        aside={
          <button type="button" className="button button-secondary ag-small" onClick={onRefresh}>
            {t.refresh}
          </button>
        }
      >
        <p className="co-map-summary" data-testid="map-summary">
          {t.summary(points.length, withFree.length, slotCount)}{" "}
          <span className="muted">{t.updated(paris(data.loadedAt).toFormat("HH:mm"))}</span>
        </p>
        {data.truncated ? <p className="notice notice-warning">{t.truncated}</p> : null}
        <div className="co-map-frame">
          {bounds ? (
            <MapContainer
              className="co-map"
              bounds={bounds}
              boundsOptions={{ padding: [36, 36], maxZoom: 13 }}
              scrollWheelZoom={false}
              aria-label={t.region}
            >
              <TileLayer url={TILE_URL} attribution={TILE_ATTRIBUTION} maxZoom={18} />
              {/* Commune names under the sites' circles (the tooltip pane would be above them). */}
              <Pane name="co-commune-labels" style={{ zIndex: 390 }} />
              {communes.map((c) => (
                <CircleMarker
                  key={c.insee_code}
                  center={[c.latitude, c.longitude]}
                  radius={4}
                  className="co-commune-marker"
                  pathOptions={{ color: "#4f5d6b", weight: 1.5, fillColor: "#ffffff", fillOpacity: 1 }}
                  interactive={false}
                >
                  <Tooltip permanent direction="bottom" offset={[0, 12]} className="co-commune-label" pane="co-commune-labels">
                    {c.name}
                  </Tooltip>
                </CircleMarker>
              ))}
              {ordered.map((p) => (
                <CircleMarker
                  key={p.site.id}
                  center={[p.site.latitude, p.site.longitude]}
                  radius={radiusOf(p.slots.length)}
                  className={p.slots.length > 0 ? "co-site-marker co-site-free" : "co-site-marker co-site-none"}
                  pathOptions={{
                    color: "#ffffff",
                    weight: 2,
                    fillColor: p.slots.length > 0 ? "#17803f" : "#7b8794",
                    fillOpacity: p.slots.length > 0 ? 0.92 : 0.8,
                  }}
                >
                  <Tooltip direction="top" offset={[0, -6]}>
                    {effectorName(p.effector)} — {t.freeCount(p.slots.length)}
                  </Tooltip>
                  <Popup>
                    <SitePopup point={p} />
                  </Popup>
                </CircleMarker>
              ))}
            </MapContainer>
          ) : (
            <EmptyState>{coordinationTexts.territory.noCommunes}</EmptyState>
          )}
        </div>
        <ul className="co-map-legend" aria-label={t.legend}>
          <li>
            <span className="co-dot co-dot-free" aria-hidden="true" />
            {t.legendFree}
          </li>
          <li>
            <span className="co-dot co-dot-none" aria-hidden="true" />
            {t.legendNone}
          </li>
          <li>
            <span className="co-dot co-dot-commune" aria-hidden="true" />
            {t.legendCommune}
          </li>
        </ul>
        <p className="card-note">{t.tilesNote}</p>
      </Card>
      <FreeTable points={withFree} />
    </>
  );
}

function SitePopup({ point }: { point: SitePoint }) {
  const { effector, site, slots } = point;
  const shown = slots.slice(0, POPUP_SLOTS);
  return (
    <div className="co-popup">
      <p className="co-popup-name">
        <Link to={effectorPath(effector.id)}>{effectorName(effector)}</Link>
      </p>
      <p>
        {site.name}
        <br />
        {site.address_line}, {site.postal_code} {site.city}
        {site.position_approximate ? (
          <>
            <br />
            <em title={publicDataTexts.approximateTitle}>{publicDataTexts.approximate}</em>
          </>
        ) : null}
      </p>
      <p>
        <a href={`tel:${effector.phone}`}>{effector.phone_display}</a>
      </p>
      <p className={slots.length > 0 ? "co-popup-count co-popup-free" : "co-popup-count"}>{t.freeCount(slots.length)}</p>
      {shown.length > 0 ? (
        <>
          <p className="co-popup-next">{t.next}</p>
          <ul>
            {shown.map((s) => (
              <li key={s.id}>
                {shortDateTime(s.start_at)} <span className="muted">({s.kinds.map((k) => agendaTexts.kinds[k]).join(", ")})</span>
              </li>
            ))}
            {slots.length > shown.length ? <li className="muted">{t.more(slots.length - shown.length)}</li> : null}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function FreeTable({ points }: { points: SitePoint[] }) {
  const sorted = [...points].sort((a, b) => (a.slots[0]?.start_at ?? "").localeCompare(b.slots[0]?.start_at ?? ""));
  return (
    <Card title={t.tableTitle} id="co-free-title">
      {sorted.length === 0 ? (
        <EmptyState>{t.noFree}</EmptyState>
      ) : (
        <div className="table-scroll co-table" tabIndex={0} role="region" aria-labelledby="co-free-caption">
          <table>
            <caption id="co-free-caption" className="visually-hidden">
              {t.table}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.tableEffector}</th>
                <th scope="col">{t.tableSite}</th>
                <th scope="col">{t.tableCount}</th>
                <th scope="col">{t.tableNext}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((p) => (
                <tr key={p.site.id}>
                  <th scope="row">
                    <Link to={effectorPath(p.effector.id)}>{effectorName(p.effector)}</Link>
                  </th>
                  <td>
                    {p.site.name}
                    <span className="cell-sub">
                      {p.site.postal_code} {p.site.city}
                      {p.site.position_approximate ? ` · ${publicDataTexts.approximate}` : ""}
                    </span>
                  </td>
                  <td className="co-num">{p.slots.length}</td>
                  <td className="nowrap">{p.slots[0] ? shortDateTime(p.slots[0].start_at) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

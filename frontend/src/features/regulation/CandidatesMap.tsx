/**
 * The candidates on a map (Leaflet, no tiles: works offline): the patient, the territory's
 * communes for bearings, and each candidate's practice numbered by its rank. Loaded lazily.
 */
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useMemo } from "react";
import { CircleMarker, MapContainer, Marker, Tooltip } from "react-leaflet";

import type { Schemas } from "../../api";
import { useTerritoryQuery } from "../../shell/territory";
import type { Candidate } from "./Candidates";
import { regulationTexts } from "./texts";

const tc = regulationTexts.candidates;

function rankIcon(rank: number, selected: boolean, late: boolean): L.DivIcon {
  return L.divIcon({
    className: `map-rank${selected ? " map-rank-selected" : ""}${late ? " map-rank-late" : ""}`,
    html: `<span>${rank}</span>`,
    iconSize: [28, 28],
    iconAnchor: [14, 14],
  });
}

const PATIENT_ICON = L.divIcon({
  className: "map-patient",
  html: `<span>${tc.mapPatientShort}</span>`,
  iconSize: [58, 22],
  iconAnchor: [29, 11],
});

export default function CandidatesMap({
  place,
  items,
  selected,
  onSelect,
}: {
  place: Schemas["PatientPlace"] | null;
  items: readonly Candidate[];
  selected: number | null;
  onSelect: (slotId: number) => void;
}) {
  const territory = useTerritoryQuery();
  const communes = territory.data ? territory.data.communes : [];
  // One marker per practice: the best-ranked candidate there.
  const sites = useMemo(() => {
    const bySite = new Map<number, Candidate>();
    for (const c of items) if (!bySite.has(c.site.id) && c.kind !== "VR") bySite.set(c.site.id, c);
    return [...bySite.values()];
  }, [items]);
  const points: [number, number][] = [
    ...sites.map((c) => [c.site.latitude, c.site.longitude] as [number, number]),
    ...(place ? [[place.latitude, place.longitude] as [number, number]] : []),
  ];
  if (points.length === 0) return null;
  const bounds = L.latLngBounds(points).pad(0.25);

  return (
    <figure className="candidates-map">
      <MapContainer
        bounds={bounds}
        className="candidates-map-canvas"
        scrollWheelZoom={false}
        attributionControl={false}
        aria-label={tc.mapLabel}
      >
        {communes.map((c) => (
          <CircleMarker
            key={c.insee_code}
            center={[c.latitude, c.longitude]}
            radius={3}
            pathOptions={{ color: "#8795a3", weight: 1, fillOpacity: 0.6 }}
          >
            <Tooltip direction="bottom" offset={[0, 4]} permanent className="map-commune">
              {c.name}
            </Tooltip>
          </CircleMarker>
        ))}
        {place ? (
          <Marker position={[place.latitude, place.longitude]} icon={PATIENT_ICON} zIndexOffset={1000} title={tc.mapPatient(place.label)}>
            <Tooltip direction="top" offset={[0, -12]}>
              {tc.mapPatient(place.label)}
            </Tooltip>
          </Marker>
        ) : null}
        {sites.map((c) => (
          <Marker
            key={c.site.id}
            position={[c.site.latitude, c.site.longitude]}
            icon={rankIcon(c.rank, selected === c.slot_id, c.after_deadline)}
            eventHandlers={{ click: () => onSelect(c.slot_id) }}
            title={`${c.rank}. ${c.effector.name}, ${c.site.city}`}
          >
            <Tooltip direction="top" offset={[0, -14]}>
              {c.rank}. {c.effector.name} — {c.site.name}
              {c.site.position_approximate ? ` (${tc.approximate})` : ""}
            </Tooltip>
          </Marker>
        ))}
      </MapContainer>
      <figcaption className="card-note">{tc.mapLegend}</figcaption>
    </figure>
  );
}

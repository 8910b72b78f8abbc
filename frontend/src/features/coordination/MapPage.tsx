/**
 * The map page: the CPTS's communes and the effectors' consultation sites, each with its free
 * slots of the next 24 hours (one search over the whole window, paged), drawn by TerritoryMap.
 */
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";

import { api, unwrap, type Schemas } from "../../api";
import { Page } from "../../shell/Page";
import { useTerritoryQuery } from "../../shell/territory";
import { Loaded, Loading } from "../../ui";
import { inHoursIso, nowIso } from "../agenda";
import { coordinationKeys } from "./queryKeys";
import { coordinationTexts } from "./texts";
import "./coordination.css";

const TerritoryMap = lazy(() => import("./TerritoryMap"));

type Effector = Schemas["EffectorOut"];
type Site = Schemas["SiteOut"];
type FreeSlot = Schemas["FreeSlot"];

const t = coordinationTexts.map;

const EFFECTOR_PAGE = 200;
const SLOT_PAGE = 500;
const MAX_SLOT_PAGES = 10;

export interface SitePoint {
  effector: Effector;
  site: Site;
  slots: FreeSlot[];
}

export interface MapData {
  points: SitePoint[];
  truncated: boolean;
  loadedAt: string;
}

async function fetchEffectors(signal: AbortSignal): Promise<Effector[]> {
  const all: Effector[] = [];
  for (let offset = 0; ; offset += EFFECTOR_PAGE) {
    const page = await unwrap(api.GET("/api/agenda/effectors", { params: { query: { limit: EFFECTOR_PAGE, offset } }, signal }));
    all.push(...page.items);
    if (page.items.length < EFFECTOR_PAGE || all.length >= page.total) return all;
  }
}

async function fetchFreeSlots(signal: AbortSignal): Promise<{ slots: FreeSlot[]; truncated: boolean }> {
  const start = nowIso();
  const end = inHoursIso(24);
  const slots: FreeSlot[] = [];
  for (let page = 0; page < MAX_SLOT_PAGES; page += 1) {
    const found = await unwrap(
      api.GET("/api/agenda/slots/free", {
        params: { query: { start, end, limit: SLOT_PAGE, offset: page * SLOT_PAGE, order: "start" } },
        signal,
      }),
    );
    slots.push(...found.items);
    if (!found.has_more) return { slots, truncated: false };
  }
  return { slots, truncated: true };
}

/** Every active effector's sites, each with its free slots of the next 24 hours. */
async function fetchMapData(signal: AbortSignal): Promise<MapData> {
  const [effectors, { slots, truncated }] = await Promise.all([fetchEffectors(signal), fetchFreeSlots(signal)]);
  const bySite = new Map<number, FreeSlot[]>();
  for (const slot of slots) {
    const list = bySite.get(slot.site.id) ?? [];
    list.push(slot);
    bySite.set(slot.site.id, list);
  }
  const points: SitePoint[] = [];
  for (const effector of effectors) {
    if (!effector.active) continue;
    for (const site of effector.sites) points.push({ effector, site, slots: bySite.get(site.id) ?? [] });
  }
  return { points, truncated, loadedAt: nowIso() };
}

export function MapPage() {
  const territory = useTerritoryQuery();
  const query = useQuery({ queryKey: coordinationKeys.map, queryFn: ({ signal }) => fetchMapData(signal) });
  const communes = territory.data?.communes ?? [];

  return (
    <Page title={t.title} intro={t.intro}>
      <Loaded query={query}>
        {(data) => (
          <Suspense fallback={<Loading />}>
            <TerritoryMap data={data} communes={communes} onRefresh={() => void query.refetch()} />
          </Suspense>
        )}
      </Loaded>
    </Page>
  );
}


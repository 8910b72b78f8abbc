/**
 * The map page: the CPTS's communes and the effectors' consultation sites, each with its free
 * slots of the next 24 hours (one search over the whole window, paged), drawn by TerritoryMap.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from "react";

import { api, type Schemas } from "../../api/client";
import { Loaded, Loading, Page } from "../../shell/Page";
import { useTerritory } from "../../shell/territory";
import { describeFailure, type LoadState } from "../../shell/useApi";
import { inHoursIso, nowIso } from "../agenda/time";
import { coordinationTexts } from "./texts";
import "../agenda/agenda.css";
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

class LoadError extends Error {
  constructor(
    readonly httpStatus: number | null,
    message: string,
  ) {
    super(message);
  }
}

async function fetchEffectors(signal: AbortSignal): Promise<Effector[]> {
  const all: Effector[] = [];
  for (let offset = 0; ; offset += EFFECTOR_PAGE) {
    const { data, error, response } = await api.GET("/api/agenda/effectors", {
      params: { query: { limit: EFFECTOR_PAGE, offset } },
      signal,
    });
    if (!data) throw new LoadError(response.status, describeFailure(response.status, error));
    all.push(...data.items);
    if (data.items.length < EFFECTOR_PAGE || all.length >= data.total) return all;
  }
}

async function fetchFreeSlots(signal: AbortSignal): Promise<{ slots: FreeSlot[]; truncated: boolean }> {
  const start = nowIso();
  const end = inHoursIso(24);
  const slots: FreeSlot[] = [];
  for (let page = 0; page < MAX_SLOT_PAGES; page += 1) {
    const { data, error, response } = await api.GET("/api/agenda/slots/free", {
      params: { query: { start, end, limit: SLOT_PAGE, offset: page * SLOT_PAGE, order: "start" } },
      signal,
    });
    if (!data) throw new LoadError(response.status, describeFailure(response.status, error));
    slots.push(...data.items);
    if (!data.has_more) return { slots, truncated: false };
  }
  return { slots, truncated: true };
}

function useMapData(): { state: LoadState<MapData>; reload: () => void } {
  const [state, setState] = useState<LoadState<MapData>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    Promise.all([fetchEffectors(controller.signal), fetchFreeSlots(controller.signal)])
      .then(([effectors, { slots, truncated }]) => {
        if (controller.signal.aborted) return;
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
        setState({ status: "ok", data: { points, truncated, loadedAt: nowIso() } });
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        const status = reason instanceof LoadError ? reason.httpStatus : null;
        const message = reason instanceof LoadError ? reason.message : describeFailure(null, null);
        setState({ status: "error", httpStatus: status, message });
      });
    return () => controller.abort();
  }, [generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}

export function MapPage() {
  const territory = useTerritory();
  const { state, reload } = useMapData();
  const communes = territory.state.status === "ok" ? territory.state.data.communes : [];

  return (
    <Page title={t.title} intro={t.intro}>
      <Loaded state={state} onRetry={reload}>
        {(data) => (
          <Suspense fallback={<Loading />}>
            <TerritoryMap data={data} communes={communes} onRefresh={reload} />
          </Suspense>
        )}
      </Loaded>
    </Page>
  );
}


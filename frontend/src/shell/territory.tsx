/** The CPTS and its communes, loaded once per session and shared (header, coordination page…). */
import { api, useApiQuery, type Schemas } from "../api";
import { shellKeys } from "./queryKeys";

export type Territory = Schemas["TerritoryOut"];

/** The territory (cached for the session: it changes only through the CLI). */
export function useTerritoryQuery() {
  return useApiQuery(shellKeys.territory, (signal) => api.GET("/api/territory", { signal }), {
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The CPTS name, or null while loading or when no territory is loaded. */
export function useCptsName(): string | null {
  return useTerritoryQuery().data?.cpts.name ?? null;
}

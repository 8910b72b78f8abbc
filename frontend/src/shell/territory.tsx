/** The CPTS and its communes, loaded once per session and shared (header, coordination page…). */
import { createContext, useContext, type ReactNode } from "react";

import { api, type Schemas } from "../api/client";
import { useApiQuery, type LoadState } from "./useApi";

export type Territory = Schemas["TerritoryOut"];

interface TerritoryContextValue {
  state: LoadState<Territory>;
  reload: () => void;
}

const TerritoryContext = createContext<TerritoryContextValue | null>(null);

export function TerritoryProvider({ children }: { children: ReactNode }) {
  const value = useApiQuery((signal) => api.GET("/api/territory", { signal }), []);
  return <TerritoryContext.Provider value={value}>{children}</TerritoryContext.Provider>;
}

export function useTerritory(): TerritoryContextValue {
  const value = useContext(TerritoryContext);
  if (!value) throw new Error("useTerritory must be used inside <TerritoryProvider>");
  return value;
}

/** The CPTS name, or null while loading or when no territory is loaded. */
export function useCptsName(): string | null {
  const value = useContext(TerritoryContext);
  return value?.state.status === "ok" ? value.state.data.cpts.name : null;
}

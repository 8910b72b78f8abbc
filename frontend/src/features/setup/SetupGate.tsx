/** Sends every visitor to the first-start page while the platform waits to be set up. */
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";

import { api, useApiQuery } from "../../api";
import { SETUP_PATH } from "./paths";
import { setupKeys } from "./queryKeys";

export function SetupGate({ children }: { children: ReactNode }) {
  const location = useLocation();
  const status = useApiQuery(setupKeys.status, (signal) => api.GET("/api/setup", { signal }), {
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (status.data?.open && location.pathname !== SETUP_PATH) return <Navigate to={SETUP_PATH} replace />;
  return <>{children}</>;
}

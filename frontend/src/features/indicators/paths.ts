/** Addresses of the indicators pages (App.tsx mounts them). */
export const INDICATORS_PATHS = {
  dashboard: "/coordination/indicateurs",
  report: "/coordination/indicateurs/rapport",
} as const;

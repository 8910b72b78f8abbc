/** Addresses of the indicators pages (App.tsx mounts them). */
export const INDICATORS_PATHS = {
  dashboard: "/coordination/indicateurs",
  report: "/coordination/indicateurs/rapport",
  /** The ACI contract year report (coordinators and funders); also the funders' home. */
  aci: "/financement",
  /** The coordinator's contract, figures and envelopes. */
  aciManage: "/coordination/aci",
} as const;

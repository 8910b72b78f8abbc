/** Addresses of the coordination's pages (App.tsx mounts them). */
export const COORDINATION_PATHS = {
  home: "/coordination",
  directory: "/coordination/annuaire",
  import: "/coordination/annuaire/import",
  effector: "/coordination/annuaire/:effectorId",
  map: "/coordination/carte",
  publicData: "/coordination/donnees-publiques",
} as const;

export function effectorPath(id: number): string {
  return `${COORDINATION_PATHS.directory}/${id}`;
}

/** The consultations still to report, every effector's. */
export const UNREPORTED_PATH = "/coordination/consultations-a-renseigner";

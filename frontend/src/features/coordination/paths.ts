/** Addresses of the coordination's directory and map pages (App.tsx mounts them). */
export const COORDINATION_PATHS = {
  home: "/coordination",
  directory: "/coordination/annuaire",
  import: "/coordination/annuaire/import",
  effector: "/coordination/annuaire/:effectorId",
  map: "/coordination/carte",
} as const;

export function effectorPath(id: number): string {
  return `${COORDINATION_PATHS.directory}/${id}`;
}

/** Query keys of the coordination screens (see src/api/query.ts for the convention). */
export const coordinationKeys = {
  all: ["coordination"],
  map: ["coordination", "map"],
  audit: (limit: number) => ["coordination", "audit", limit] as const,
} as const;

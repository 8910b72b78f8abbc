/** Query keys of the coordination screens (see src/api/query.ts for the convention). */
export const coordinationKeys = {
  all: ["coordination"],
  map: ["coordination", "map"],
} as const;

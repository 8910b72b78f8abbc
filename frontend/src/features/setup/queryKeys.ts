/** Query keys of the first-start setup (see src/api/query.ts). */
export const setupKeys = {
  status: ["setup", "status"],
} as const;

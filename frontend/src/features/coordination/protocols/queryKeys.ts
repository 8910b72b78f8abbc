/** Query keys of the protocol screens (see src/api/query.ts for the convention). */
export const protocolKeys = {
  all: ["coordination", "protocols"],
  list: ["coordination", "protocols", "list"],
  version: (n: number) => ["coordination", "protocols", "version", n] as const,
  diff: (n: number) => ["coordination", "protocols", "diff", n] as const,
  checks: (n: number) => ["coordination", "protocols", "checks", n] as const,
} as const;

/** Query keys of the accounts and CPTS identity screens (see src/api/query.ts). */
export const accountsKeys = {
  all: ["accounts"],
  list: (role: string, active: string, search: string) => ["accounts", "list", role, active, search] as const,
  links: ["accounts", "links"],
  candidates: (search: string) => ["accounts", "candidates", search] as const,
  cpts: ["accounts", "cpts"],
  bulk: ["accounts", "bulk-invitation"],
} as const;

/** Query keys of the indicators screens (see src/api/query.ts for the convention). */
export const indicatorsKeys = {
  all: ["indicators"],
  dashboard: (query: string) => ["indicators", "dashboard", query],
  records: (query: string, offset: number) => ["indicators", "records", query, offset],
  effectors: ["indicators", "effectors"],
  aci: ["indicators", "aci"],
  aciContract: ["indicators", "aci", "contract"],
  aciVersions: ["indicators", "aci", "versions"],
  aciYear: (year: number) => ["indicators", "aci", "year", year],
  aciFigures: ["indicators", "aci", "figures"],
  aciOrientation: (year: number) => ["indicators", "aci", "orientation", year],
  compensation: (year: number, month: number | null) => ["indicators", "compensation", year, month],
  myStatement: (year: number) => ["indicators", "my-statement", year],
  calls: (start: string, end: string) => ["indicators", "calls", start, end],
} as const;

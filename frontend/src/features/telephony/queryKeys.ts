/** Query keys of the telephony screens (see src/api/query.ts for the convention). */
export const telephonyKeys = {
  all: ["telephony"],
  board: ["telephony", "board"],
  lineHealth: ["telephony", "line-health"],
  calls: ["telephony", "calls"],
  callList: (query: object) => ["telephony", "calls", query] as const,
} as const;

/** Query keys of the regulation screens (see src/api/query.ts for the convention). */
export const regulationKeys = {
  all: ["regulation"],
  /** Everything about requests: the queue, one request, its candidates, the referrer's list. */
  requests: ["regulation", "requests"],
  queue: (assignedTo: "operator" | "regulator" | "all") => ["regulation", "requests", "queue", assignedTo] as const,
  request: (id: number) => ["regulation", "requests", id] as const,
  /** Apart from the request's key: re-reading a request does not re-run the matching. */
  candidates: (id: number, ...parts: string[]) => ["regulation", "candidates", id, ...parts] as const,
  myReferrals: ["regulation", "requests", "mine"],
  myReferral: (id: number) => ["regulation", "requests", "mine", id] as const,
  /** The front desk's search (criteria as sent) and a patient's other requests. */
  search: (criteria: Record<string, string | number>) => ["regulation", "requests", "search", criteria] as const,
  openMatches: (criteria: Record<string, string | number>) => ["regulation", "requests", "open-matches", criteria] as const,
  history: (id: number) => ["regulation", "requests", id, "history"] as const,
  protocol: ["regulation", "protocol"],
  /** The supervisor's aggregate (under `requests`: every request event refreshes it). */
  supervision: ["regulation", "requests", "supervision"],
  /** The regulators' follow-up of the calls sent to the 15. */
  followUp15: ["regulation", "follow-up"],
} as const;

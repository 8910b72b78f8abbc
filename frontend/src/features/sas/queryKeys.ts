/** Query keys of the SAS feature (all under `["sas", ...]`). */
export const sasKeys = {
  all: ["sas"] as const,
  terms: ["sas", "terms"] as const,
  agenda: (effectorId: number) => ["sas", "agenda", effectorId] as const,
  bookings: ["sas", "bookings"] as const,
  link: ["sas", "link"] as const,
};

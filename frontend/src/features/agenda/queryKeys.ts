/** Query keys of the agenda screens (see src/api/query.ts for the convention). */
type Part = string | number | null;

export const agendaKeys = {
  all: ["agenda"],
  me: ["agenda", "me"],
  /** The connected CalDAV calendar of an effector and its busy times. */
  caldav: (effectorId: number) => ["agenda", "caldav", effectorId] as const,
  templates: ["agenda", "templates"],
  /** An effector's slots from a moment on (the move dialog's free slots). */
  freeSlots: (effectorId: number, from: string) => ["agenda", "slots", effectorId, from] as const,
  absences: ["agenda", "absences"],
  /** Dates whose hours are changed (date overrides). */
  overrides: ["agenda", "overrides"],
  /** Appointments: the consultations to report, today's, the log, the upcoming patients. */
  consultations: ["agenda", "consultations"],
  consultationList: (...parts: Part[]) => ["agenda", "consultations", ...parts] as const,
  /** The handover of one of the effector's appointments (regulation's facts about it). */
  handover: (appointmentId: string) => ["agenda", "handover", appointmentId] as const,
  /** The effectors of the directory (lists and one profile). */
  effectors: ["agenda", "effectors"],
  effectorList: (...parts: Part[]) => ["agenda", "effectors", "list", ...parts] as const,
  effector: (id: number) => ["agenda", "effectors", "one", id] as const,
} as const;

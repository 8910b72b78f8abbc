/** Addresses of the effector's agenda pages (App.tsx mounts them). */
export const AGENDA_PATHS = {
  week: "/agenda",
  availability: "/agenda/disponibilites",
  calendars: "/agenda/calendriers",
  activity: "/agenda/activite",
  handover: "/agenda/rendez-vous/:appointmentId",
} as const;

/** The handover page of one of the effector's appointments. */
export const handoverPath = (appointmentId: string) => `/agenda/rendez-vous/${encodeURIComponent(appointmentId)}`;

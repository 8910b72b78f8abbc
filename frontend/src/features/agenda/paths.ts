/** Addresses of the effector's agenda pages (App.tsx mounts them). */
export const AGENDA_PATHS = {
  week: "/agenda",
  availability: "/agenda/disponibilites",
  calendars: "/agenda/calendriers",
} as const;

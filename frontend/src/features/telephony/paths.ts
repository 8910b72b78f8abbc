/** Addresses of the telephony pages (declared in App.tsx). */
export const TELEPHONY_PATHS = {
  demo: "/coordination/telephone",
  log: "/coordination/appels",
} as const;

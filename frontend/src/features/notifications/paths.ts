/** Addresses of the notifications pages. */
export const NOTIFICATIONS_PATHS = {
  demo: "/coordination/sms",
} as const;

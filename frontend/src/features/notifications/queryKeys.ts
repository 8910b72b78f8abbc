/** Query keys of the notifications screens (see src/api/query.ts for the convention). */
export const notificationsKeys = {
  all: ["notifications"],
  alerts: ["notifications", "alerts"],
  broadcasts: ["notifications", "broadcasts"],
  broadcastList: (query: object) => ["notifications", "broadcasts", query] as const,
  messages: ["notifications", "messages"],
  /** The SMS of one request (its page). */
  requestMessages: (requestId: number) => ["notifications", "messages", "request", requestId] as const,
  messageList: (status: string, audience: string) => ["notifications", "messages", status, audience] as const,
} as const;

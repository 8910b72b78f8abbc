/**
 * The live queue: `GET /api/regulation/queue`, re-fetched on every live event about a request
 * (and on `resync`), never polled.
 */
import { api, useApiQuery } from "../../api";
import { useLiveInvalidation, type LiveMessage } from "../../shell/live";
import { regulationKeys } from "./queryKeys";

export function isRequestEvent(message: LiveMessage): boolean {
  return message.type.startsWith("request.");
}

export function useQueue(assignedTo?: "operator" | "regulator") {
  const key = regulationKeys.queue(assignedTo ?? "all");
  const query = useApiQuery(key, (signal) =>
    api.GET("/api/regulation/queue", { params: { query: assignedTo ? { assigned_to: assignedTo } : {} }, signal }),
  );
  useLiveInvalidation([key], isRequestEvent);
  return query;
}

/**
 * The live queue: `GET /api/regulation/queue`, re-fetched on every live event about a request
 * (and on `resync`), never polled. Times move on between fetches (`now` ticks every few seconds).
 */
import { useEffect, useState } from "react";

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

/** The current time, refreshed every `everyMs` (for waiting times and times left). */
export function useNow(everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The live queue: `GET /api/regulation/queue`, re-fetched on every live event about a request
 * (and on `resync`), never polled. Fetches are coalesced: events arriving while one is under way
 * trigger exactly one more. Times move on between fetches (`now` ticks every few seconds).
 */
import { useCallback, useEffect, useRef, useState } from "react";

import { api } from "../../api/client";
import { useLiveEvents, type LiveMessage } from "../../shell/live";
import { describeFailure } from "../../shell/useApi";
import type { QueueOut } from "./model";

export interface QueueState {
  data: QueueOut | null;
  /** When `data` arrived (client clock), to advance waiting times and times left. */
  fetchedAt: number;
  error: string | null;
  loading: boolean;
}

export function isRequestEvent(message: LiveMessage): boolean {
  return message.type === "resync" || message.type.startsWith("request.");
}

export function useQueue(assignedTo?: "operator" | "regulator"): QueueState & { reload: () => void } {
  const [state, setState] = useState<QueueState>({ data: null, fetchedAt: Date.now(), error: null, loading: true });
  const running = useRef(false);
  const again = useRef(false);
  const mounted = useRef(true);

  const fetchQueue = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    do {
      again.current = false;
      try {
        const query = assignedTo ? { assigned_to: assignedTo } : {};
        const { data, error, response } = await api.GET("/api/regulation/queue", { params: { query } });
        if (!mounted.current) break;
        if (data) setState({ data, fetchedAt: Date.now(), error: null, loading: false });
        else setState((s) => ({ ...s, loading: false, error: describeFailure(response.status, error) }));
      } catch {
        if (!mounted.current) break;
        setState((s) => ({ ...s, loading: false, error: describeFailure(null, null) }));
      }
    } while (again.current && mounted.current);
    running.current = false;
  }, [assignedTo]);

  useEffect(() => {
    mounted.current = true;
    void fetchQueue();
    return () => {
      mounted.current = false;
    };
  }, [fetchQueue]);

  useLiveEvents((message) => {
    if (isRequestEvent(message)) void fetchQueue();
  });

  return { ...state, reload: () => void fetchQueue() };
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

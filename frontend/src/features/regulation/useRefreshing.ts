/**
 * A GET that re-runs on demand (live events) without blanking what is shown: the previous data
 * stays on screen while the new answer comes. Concurrent reloads are coalesced into one more.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import { describeFailure, type LoadState } from "../../shell/useApi";

interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export function useRefreshing<T>(fetcher: () => Promise<ApiResult<T>>, key: string): { state: LoadState<T>; reload: () => void } {
  const [state, setState] = useState<LoadState<T>>({ status: "loading" });
  const latest = useRef(fetcher);
  useLayoutEffect(() => {
    latest.current = fetcher;
  });
  const running = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);

  const run = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    do {
      again.current = false;
      try {
        const { data, error, response } = await latest.current();
        if (!alive.current) break;
        if (response.ok && data !== undefined) setState({ status: "ok", data });
        else
          setState((s) =>
            s.status === "ok" ? s : { status: "error", httpStatus: response.status, message: describeFailure(response.status, error) },
          );
      } catch {
        if (!alive.current) break;
        setState((s) => (s.status === "ok" ? s : { status: "error", httpStatus: null, message: describeFailure(null, null) }));
      }
    } while (again.current && alive.current);
    running.current = false;
  }, []);

  useEffect(() => {
    alive.current = true;
    setState({ status: "loading" });
    void run();
    return () => {
      alive.current = false;
    };
  }, [key, run]);

  return { state, reload: () => void run() };
}

/** A small "load on mount, abort on unmount, reload on demand" hook for GET calls. */
import { useCallback, useEffect, useState, type DependencyList } from "react";

import { errorMessage } from "../api/errors";
import { shellTexts } from "./texts";

export type LoadState<T> =
  | { status: "loading" }
  | { status: "error"; httpStatus: number | null; message: string }
  | { status: "ok"; data: T };

/** What an openapi-fetch call resolves to, seen from here. */
interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export function describeFailure(httpStatus: number | null, body: unknown): string {
  if (httpStatus === null) return shellTexts.errors.network;
  if (httpStatus >= 500) return shellTexts.errors.server;
  if (httpStatus === 403) return errorMessage(body, shellTexts.errors.forbidden);
  if (httpStatus === 404) return errorMessage(body, shellTexts.errors.notFound);
  return errorMessage(body, shellTexts.errors.generic);
}

export function useApiQuery<T>(
  fetcher: (signal: AbortSignal) => Promise<ApiResult<T>>,
  deps: DependencyList,
): { state: LoadState<T>; reload: () => void } {
  const [state, setState] = useState<LoadState<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    fetcher(controller.signal)
      .then(({ data, error, response }) => {
        if (controller.signal.aborted) return;
        if (response.ok && data !== undefined) setState({ status: "ok", data });
        else setState({ status: "error", httpStatus: response.status, message: describeFailure(response.status, error) });
      })
      .catch(() => {
        if (!controller.signal.aborted) setState({ status: "error", httpStatus: null, message: describeFailure(null, null) });
      });
    return () => controller.abort();
    // The fetcher is a fresh closure on every render: the caller lists its inputs in `deps`.
  }, [generation, ...deps]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}

/**
 * The "load state" hook of the first screens, now a thin adapter over the data layer (TanStack
 * Query, `src/api`). Kept for `features/sas` and `features/indicators` (their owners move them to
 * `useApiQuery` from `src/api`); new code uses `useApiQuery` and ui's `Loaded` directly.
 */
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { useId, type DependencyList } from "react";

import { ApiError, unwrap, type ApiResult } from "../api";

export type LoadState<T> =
  | { status: "loading" }
  | { status: "error"; httpStatus: number | null; message: string }
  | { status: "ok"; data: T };

/** The French message of a failed call (ApiError's). */
export function describeFailure(httpStatus: number | null, body: unknown): string {
  return (httpStatus === null ? ApiError.network() : ApiError.fromResponse(httpStatus, body)).message;
}

/** A query result seen as a LoadState: data kept while re-fetching, else the error, else loading. */
export function toLoadState<T>(query: UseQueryResult<T, ApiError>): LoadState<T> {
  if (query.data !== undefined) return { status: "ok", data: query.data };
  if (query.error) return { status: "error", httpStatus: query.error.status, message: query.error.message };
  return { status: "loading" };
}

export function useApiQuery<T>(
  fetcher: (signal: AbortSignal) => Promise<ApiResult<T>>,
  deps: DependencyList,
): { state: LoadState<T>; reload: () => void } {
  // The fetcher is a fresh closure on every render: the caller lists its inputs in `deps`.
  const key = ["component", useId(), ...deps];
  const query = useQuery<T, ApiError>({ queryKey: key, queryFn: ({ signal }) => unwrap(fetcher(signal)), gcTime: 0 });
  return { state: toLoadState(query), reload: () => void query.refetch() };
}

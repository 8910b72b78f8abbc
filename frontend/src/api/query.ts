/**
 * TanStack Query over the openapi-fetch client: the one way to read and change server data.
 *
 * - `useApiQuery(key, (signal) => api.GET(...))`: cached by key, cancelled on unmount, the data
 *   kept on screen while it is re-fetched (a failed re-fetch leaves it there and sets `error`);
 * - `useApiMutation((vars) => api.POST(...), { invalidates: [key] })`: on success, the queries under
 *   the given keys are re-fetched; `error` is an `ApiError` ready for `ErrorSummary`;
 * - keys are per feature, in `features/<x>/queryKeys.ts`, as arrays starting with the feature's
 *   name (`["regulation", "queue", ...]`): invalidating a prefix refreshes everything under it;
 * - live events invalidate keys through `useLiveInvalidation` (shell/live.tsx), never a timer.
 */
import {
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
} from "@tanstack/react-query";

import type { ApiError } from "./errors";
import { unwrap, type ApiResult } from "./unwrap";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: ApiError;
  }
}

export type { QueryKey };

/** One client per tab. No retries and no refetch on focus: the live socket says when data changed. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}

export const queryClient = createQueryClient();

export type ApiQueryOptions<T> = Omit<UseQueryOptions<T, ApiError, T, QueryKey>, "queryKey" | "queryFn">;

/** Reads server data under `key`; `fetcher` gets the signal that cancels the call on unmount. */
export function useApiQuery<T>(
  key: QueryKey,
  fetcher: (signal: AbortSignal) => Promise<ApiResult<T>>,
  options: ApiQueryOptions<T> = {},
): UseQueryResult<T, ApiError> {
  return useQuery<T, ApiError, T, QueryKey>({
    ...options,
    queryKey: key,
    queryFn: ({ signal }) => unwrap(fetcher(signal)),
  });
}

export interface ApiMutationOptions<T, V> extends Omit<UseMutationOptions<T, ApiError, V>, "mutationFn"> {
  /** Query keys (prefixes) to re-fetch after a success; a function when they depend on the answer. */
  invalidates?: readonly QueryKey[] | ((data: T, variables: V) => readonly QueryKey[]);
}

/**
 * Changes server data. On success: the caller's `onSuccess`, then the queries under `invalidates`
 * are re-fetched (the mutation stays pending until they are, so the screen never shows stale data
 * as "done"). `error` is the ApiError of the last failure, cleared by the next attempt.
 */
export function useApiMutation<T, V = void>(
  mutator: (variables: V) => Promise<ApiResult<T>>,
  { invalidates = [], onSuccess, ...options }: ApiMutationOptions<T, V> = {},
): UseMutationResult<T, ApiError, V> {
  const client = useQueryClient();
  return useMutation<T, ApiError, V>({
    ...options,
    mutationFn: (variables) => unwrap(mutator(variables)),
    onSuccess: async (data, variables, onMutateResult, context) => {
      await onSuccess?.(data, variables, onMutateResult, context);
      const keys = typeof invalidates === "function" ? invalidates(data, variables) : invalidates;
      await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
    },
  });
}

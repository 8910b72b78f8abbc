/**
 * A GET that re-runs on demand (live events) without blanking what is shown, now a thin adapter
 * over the data layer. Kept for `features/coordination/protocols` (its owner moves it to
 * `useApiQuery` from `src/api`); new code uses `useApiQuery` and `useLiveInvalidation`.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";

import { refreshCoalesced, unwrap, type ApiError, type ApiResult } from "../../api";
import { toLoadState, type LoadState } from "../../shell/useApi";

export function useRefreshing<T>(fetcher: () => Promise<ApiResult<T>>, key: string): { state: LoadState<T>; reload: () => void } {
  const client = useQueryClient();
  const queryKey = ["component", useId(), key];
  const query = useQuery<T, ApiError>({ queryKey, queryFn: () => unwrap(fetcher()), gcTime: 0 });
  return { state: toLoadState(query), reload: () => refreshCoalesced(client, queryKey) };
}

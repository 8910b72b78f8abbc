/**
 * Re-fetching on news, coalesced: the one place that decides how bursts of live events turn into
 * calls. For a key: nothing under way -> re-fetch now; a fetch under way -> exactly one more once
 * it is done (however many events came meanwhile), so the last state always gets fetched.
 */
import { hashKey, type QueryClient, type QueryKey } from "@tanstack/react-query";

const queuedByClient = new WeakMap<QueryClient, Set<string>>();

export function refreshCoalesced(client: QueryClient, queryKey: QueryKey): void {
  if (client.isFetching({ queryKey }) === 0) {
    void client.invalidateQueries({ queryKey }, { cancelRefetch: false });
    return;
  }
  let queued = queuedByClient.get(client);
  if (!queued) {
    queued = new Set();
    queuedByClient.set(client, queued);
  }
  const hash = hashKey(queryKey);
  if (queued.has(hash)) return;
  queued.add(hash);
  const pending = queued;
  const unsubscribe = client.getQueryCache().subscribe(() => {
    if (client.isFetching({ queryKey }) > 0) return;
    unsubscribe();
    pending.delete(hash);
    void client.invalidateQueries({ queryKey }, { cancelRefetch: false });
  });
}

import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";

import { refreshCoalesced } from ".";

/** A query whose answers the test releases one by one. */
function controlledQuery() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const releases: (() => void)[] = [];
  let calls = 0;
  const observer = new QueryObserver(client, {
    queryKey: ["feature", "list"],
    queryFn: () =>
      new Promise<number>((resolve) => {
        calls += 1;
        const call = calls;
        releases.push(() => resolve(call));
      }),
  });
  const unsubscribe = observer.subscribe(() => undefined);
  return {
    client,
    observer,
    unsubscribe,
    calls: () => calls,
    /** Answers the oldest call still waiting and lets the cache settle. */
    release: async () => {
      releases.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe("refreshCoalesced", () => {
  it("re-fetches at once when nothing is under way", async () => {
    const q = controlledQuery();
    cleanup = q.unsubscribe;
    await q.release();
    expect(q.calls()).toBe(1);

    refreshCoalesced(q.client, ["feature"]);
    expect(q.calls()).toBe(2);
  });

  it("turns a burst during a fetch into exactly one more fetch, after it", async () => {
    const q = controlledQuery();
    cleanup = q.unsubscribe;
    expect(q.calls()).toBe(1);

    for (let i = 0; i < 5; i += 1) refreshCoalesced(q.client, ["feature", "list"]);
    expect(q.calls()).toBe(1);

    await q.release();
    expect(q.calls()).toBe(2);
    await q.release();
    expect(q.calls()).toBe(2);
    expect(q.observer.getCurrentResult().data).toBe(2);
  });

  it("queues again once the extra fetch has started", async () => {
    const q = controlledQuery();
    cleanup = q.unsubscribe;
    refreshCoalesced(q.client, ["feature"]);
    await q.release();
    expect(q.calls()).toBe(2);

    refreshCoalesced(q.client, ["feature"]);
    await q.release();
    expect(q.calls()).toBe(3);
  });
});

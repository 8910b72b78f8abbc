/** What the queue pages say above the list: the last action's outcome, a message brought back, loading. */
import type { UseQueryResult } from "@tanstack/react-query";
import { useLocation } from "react-router";

import type { ApiError } from "../../api";
import { ErrorNotice, Loading, Notice } from "../../ui";
import type { BackState } from "./request/RequestPage";
import type { QueueActions } from "./useQueueActions";

export function QueueNotices({ queue, actions }: { queue: UseQueryResult<unknown, ApiError>; actions: QueueActions }) {
  const backFlash = (useLocation().state as BackState | null)?.flash ?? null;
  return (
    <>
      {actions.problem ? (
        <Notice tone="error" block>
          <p>{actions.problem}</p>
        </Notice>
      ) : null}
      {actions.info ? (
        <Notice tone="success">{actions.info}</Notice>
      ) : backFlash && !actions.problem ? (
        <Notice tone="success">{backFlash}</Notice>
      ) : null}
      {queue.error && !queue.data ? <ErrorNotice message={queue.error.message} onRetry={() => void queue.refetch()} /> : null}
      {queue.isPending ? <Loading /> : null}
    </>
  );
}

/** The queue's row actions, shared by the operators' console and the regulator's page. */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";

import { api, useApiMutation } from "../../api";
import type { QueueItem } from "./model";
import { REQUEST_PATH } from "./paths";
import { regulationKeys } from "./queryKeys";
import { regulationTexts } from "./texts";

const tc = regulationTexts.console;

export type QueueActions = ReturnType<typeof useQueueActions>;

/** Claim (then open) and release, with the 409 "who has it" shown to the user. */
export function useQueueActions() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const refreshQueue = () => void client.invalidateQueries({ queryKey: regulationKeys.requests });
  // Only the last action's outcome is shown.
  const [last, setLast] = useState<"claim" | "release" | null>(null);
  const claim = useApiMutation(
    (item: QueueItem) => api.POST("/api/regulation/requests/{request_id}/claim", { params: { path: { request_id: item.id } } }),
    { onSuccess: (_claimed, item) => navigate(REQUEST_PATH(item.id)), onError: refreshQueue },
  );
  const release = useApiMutation(
    (item: QueueItem) => api.POST("/api/regulation/requests/{request_id}/release", { params: { path: { request_id: item.id } } }),
    { invalidates: [regulationKeys.requests], onError: refreshQueue },
  );
  const pending = claim.isPending ? claim.variables : release.isPending ? release.variables : undefined;

  return {
    busyId: pending?.id ?? null,
    problem: (last === "claim" ? claim.error : last === "release" ? release.error : null)?.message ?? null,
    info: last === "release" && release.isSuccess ? tc.released : null,
    claim: (item: QueueItem) => {
      setLast("claim");
      claim.mutate(item);
    },
    release: (item: QueueItem) => {
      setLast("release");
      release.mutate(item);
    },
    open: (item: QueueItem) => navigate(REQUEST_PATH(item.id)),
  };
}


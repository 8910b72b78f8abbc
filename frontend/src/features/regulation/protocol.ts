/**
 * The triage protocol in force (`GET /api/regulation/protocols/current`), loaded once per tab and
 * shared by the console, the triage and referral forms; re-read when a new version is published.
 */
import { api, useApiQuery } from "../../api";
import { useLiveInvalidation } from "../../shell/live";
import { regulationKeys } from "./queryKeys";

/** The protocol in force (cached for the session; a publication re-reads it). */
export function useProtocol() {
  const query = useApiQuery(regulationKeys.protocol, (signal) => api.GET("/api/regulation/protocols/current", { signal }), {
    staleTime: Number.POSITIVE_INFINITY,
  });
  useLiveInvalidation([regulationKeys.protocol], (message) => message.type === "protocol.published");
  return query;
}

/** The document when loaded, else null (for labels that can wait). */
export function useProtocolDocument() {
  return useProtocol().data?.document ?? null;
}

/**
 * The triage protocol in force (`GET /api/regulation/protocols/current`), loaded once per tab and
 * shared by the console, the triage and referral forms; re-read when a new version is published.
 */
import { useEffect, useState } from "react";

import { api } from "../../api/client";
import { useLiveEvents } from "../../shell/live";
import type { LoadState } from "../../shell/useApi";
import { perform, type ProtocolCurrent } from "./model";

type State = LoadState<ProtocolCurrent>;

let cached: State | null = null;
let pending: Promise<State> | null = null;
const listeners = new Set<(state: State) => void>();

function load(force = false): Promise<State> {
  if (pending) return pending;
  if (cached?.status === "ok" && !force) return Promise.resolve(cached);
  pending = perform(api.GET("/api/regulation/protocols/current")).then((result) => {
    const state: State = result.ok
      ? { status: "ok", data: result.data }
      : { status: "error", httpStatus: result.status, message: result.errors[0]?.msg ?? "" };
    // Keep a good copy rather than replace it with a failed refresh.
    if (state.status === "ok" || cached?.status !== "ok") cached = state;
    pending = null;
    for (const listener of listeners) listener(cached ?? state);
    return cached ?? state;
  });
  return pending;
}

/** The protocol in force; `reload` after an error. */
export function useProtocol(): { state: State; reload: () => void } {
  const [state, setState] = useState<State>(cached ?? { status: "loading" });

  useEffect(() => {
    listeners.add(setState);
    if (cached?.status !== "ok") void load(true);
    return () => {
      listeners.delete(setState);
    };
  }, []);

  useLiveEvents((message) => {
    if (message.type === "protocol.published") void load(true);
  });

  return { state, reload: () => void load(true) };
}

/** The document when loaded, else null (for labels that can wait). */
export function useProtocolDocument() {
  const { state } = useProtocol();
  return state.status === "ok" ? state.data.document : null;
}

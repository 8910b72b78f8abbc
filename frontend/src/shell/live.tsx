/**
 * The live socket (`/ws`): one connection per tab, shared by every component that listens.
 *
 * The server pushes small messages naming what changed (`{"type": "request.claimed",
 * "request_id": 12, ...}`), never the data itself: listeners re-fetch what they show. This module
 * keeps the connection alive for them:
 *
 * - opened when the first listener mounts, closed a little after the last one unmounts (so a
 *   page change does not drop and reopen it);
 * - `{"type": "ping"}` every `ping_seconds` (from the server's `hello`): it also keeps the
 *   operator's claims alive; no answer within two periods means a dead link: close and reconnect;
 * - reconnects by itself with a growing delay (0.5 s, 1 s, 2 s… up to 15 s, with jitter), at
 *   once when the browser comes back online or the tab becomes visible again;
 * - every (re)connection delivers a synthetic `{"type": "resync"}` to listeners, like the
 *   server's own `resync`: whatever happened while disconnected is re-fetched.
 *
 * Use `useLiveInvalidation(keys, matches)` to re-fetch queries on news (the usual case),
 * `useLiveEvents(handler)` for anything else, `useLiveStatus()` or `<LiveStatusBanner />` to show
 * the connection state.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from "react";

import { refreshCoalesced, type QueryKey } from "../api";

import "./live.css";
import { shellTexts } from "./texts";

export type LiveStatus = "connecting" | "open" | "lost";

/** A message from the server: its `type`, and for requests their `request_id`. */
export interface LiveMessage {
  type: string;
  request_id?: number;
  [key: string]: unknown;
}

export type LiveHandler = (message: LiveMessage) => void;

const LIVE_PATH = "/ws";
const DEFAULT_PING_SECONDS = 20;
const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 15_000;
const IDLE_CLOSE_MS = 3_000;

export const RESYNC: LiveMessage = Object.freeze({ type: "resync" });

class LiveConnection {
  private socket: WebSocket | null = null;
  private users = 0;
  private listeners = new Set<LiveHandler>();
  private statusListeners = new Set<() => void>();
  private currentStatus: LiveStatus = "connecting";
  private retryDelay = BACKOFF_START_MS;
  private retryTimer: number | null = null;
  private idleTimer: number | null = null;
  private pingTimer: number | null = null;
  private lastHeard = 0;
  private pingSeconds = DEFAULT_PING_SECONDS;

  get status(): LiveStatus {
    return this.currentStatus;
  }

  /** A component starts listening; the first one opens the socket. */
  retain(): void {
    this.users += 1;
    if (this.idleTimer !== null) {
      window.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.users === 1 && this.socket === null && this.retryTimer === null) {
      window.addEventListener("online", this.wakeUp);
      document.addEventListener("visibilitychange", this.wakeUp);
      this.connect();
    }
  }

  /** A component stops listening; the socket closes shortly after the last one leaves. */
  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0 || this.idleTimer !== null) return;
    this.idleTimer = window.setTimeout(() => {
      this.idleTimer = null;
      if (this.users === 0) this.shutdown();
    }, IDLE_CLOSE_MS);
  }

  subscribe(handler: LiveHandler): () => void {
    this.listeners.add(handler);
    return () => {
      this.listeners.delete(handler);
    };
  }

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  };

  getStatus = (): LiveStatus => this.currentStatus;

  private setStatus(status: LiveStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener();
  }

  private emit(message: LiveMessage): void {
    this.listeners.forEach((handler) => {
      try {
        handler(message);
      } catch (error) {
        console.error("live listener failed", error);
      }
    });
  }

  private connect(): void {
    this.retryTimer = null;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let socket: WebSocket;
    try {
      socket = new WebSocket(`${scheme}://${window.location.host}${LIVE_PATH}`);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => this.onMessage(socket, event);
    socket.onclose = () => this.onClose(socket);
    // `error` is always followed by `close`: nothing to do here.
    socket.onerror = () => undefined;
  }

  private onMessage(socket: WebSocket, event: MessageEvent): void {
    if (socket !== this.socket) return;
    this.lastHeard = Date.now();
    let message: LiveMessage;
    try {
      const parsed: unknown = JSON.parse(String(event.data));
      if (typeof parsed !== "object" || parsed === null || typeof (parsed as { type?: unknown }).type !== "string") return;
      message = parsed as LiveMessage;
    } catch {
      return;
    }
    if (message.type === "hello") {
      const seconds = Number(message.ping_seconds);
      this.pingSeconds = Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_PING_SECONDS;
      this.retryDelay = BACKOFF_START_MS;
      this.startPinging(socket);
      this.setStatus("open");
      // Whatever happened before this connection (or while we were away) is unknown: re-fetch.
      this.emit(RESYNC);
      return;
    }
    if (message.type === "pong") return;
    this.emit(message);
  }

  private startPinging(socket: WebSocket): void {
    this.stopPinging();
    this.pingTimer = window.setInterval(() => {
      if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
      // Nothing heard for two periods (not even a pong): the link is dead, start again.
      if (Date.now() - this.lastHeard > this.pingSeconds * 2_000 + 5_000) {
        socket.close();
        this.onClose(socket);
        return;
      }
      socket.send(JSON.stringify({ type: "ping" }));
    }, this.pingSeconds * 1_000);
  }

  private stopPinging(): void {
    if (this.pingTimer !== null) {
      window.clearInterval(this.pingTimer);
      this.pingTimer = null;
    }
  }

  private onClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.stopPinging();
    if (this.users === 0) {
      this.setStatus("connecting");
      return;
    }
    this.setStatus("lost");
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || this.users === 0) return;
    const jitter = 0.8 + Math.random() * 0.4;
    const delay = Math.round(this.retryDelay * jitter);
    this.retryDelay = Math.min(this.retryDelay * 2, BACKOFF_MAX_MS);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }

  /** Back online or back on the tab: retry now rather than at the end of a long delay. */
  private wakeUp = (): void => {
    if (document.visibilityState === "hidden" || this.socket !== null || this.users === 0) return;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryDelay = BACKOFF_START_MS;
    this.connect();
  };

  private shutdown(): void {
    window.removeEventListener("online", this.wakeUp);
    document.removeEventListener("visibilitychange", this.wakeUp);
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopPinging();
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.retryDelay = BACKOFF_START_MS;
    this.setStatus("connecting");
  }
}

const connection = new LiveConnection();

/**
 * Calls `handler` for every live message while the component is mounted (and `enabled`),
 * including the synthetic `resync` sent on each (re)connection. The latest `handler` is used:
 * no need to memoise it.
 */
export function useLiveEvents(handler: LiveHandler, enabled = true): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });

  useEffect(() => {
    if (!enabled) return;
    const unsubscribe = connection.subscribe((message) => latest.current(message));
    connection.retain();
    return () => {
      unsubscribe();
      connection.release();
    };
  }, [enabled]);
}

/**
 * Re-fetches the queries under `keys` whenever a live message `matches` (and on every resync),
 * coalesced by `refreshCoalesced`: bursts of events never pile up calls.
 */
export function useLiveInvalidation(
  keys: readonly QueryKey[],
  matches: (message: LiveMessage) => boolean,
  enabled = true,
): void {
  const client = useQueryClient();
  useLiveEvents((message) => {
    if (message.type !== RESYNC.type && !matches(message)) return;
    for (const queryKey of keys) refreshCoalesced(client, queryKey);
  }, enabled);
}

/** The connection state, for components that show it. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(connection.subscribeStatus, connection.getStatus, connection.getStatus);
}

/** A discreet line while the socket is down; it goes away by itself once reconnected. */
export function LiveStatusBanner() {
  const status = useLiveStatus();
  return (
    <div className="live-status" role="status" aria-live="polite" data-live-status={status}>
      {status === "lost" ? (
        <p className="live-status-lost">
          <span className="spinner spinner-small" aria-hidden="true" />
          {shellTexts.live.lost}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The console's view of the live queue: filters (priority, origin, free only), an order other
 * than the server's (most urgent first), and opt-in arrival alerts (a short tone and a desktop
 * notification, remembered in this browser). Filtering happens here: every console reads the
 * same queue, so the server's fan-out cost does not depend on what each operator shows.
 */
import { useEffect, useMemo, useRef, useState } from "react";

import type { QueueItem } from "../model";
import { frontDeskTexts } from "./texts";

const t = frontDeskTexts.queue;
const ALERTS_KEY = "snp.queue.alerts";

export type PriorityFilter = "" | "untriaged" | "P0P1" | "P2" | "P3";
export type OriginFilter = "" | "calls" | "referrals";
export type QueueOrder = "urgency" | "waiting" | "deadline" | "patient";

export interface QueueView {
  priority: PriorityFilter;
  origin: OriginFilter;
  freeOnly: boolean;
  order: QueueOrder;
}

export const DEFAULT_VIEW: QueueView = { priority: "", origin: "", freeOnly: false, order: "urgency" };

function keep(item: QueueItem, view: QueueView): boolean {
  const p = item.priority ?? null;
  if (view.priority === "untriaged" && p !== null) return false;
  if (view.priority === "P0P1" && p !== "P0" && p !== "P1") return false;
  if ((view.priority === "P2" || view.priority === "P3") && p !== view.priority) return false;
  if (view.origin === "calls" && item.origin !== "patient_call") return false;
  if (view.origin === "referrals" && item.origin === "patient_call") return false;
  if (view.freeOnly && item.claimed_by_user_id !== null) return false;
  return true;
}

const ORDERS: Record<Exclude<QueueOrder, "urgency">, (a: QueueItem, b: QueueItem) => number> = {
  waiting: (a, b) => b.waiting_seconds - a.waiting_seconds,
  deadline: (a, b) => (a.seconds_left ?? Number.MAX_SAFE_INTEGER) - (b.seconds_left ?? Number.MAX_SAFE_INTEGER),
  patient: (a, b) => a.family_name.localeCompare(b.family_name, "fr") || a.given_name.localeCompare(b.given_name, "fr"),
};

/** The items to show, filtered and ordered (the server's order by default). */
export function viewOf(items: readonly QueueItem[], view: QueueView): QueueItem[] {
  const kept = items.filter((i) => keep(i, view));
  return view.order === "urgency" ? kept : [...kept].sort(ORDERS[view.order]);
}

export function QueueControls({ view, onChange }: { view: QueueView; onChange: (view: QueueView) => void }) {
  return (
    <fieldset className="queue-controls">
      <legend className="visually-hidden">{t.legend}</legend>
      <label>
        {t.priority}
        <select value={view.priority} onChange={(e) => onChange({ ...view, priority: e.target.value as PriorityFilter })}>
          <option value="">{t.all}</option>
          <option value="untriaged">{t.untriaged}</option>
          <option value="P0P1">P0 / P1</option>
          <option value="P2">P2</option>
          <option value="P3">P3</option>
        </select>
      </label>
      <label>
        {t.origin}
        <select value={view.origin} onChange={(e) => onChange({ ...view, origin: e.target.value as OriginFilter })}>
          <option value="">{t.all}</option>
          <option value="calls">{t.calls}</option>
          <option value="referrals">{t.referrals}</option>
        </select>
      </label>
      <label>
        {t.order}
        <select value={view.order} onChange={(e) => onChange({ ...view, order: e.target.value as QueueOrder })}>
          <option value="urgency">{t.orders.urgency}</option>
          <option value="waiting">{t.orders.waiting}</option>
          <option value="deadline">{t.orders.deadline}</option>
          <option value="patient">{t.orders.patient}</option>
        </select>
      </label>
      <label className="queue-check">
        <input type="checkbox" checked={view.freeOnly} onChange={(e) => onChange({ ...view, freeOnly: e.target.checked })} />
        {t.freeOnly}
      </label>
    </fieldset>
  );
}

function beep() {
  const AudioContextClass = window.AudioContext;
  if (!AudioContextClass) return;
  const context = new AudioContextClass();
  const tone = context.createOscillator();
  const gain = context.createGain();
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, context.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.4);
  tone.connect(gain).connect(context.destination);
  tone.start();
  tone.stop(context.currentTime + 0.4);
  tone.onended = () => void context.close();
}

/** Opt-in arrival alerts: returns whether they are on and the switch. */
export function useArrivalAlerts(
  items: readonly QueueItem[],
  fresh: ReadonlySet<number>,
  describe: (item: QueueItem) => string,
): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => window.localStorage.getItem(ALERTS_KEY) === "on");
  const told = useRef(new Set<number>());
  const arrived = useMemo(() => items.filter((i) => fresh.has(i.id) && !told.current.has(i.id)), [items, fresh]);

  useEffect(() => {
    if (!on || arrived.length === 0) return;
    for (const item of arrived) told.current.add(item.id);
    beep();
    if ("Notification" in window && Notification.permission === "granted" && document.hidden) {
      new Notification(t.notificationTitle, { body: arrived.map(describe).join("\n"), tag: "snp-queue" });
    }
  }, [on, arrived, describe]);

  function toggle(next: boolean) {
    setOn(next);
    window.localStorage.setItem(ALERTS_KEY, next ? "on" : "off");
    if (next && "Notification" in window && Notification.permission === "default") void Notification.requestPermission();
  }
  return [on, toggle];
}

export function AlertsSwitch({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="queue-check">
      <input type="checkbox" checked={on} onChange={(e) => onChange(e.target.checked)} />
      {t.alerts}
    </label>
  );
}

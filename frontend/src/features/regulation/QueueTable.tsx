/**
 * The live queue as a table, shared by the operator console and the regulator page. Keyboard:
 * ↑/↓ (or K/J) move between rows, Entrée opens, P claims, L releases one's own claim.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Link } from "react-router";

import { useUser } from "../../shell/auth";
import { useTerritoryQuery } from "../../shell/territory";
import { PriorityBadge, UrgencyTag } from "./components";
import { frontDeskTexts, transferPreview } from "./frontdesk";
import { formatDuration, formatWhen, motifLabel, timeLeftLabel, urgencyOf, type QueueItem } from "./model";
import { REQUEST_PATH } from "./paths";
import { useProtocolDocument } from "./protocol";
import { regulationTexts } from "./texts";

const t = regulationTexts;
const tc = t.console;
const NEW_ROW_MS = 6_000;

export interface QueueTableProps {
  items: readonly QueueItem[];
  fetchedAt: number;
  now: number;
  caption: string;
  captionHidden?: boolean;
  busyId: number | null;
  onOpen: (item: QueueItem) => void;
  onClaim: (item: QueueItem) => void;
  onRelease: (item: QueueItem) => void;
  /** Operators may not claim what was transferred to the regulators. */
  canClaim: (item: QueueItem) => boolean;
  /** Row ids that just arrived (highlighted for a few seconds). */
  fresh: ReadonlySet<number>;
  testId?: string;
}

export function patientName(item: { given_name: string; family_name: string }): string {
  return `${item.given_name} ${item.family_name.toUpperCase()}`;
}

export function QueueTable({
  items,
  fetchedAt,
  now,
  caption,
  captionHidden = false,
  busyId,
  onOpen,
  onClaim,
  onRelease,
  canClaim,
  fresh,
  testId,
}: QueueTableProps) {
  const user = useUser();
  const document = useProtocolDocument();
  const territory = useTerritoryQuery();
  const communes = useMemo(() => {
    const map = new Map<string, string>();
    if (territory.data) for (const c of territory.data.communes) map.set(c.insee_code, c.name);
    return map;
  }, [territory.data]);
  const [selected, setSelected] = useState<number | null>(null);
  const rows = useRef(new Map<number, HTMLTableRowElement>());
  const elapsed = Math.max(0, (now - fetchedAt) / 1000);

  // The selection follows its request when the order changes; falls back to the first row.
  const selectedId = items.some((i) => i.id === selected) ? selected : (items[0]?.id ?? null);

  function focusRow(index: number) {
    const item = items[Math.max(0, Math.min(items.length - 1, index))];
    if (!item) return;
    setSelected(item.id);
    rows.current.get(item.id)?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, item: QueueItem, index: number) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const onRow = event.target === event.currentTarget;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const mine = item.claimed_by_user_id === user.id;
    if (key === "ArrowDown" || (onRow && key === "j")) focusRow(index + 1);
    else if (key === "ArrowUp" || (onRow && key === "k")) focusRow(index - 1);
    else if (!onRow) return; // keys typed on a row's buttons keep their usual meaning
    else if (key === "Home") focusRow(0);
    else if (key === "End") focusRow(items.length - 1);
    else if (key === "Enter") onOpen(item);
    else if (key === "p" && !item.claimed_by_user_id && canClaim(item)) onClaim(item);
    else if (key === "l" && mine) onRelease(item);
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <div className="table-scroll queue-scroll">
      <table className="queue-table" data-testid={testId}>
        <caption className={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{tc.columns.priority}</th>
            <th scope="col">{tc.columns.motif}</th>
            <th scope="col">{tc.columns.patient}</th>
            <th scope="col">{tc.columns.commune}</th>
            <th scope="col">{tc.columns.origin}</th>
            <th scope="col">{tc.columns.waiting}</th>
            <th scope="col">{tc.columns.deadline}</th>
            <th scope="col">{tc.columns.claimedBy}</th>
            <th scope="col">
              <span className="visually-hidden">{tc.columns.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => {
            const name = patientName(item);
            const left = item.seconds_left === null ? null : item.seconds_left - elapsed;
            const urgency = urgencyOf(left, item.urgency, item.soon_seconds ?? undefined);
            const mine = item.claimed_by_user_id === user.id;
            const claimedByOther = item.claimed_by_user_id !== null && !mine;
            const busy = busyId === item.id;
            return (
              <tr
                key={item.id}
                data-id={item.id}
                data-testid="queue-row"
                ref={(el) => {
                  if (el) rows.current.set(item.id, el);
                  else rows.current.delete(item.id);
                }}
                tabIndex={selectedId === item.id ? 0 : -1}
                className={[
                  "queue-row",
                  `queue-row-${urgency}`,
                  mine ? "queue-row-mine" : "",
                  claimedByOther ? "queue-row-taken" : "",
                  fresh.has(item.id) ? "queue-row-new" : "",
                ].join(" ")}
                onFocus={() => setSelected(item.id)}
                onKeyDown={(event) => onKeyDown(event, item, index)}
                onDoubleClick={() => onOpen(item)}
              >
                <td>
                  <PriorityBadge priority={item.priority ?? null} />
                </td>
                <td className="queue-motif" title={motifLabel(document, item.motif)}>
                  {motifLabel(document, item.motif)}
                  {item.transfer_note ? (
                    <span className="cell-sub queue-transfer" title={item.transfer_note} data-testid="queue-transfer-note">
                      <span className="visually-hidden">{frontDeskTexts.transfer.rowLabel}</span>
                      {transferPreview(item.transfer_note)}
                    </span>
                  ) : null}
                </td>
                <th scope="row" className="queue-patient">
                  <Link to={REQUEST_PATH(item.id)} tabIndex={-1} aria-label={tc.openLabel(name)}>
                    {name}
                  </Link>
                  <span className="cell-sub">
                    {item.age_label}
                    {item.mobility === "needs_home_visit" ? ` · ${tc.homeVisit}` : ""}
                  </span>
                </th>
                <td>{item.commune_insee ? (communes.get(item.commune_insee) ?? item.commune_insee) : t.labels.none}</td>
                <td className="queue-origin">
                  {t.labels.origin[item.origin]}
                  {item.referrer_structure ? <span className="cell-sub">{item.referrer_structure}</span> : null}
                </td>
                <td className="nowrap">{formatDuration(item.waiting_seconds + elapsed)}</td>
                <td className="nowrap">
                  <UrgencyTag urgency={urgency}>{timeLeftLabel(left === null ? null : Math.round(left))}</UrgencyTag>
                  {item.callback_at ? <span className="cell-sub">{tc.callbackAt(formatWhen(item.callback_at))}</span> : null}
                  {item.failed_callbacks > 0 ? <span className="cell-sub">{tc.failedCallbacks(item.failed_callbacks)}</span> : null}
                </td>
                <td>
                  {mine ? (
                    <strong className="claimed-me">{tc.claimedByMe}</strong>
                  ) : item.claimed_by_name ? (
                    <span className="claimed-other">{item.claimed_by_name}</span>
                  ) : (
                    <span className="muted">{tc.notClaimed}</span>
                  )}
                </td>
                <td className="queue-actions">
                  {item.claimed_by_user_id === null && canClaim(item) ? (
                    <button
                      type="button"
                      className="button button-primary button-small"
                      onClick={() => onClaim(item)}
                      disabled={busy}
                      aria-label={tc.claimLabel(name)}
                      aria-keyshortcuts="P"
                      tabIndex={-1}
                    >
                      {tc.claim}
                    </button>
                  ) : null}
                  {mine ? (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => onRelease(item)}
                      disabled={busy}
                      aria-label={tc.releaseLabel(name)}
                      aria-keyshortcuts="L"
                      tabIndex={-1}
                    >
                      {tc.release}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Ids that appeared since the previous list (not on the first one), for a few seconds. */
export function useFreshIds(items: readonly QueueItem[] | null): ReadonlySet<number> {
  const known = useRef<Set<number> | null>(null);
  const timers = useRef<number[]>([]);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());

  useEffect(() => {
    if (!items) return;
    const ids = new Set(items.map((i) => i.id));
    const previous = known.current;
    known.current = ids;
    if (previous === null) return;
    const added = [...ids].filter((id) => !previous.has(id));
    if (added.length === 0) return;
    setFresh((current) => new Set([...current, ...added]));
    timers.current.push(
      window.setTimeout(() => {
        setFresh((current) => new Set([...current].filter((id) => !added.includes(id))));
      }, NEW_ROW_MS),
    );
  }, [items]);

  useEffect(
    () => () => {
      for (const timer of timers.current) window.clearTimeout(timer);
    },
    [],
  );

  return fresh;
}

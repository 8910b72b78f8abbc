/**
 * The operator console (/regulation): the live queue, shared by every operator. New requests,
 * claims, releases and outcomes arrive over the live socket and the list re-fetches itself.
 */
import { useCallback, useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";

import { useNow } from "../../shell/clock";
import { useUser } from "../../shell/auth";
import { LiveStatusBanner } from "../../shell/live";
import { EmptyState, Page } from "../../shell/Page";
import { OperatorSmsPanels } from "../notifications";
import { PhoneLineBar, PhoneLinePanel } from "../telephony";
import { AlertsSwitch, DEFAULT_VIEW, QueueControls, useArrivalAlerts, viewOf, type QueueView } from "./frontdesk";
import { frontDeskTexts } from "./frontdesk/texts";
import { motifLabel, type QueueItem } from "./model";
import { INTAKE_PATH, REQUEST_PATH } from "./paths";
import { useProtocolDocument } from "./protocol";
import { useQueue } from "./queue";
import { QueueNotices } from "./QueueNotices";
import { QueueTable, useFreshIds } from "./QueueTable";
import { regulationTexts } from "./texts";
import { useQueueActions } from "./useQueueActions";

const t = regulationTexts;
const tc = t.console;

/** Announces new requests to screen readers (the row itself is highlighted for everyone). */
function useArrivalAnnouncement(items: readonly QueueItem[], fresh: ReadonlySet<number>): string {
  const document = useProtocolDocument();
  const [message, setMessage] = useState("");
  useEffect(() => {
    const arrived = items.filter((i) => fresh.has(i.id));
    const last = arrived[arrived.length - 1];
    if (last) setMessage(t.live.newRequest(`${motifLabel(document, last.motif)}, ${last.age_label}`));
  }, [items, fresh, document]);
  return message;
}

export function OperatorHome() {
  const navigate = useNavigate();
  const user = useUser();
  const queue = useQueue();
  const now = useNow();
  const actions = useQueueActions();
  const items = queue.data?.items ?? [];
  const forOperators = items.filter((i) => i.assigned_to === "operator");
  const forRegulators = items.filter((i) => i.assigned_to === "regulator");
  const fresh = useFreshIds(queue.data?.items ?? null);
  const announcement = useArrivalAnnouncement(forOperators, fresh);
  const document = useProtocolDocument();
  const [view, setView] = useState<QueueView>(DEFAULT_VIEW);
  const shown = viewOf(forOperators, view);
  const describe = useCallback((i: QueueItem) => `${motifLabel(document, i.motif)}, ${i.age_label}`, [document]);
  const [alerts, setAlerts] = useArrivalAlerts(forOperators, fresh, describe);

  // "N": a new call, from anywhere on the page except while typing.
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.key.toLowerCase() !== "n") return;
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable='true']")) return;
      event.preventDefault();
      navigate(INTAKE_PATH);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);

  return (
    <Page
      title={tc.title}
      dense
      actions={
        <div className="console-bar">
          <Link to={INTAKE_PATH} className="button button-primary" aria-keyshortcuts="N">
            <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" focusable="false">
              <path d="M12 5v14M5 12h14" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
            </svg>
            {tc.newCall}
            <kbd className="kbd-hint">{tc.newCallShortcut}</kbd>
          </Link>
          <p className="console-count" aria-live="polite">
            {queue.data ? tc.count(forOperators.length) : null}
          </p>
          <PhoneLineBar />
          <LiveStatusBanner />
        </div>
      }
    >
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <QueueNotices queue={queue} actions={actions} />
      <div className="queue-toolbar">
        <QueueControls view={view} onChange={setView} />
        <AlertsSwitch on={alerts} onChange={setAlerts} />
        {shown.length < forOperators.length ? (
          <p className="card-note" role="status">
            {frontDeskTexts.queue.hidden(forOperators.length - shown.length)}
          </p>
        ) : null}
      </div>
      {queue.data ? (
        forOperators.length === 0 ? (
          <EmptyState>{tc.empty}</EmptyState>
        ) : (
          <>
            <QueueTable
              testId="queue"
              items={shown}
              fetchedAt={queue.dataUpdatedAt}
              now={now}
              caption={tc.tableCaption}
              captionHidden
              busyId={actions.busyId}
              onOpen={actions.open}
              onClaim={actions.claim}
              onRelease={actions.release}
              canClaim={() => user.role !== "regulator"}
              fresh={fresh}
            />
            <p className="card-note shortcuts">{tc.shortcuts}</p>
          </>
        )
      ) : null}
      <PhoneLinePanel
        onNewRequest={(number, callId) =>
          navigate(`${INTAKE_PATH}?${new URLSearchParams({ telephone: number, appel: String(callId) })}`)
        }
        onOpenRequest={(requestId) => navigate(REQUEST_PATH(requestId))}
      />
      {forRegulators.length > 0 ? (
        <details className="regulator-section">
          <summary>
            {tc.regulatorSection} ({forRegulators.length})
          </summary>
          <QueueTable
            testId="queue-regulator"
            items={forRegulators}
            fetchedAt={queue.dataUpdatedAt}
            now={now}
            caption={tc.regulatorSectionCaption}
            captionHidden
            busyId={actions.busyId}
            onOpen={actions.open}
            onClaim={actions.claim}
            onRelease={actions.release}
            canClaim={() => user.role !== "operator"}
            fresh={fresh}
          />
        </details>
      ) : null}
      <OperatorSmsPanels />
    </Page>
  );
}

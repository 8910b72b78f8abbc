/** The medical regulator's page (/regulation/avis): requests the operators transferred to them. */
import { useLocation } from "react-router";

import { LiveStatusBanner } from "../../shell/live";
import { EmptyState, ErrorNotice, Loading, Page } from "../../shell/Page";
import { Flash } from "./components";
import { useQueueActions } from "./OperatorHome";
import { QueueTable, useFreshIds } from "./QueueTable";
import { FollowUp15Card } from "./safety";
import type { BackState } from "./RequestPage";
import { regulationTexts } from "./texts";
import { useNow, useQueue } from "./useQueue";

const t = regulationTexts;
const tr = t.regulator;

export function RegulatorHome() {
  const backFlash = (useLocation().state as BackState | null)?.flash ?? null;
  const queue = useQueue("regulator");
  const now = useNow();
  const actions = useQueueActions(queue.reload);
  const items = queue.data?.items ?? [];
  const fresh = useFreshIds(queue.data?.items ?? null);

  return (
    <Page title={tr.title} intro={tr.intro}>
      <div className="console-bar">
        <p className="console-count" aria-live="polite">
          {queue.data ? t.console.count(items.length) : null}
        </p>
        <LiveStatusBanner />
      </div>
      {actions.problem ? (
        <div className="notice notice-error" role="alert">
          <p>{actions.problem}</p>
        </div>
      ) : null}
      {actions.info ? <Flash>{actions.info}</Flash> : backFlash && !actions.problem ? <Flash>{backFlash}</Flash> : null}
      {queue.error && !queue.data ? <ErrorNotice message={queue.error} onRetry={queue.reload} /> : null}
      {queue.loading && !queue.data ? <Loading /> : null}
      {queue.data ? (
        items.length === 0 ? (
          <EmptyState>{tr.empty}</EmptyState>
        ) : (
          <>
            <p className="card-note shortcuts">{t.console.shortcutsNoIntake}</p>
            <QueueTable
              testId="queue"
              items={items}
              fetchedAt={queue.fetchedAt}
              now={now}
              caption={tr.tableCaption}
              captionHidden
              busyId={actions.busyId}
              onOpen={actions.open}
              onClaim={actions.claim}
              onRelease={actions.release}
              canClaim={() => true}
              fresh={fresh}
            />
          </>
        )
      ) : null}
      <FollowUp15Card />
    </Page>
  );
}

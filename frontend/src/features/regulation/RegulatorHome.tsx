/** The medical regulator's page (/regulation/avis): requests the operators transferred to them. */
import { useNow } from "../../shell/clock";
import { LiveStatusBanner } from "../../shell/live";
import { EmptyState, Page } from "../../shell/Page";
import { QueueNotices } from "./QueueNotices";
import { QueueTable, useFreshIds } from "./QueueTable";
import { FollowUp15Card } from "./safety";
import { regulationTexts } from "./texts";
import { useQueueActions } from "./useQueueActions";
import { useQueue } from "./queue";

const t = regulationTexts;
const tr = t.regulator;

export function RegulatorHome() {
  const queue = useQueue("regulator");
  const now = useNow();
  const actions = useQueueActions();
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
      <QueueNotices queue={queue} actions={actions} />
      {queue.data ? (
        items.length === 0 ? (
          <EmptyState>{tr.empty}</EmptyState>
        ) : (
          <>
            <p className="card-note shortcuts">{t.console.shortcutsNoIntake}</p>
            <QueueTable
              testId="queue"
              items={items}
              fetchedAt={queue.dataUpdatedAt}
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

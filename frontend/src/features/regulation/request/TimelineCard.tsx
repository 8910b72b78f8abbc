/** The request's history, newest last. */
import { formatDateTime } from "../../../shell/format";
import { formatWhen, type RequestOut } from "../model";
import { regulationTexts } from "../texts";
import { timelineDetail } from "./timeline";

const t = regulationTexts;

export function TimelineCard({ request }: { request: RequestOut }) {
  const tt = t.timeline;
  return (
    <section className="card" aria-labelledby="historique-title">
      <h2 id="historique-title">{tt.title}</h2>
      {request.timeline.length === 0 ? (
        <p className="muted">{tt.empty}</p>
      ) : (
        <ol className="timeline">
          {request.timeline.map((entry, i) => {
            const extra = timelineDetail(entry.kind, entry.detail);
            return (
              <li key={i} className={`timeline-${entry.kind}`}>
                <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                  {formatWhen(entry.at)}
                </time>
                <p>
                  <strong>{tt.kinds[entry.kind] ?? entry.kind}</strong>
                  {extra ? ` : ${extra}` : ""}
                </p>
                <p className="cell-sub">{tt.by(entry.actor_name)}</p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

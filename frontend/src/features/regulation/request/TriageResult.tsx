/** What the triage decided: priority, deadline, orientation, and the protocol's advice. */
import { PriorityBadge } from "../components";
import { adviceFor, formatWhen, type Orientation, type Priority, type ProtocolCurrent, type RequestOut } from "../model";
import { regulationTexts } from "../texts";

const t = regulationTexts;

export function TriageResult({
  request,
  protocol,
  advice,
  highlight,
}: {
  request: RequestOut;
  protocol: ProtocolCurrent | null;
  advice: string | null;
  highlight: boolean;
}) {
  const tr = t.result;
  const document = protocol?.document ?? null;
  const band = document?.age_bands.find((b) => b.id === request.age_band);
  const shownAdvice =
    advice ?? (protocol && request.protocol_version === protocol.number ? adviceFor(document, request.triage_rule) : null);
  return (
    <div className={`triage-result${highlight ? " triage-result-new" : ""}`} role={highlight ? "status" : undefined}>
      <dl className="facts facts-result">
        <div>
          <dt>{tr.priority}</dt>
          <dd>
            <PriorityBadge priority={(request.priority as Priority | null) ?? null} />{" "}
            {request.priority ? t.labels.priority[request.priority as Priority] : null}
          </dd>
        </div>
        <div>
          <dt>{tr.deadline}</dt>
          <dd>{request.deadline_at ? formatWhen(request.deadline_at) : t.labels.none}</dd>
        </div>
        <div>
          <dt>{tr.orientation}</dt>
          <dd>{request.orientation ? t.labels.orientation[request.orientation as Orientation] : t.labels.none}</dd>
        </div>
        {request.callback_at ? (
          <div>
            <dt>{tr.callbackAt}</dt>
            <dd>{formatWhen(request.callback_at)}</dd>
          </div>
        ) : null}
      </dl>
      {shownAdvice ? (
        <p className="notice notice-info">
          <strong>{tr.advice} :</strong> {shownAdvice}
        </p>
      ) : null}
      <details className="card-note">
        <summary>{tr.details}</summary>
        {tr.version} {request.protocol_version ?? "—"} · {tr.rule} <code>{request.triage_rule ?? "—"}</code>
        {band ? ` · ${band.label}` : ""}
      </details>
    </div>
  );
}

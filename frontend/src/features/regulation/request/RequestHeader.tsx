/** The request's priority, motif, origin, status and time left. */
import { useNow } from "../../../shell/clock";
import { PriorityBadge, UrgencyTag } from "../components";
import { displayPhone, formatWhen, motifLabel, OPEN_STATUSES, timeLeftLabel, urgencyOf, type Priority, type RequestOut } from "../model";
import { useProtocolDocument } from "../protocol";
import { frontDeskTexts } from "../frontdesk/texts";
import { regulationTexts } from "../texts";

const t = regulationTexts;
const td = t.detail;

export function RequestHeader({ request }: { request: RequestOut }) {
  const now = useNow(15_000);
  const document = useProtocolDocument();
  const left = request.deadline_at ? Math.round((Date.parse(request.deadline_at) - now) / 1000) : null;
  const open = OPEN_STATUSES.has(request.status) && request.status !== "oriented";
  return (
    <div className="request-head">
      <PriorityBadge priority={(request.priority as Priority | null) ?? null} />
      <div className="request-head-main">
        <p className="request-motif">{motifLabel(document, request.motif)}</p>
        <p className="muted">
          {request.age_label} · {t.labels.origin[request.origin]}
          {request.referrer_structure ? ` · ${request.referrer_structure}` : ""} · {td.receivedAt} {formatWhen(request.received_at)}
        </p>
        {request.referrer_phone ? (
          <p className="muted" data-testid="referrer-phone">
            {frontDeskTexts.referrer.reach}{" "}
            <a href={`tel:${request.referrer_phone}`}>{displayPhone(request.referrer_phone)}</a>
          </p>
        ) : null}
      </div>
      <div className="request-head-side">
        <span className={`status-pill status-${request.status}`}>{t.labels.status[request.status]}</span>
        {open && request.deadline_at ? (
          <UrgencyTag urgency={urgencyOf(left)}>
            {timeLeftLabel(left)} ({formatWhen(request.deadline_at)})
          </UrgencyTag>
        ) : null}
      </div>
    </div>
  );
}

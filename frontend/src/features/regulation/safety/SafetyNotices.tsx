/**
 * The safety notices of a request, at the top of its page: red-flag words found in the free
 * text, "back to triage" (age, sex or motif changed, appointment cancelled) and "regulator's
 * advice awaited". The server enforces each; these say why an action is refused.
 */
import type { Schemas } from "../../../api";
import { Notice } from "../../../ui";
import { safetyTexts as t } from "./texts";
import "./safety.css";

type RequestOut = Schemas["RequestOut"];

const OPEN = new Set(["received", "waiting", "claimed", "oriented"]);

export function SafetyNotices({ request }: { request: RequestOut }) {
  const open = OPEN.has(request.status);
  const flags = request.free_text_flags ?? [];
  return (
    <div className="safety-notices" data-testid="safety-notices">
      {request.free_text_warning ? (
        <Notice tone="warning" block className="safety-free-text">
          <h2 className="notice-title">{t.freeText.title}</h2>
          <p>{request.free_text_warning}</p>
          {flags.length > 0 ? <p className="cell-sub">{t.freeText.words(flags.map((f) => f.words.join(", ")).join(" ; "))}</p> : null}
        </Notice>
      ) : null}
      {open && request.retriage_reason && request.triaged_at === null ? (
        <Notice tone="warning" block className="safety-retriage">
          <h2 className="notice-title">{t.retriage.title}</h2>
          <p>{t.retriage.body(request.retriage_reason)}</p>
        </Notice>
      ) : null}
      {open && request.awaiting_regulator ? (
        <Notice tone="info" block className="safety-awaiting-regulator">
          <h2 className="notice-title">{t.awaitingRegulator.title}</h2>
          <p>{t.awaitingRegulator.body}</p>
        </Notice>
      ) : null}
    </div>
  );
}

/** The one-line detail of a history entry, from its kind and the server's `detail`. */
import { type CallbackResult, formatWhen, type Orientation, type Outcome } from "../model";
import { regulationTexts } from "../texts";

const t = regulationTexts;

export function timelineDetail(kind: string, detail: Record<string, unknown> | null): string | null {
  if (!detail) return null;
  const tt = t.timeline;
  const str = (key: string) => (typeof detail[key] === "string" ? (detail[key] as string) : null);
  switch (kind) {
    case "received": {
      const origin = str("origin");
      return origin && origin in t.labels.origin ? t.labels.origin[origin as keyof typeof t.labels.origin] : origin;
    }
    case "triaged": {
      const parts = [str("priority"), str("orientation") ? t.labels.orientation[str("orientation") as Orientation] : null];
      if (typeof detail.protocol_version === "number") parts.push(tt.protocolVersion(detail.protocol_version));
      return parts.filter(Boolean).join(" · ");
    }
    case "red_flag":
      return str("flag_text");
    case "referrer_answers":
      return tt.referrerAnswers(count(detail.yes), count(detail.no));
    case "referrer_answers_reviewed":
      return tt.referrerReviewed(count(detail.confirmed), count(detail.changed), count(detail.unanswered));
    case "closed": {
      const outcome = str("outcome");
      return outcome && outcome in t.labels.outcome ? t.labels.outcome[outcome as Outcome] : outcome;
    }
    case "callback": {
      const result = str("result");
      return result && result in t.labels.callbackResult ? t.labels.callbackResult[result as CallbackResult] : result;
    }
    case "released":
      return str("reason") === "stale" ? tt.staleRelease : null;
    case "transferred":
      return str("note");
    case "oriented": {
      const orientation = str("orientation");
      return orientation && orientation in t.labels.orientation ? t.labels.orientation[orientation as Orientation] : orientation;
    }
    case "slot_held": {
      const kind = str("consultation");
      return kind && kind in t.candidates.kinds ? t.candidates.kinds[kind as keyof typeof t.candidates.kinds] : null;
    }
    case "escalated": {
      const n = typeof detail.effectors === "number" ? t.escalation.effectors(detail.effectors) : null;
      const step = str("step");
      return [step ? (t.escalation.steps[step] ?? step) : null, n].filter(Boolean).join(" · ") || null;
    }
    case "to_rebook":
      return str("cause");
    case "appointment_moved": {
      const from = str("from_start_at");
      const to = str("to_start_at");
      return from && to ? tt.moved(formatWhen(from), formatWhen(to), str("reason")) : null;
    }
    case "updated":
      return Array.isArray(detail.fields) ? detail.fields.join(", ") : null;
    default:
      return null;
  }
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

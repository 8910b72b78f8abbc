/**
 * The operator's reason for handing a request to the medical regulators, on top of the request
 * (it used to be buried in the timeline): who, when, and the message.
 */
import { formatWhen, type RequestOut } from "../model";
import { Notice } from "../../../ui";
import { frontDeskTexts } from "./texts";

const t = frontDeskTexts.transfer;

export function TransferReason({ request }: { request: RequestOut }) {
  if (request.assigned_to !== "regulator") return null;
  const last = [...request.timeline].reverse().find((e) => e.kind === "transferred");
  if (!last) return null;
  const note = typeof last.detail?.note === "string" && last.detail.note.trim() ? last.detail.note : null;
  return (
    <Notice tone="info" block>
      <p>
        <strong>{t.title(last.actor_name, formatWhen(last.at))}</strong>
      </p>
      <p data-testid="transfer-reason">{note ?? t.noNote}</p>
    </Notice>
  );
}

/** The regulators' « suivi 15 » list: requests sent to the 15 and redirects recorded without a
 * request, in one list: the requests whose transfer is not recorded first (they need an
 * action), then everything else newest first. */
import type { Schemas } from "../../../api";
import { parseApiDate } from "../../../shell/format";

export type FollowUpPage = Schemas["FollowUpPage"];
export type FollowUpRow =
  | { kind: "request"; key: string; at: string | null; item: Schemas["FollowUpItem"] }
  | { kind: "redirect"; key: string; at: string; item: Schemas["FollowUpRedirect"] };

function time(at: string | null): number {
  return at === null ? 0 : parseApiDate(at).getTime();
}

export function followUpRows(page: FollowUpPage): FollowUpRow[] {
  const requests: FollowUpRow[] = page.items.map((item) => ({ kind: "request", key: `request-${item.id}`, at: item.closed_at ?? null, item }));
  const redirects: FollowUpRow[] = page.redirects.map((item) => ({ kind: "redirect", key: `redirect-${item.id}`, at: item.recorded_at, item }));
  const toRecord = requests.filter((row) => row.kind === "request" && !row.item.transfer_recorded);
  const rest = [...requests.filter((row) => !toRecord.includes(row)), ...redirects];
  rest.sort((a, b) => time(b.at) - time(a.at));
  return [...toRecord, ...rest];
}

/** What is known of a redirect's patient: the names given, or a plain « identity unknown ». */
export function knownIdentity(item: Schemas["FollowUpRedirect"], unknown: string): string {
  const parts = [item.family_name?.toUpperCase(), item.given_name].filter((part): part is string => Boolean(part));
  return parts.length ? parts.join(" ") : unknown;
}

/**
 * The regulators' follow-up of the calls sent to the 15: those whose transfer is not recorded
 * come first. The redirects recorded with only what was known (no request) are listed too,
 * marked as such: what is known, the red flag, who recorded it and when (the record says the
 * patient was told to call the 15). Re-fetched live when a request changes or a redirect is
 * recorded.
 */
import { Link } from "react-router";

import { api, useApiQuery } from "../../../api";
import { formatDateTime } from "../../../shell/format";
import { useLiveInvalidation } from "../../../shell/live";
import { Card, EmptyState } from "../../../shell/Page";
import { Loaded } from "../../../ui";
import { REQUEST_PATH } from "../paths";
import { regulationKeys } from "../queryKeys";
import { regulationTexts } from "../texts";
import { type FollowUpRow, followUpRows, knownIdentity } from "./followUp";
import { safetyTexts } from "./texts";

const t = safetyTexts.followUp;
const KEY = regulationKeys.followUp15;

export function FollowUp15Card() {
  const query = useApiQuery(KEY, (signal) => api.GET("/api/regulation/follow-up", { signal }));
  useLiveInvalidation([KEY], (message) => message.type.startsWith("request.") || message.type.startsWith("redirect_15."));
  return (
    <Card title={t.title} id="suivi-15">
      <Loaded query={query}>
        {(page) =>
          page.items.length === 0 && page.redirects.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <>
              <p className="card-note">{t.intro(page.days)}</p>
              <div className="table-scroll" data-testid="follow-up-15">
                <table>
                  <caption className="visually-hidden">{t.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.patient}</th>
                      <th scope="col">{t.reason}</th>
                      <th scope="col">{t.when}</th>
                      <th scope="col">{t.transfer}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t.open}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {followUpRows(page).map((row) => (row.kind === "request" ? <RequestRow key={row.key} row={row} /> : <RedirectRow key={row.key} row={row} />))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Loaded>
    </Card>
  );
}

function RequestRow({ row: { item } }: { row: Extract<FollowUpRow, { kind: "request" }> }) {
  return (
    <tr>
      <th scope="row">
        {item.family_name.toUpperCase()} {item.given_name}
        <span className="cell-sub">{item.age_label}</span>
      </th>
      <td>{item.red_flag_text ?? "—"}</td>
      <td>{item.closed_at ? formatDateTime(item.closed_at) : "—"}</td>
      <td>
        {item.transfer_recorded ? (
          <>
            {item.transfer_15_label}
            <span className="cell-sub">
              {item.transfer_15_at ? formatDateTime(item.transfer_15_at) : ""} · {item.transfer_15_by_name}
            </span>
          </>
        ) : (
          <strong className="tag tag-alert">{safetyTexts.transfer.missing}</strong>
        )}
      </td>
      <td>
        <Link to={REQUEST_PATH(item.id)}>{t.open}</Link>
      </td>
    </tr>
  );
}

/** A redirect recorded without a request: nothing to open, the record is the whole story. */
function RedirectRow({ row: { item } }: { row: Extract<FollowUpRow, { kind: "redirect" }> }) {
  const known = [item.age_label, item.phone_display, item.origin === "patient_call" ? null : regulationTexts.labels.origin[item.origin]].filter(Boolean);
  return (
    <tr data-testid="follow-up-redirect">
      <th scope="row">
        {knownIdentity(item, t.unknownIdentity)}{" "}
        <span className="tag" title={t.redirectHint}>
          {t.redirectTag}
        </span>
        {known.length ? <span className="cell-sub">{known.join(" · ")}</span> : null}
        {item.note ? <span className="cell-sub">{item.note}</span> : null}
      </th>
      <td>
        {item.red_flag_text}
        <span className="cell-sub">{item.priority}</span>
      </td>
      <td>{formatDateTime(item.recorded_at)}</td>
      <td>
        {item.transfer_15_label}
        <span className="cell-sub">{t.recordedBy(item.recorded_by_name)}</span>
      </td>
      <td />
    </tr>
  );
}

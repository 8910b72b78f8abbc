/**
 * "Mes orientations" (/orientations): the referrer's own referrals, newest first, with their
 * status and outcome, re-fetched live when the server reports a change to one of them; each
 * opens its follow-up page (the doctor, the place and the time once booked).
 */
import { Link, useLocation } from "react-router";

import { api, useApiQuery } from "../../api";
import { LiveStatusBanner, useLiveInvalidation } from "../../shell/live";
import { EmptyState, Page } from "../../shell/Page";
import { Loaded, Notice } from "../../ui";
import { formatWhen, motifLabel, type ReferralOut } from "./model";
import { NEW_REFERRAL_PATH, REFERRAL_PATH } from "./paths";
import { useProtocolDocument } from "./protocol";
import type { ReferralsBackState } from "./ReferralPage";
import { regulationKeys } from "./queryKeys";
import { regulationTexts } from "./texts";
import { isRequestEvent } from "./queue";

const t = regulationTexts;
const tm = t.myReferrals;

function statusClass(r: ReferralOut): string {
  if (r.call_15) return "ref-status-15";
  if (r.status === "oriented" || r.outcome === "slot_booked") return "ref-status-booked";
  if (r.status === "closed") return "ref-status-closed";
  return "ref-status-open";
}

export function ReferrerHome() {
  const location = useLocation();
  const flash = (location.state as ReferralsBackState | null)?.flash;
  const document = useProtocolDocument();
  const referrals = useApiQuery(regulationKeys.myReferrals, (signal) =>
    api.GET("/api/regulation/referrals/mine", { params: { query: { limit: 100 } }, signal }),
  );
  // The server tells a referrer about their own requests only; any of them changing: re-read.
  useLiveInvalidation([regulationKeys.myReferrals], isRequestEvent);

  return (
    <Page title={tm.title} intro={tm.intro}>
      <div className="console-bar">
        <Link to={NEW_REFERRAL_PATH} className="button button-primary button-large">
          <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" focusable="false">
            <path d="M12 5v14M5 12h14" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
          </svg>
          {tm.newReferral}
        </Link>
        <LiveStatusBanner />
      </div>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Loaded query={referrals}>
        {({ items, total }) =>
          items.length === 0 ? (
            <EmptyState>{tm.empty}</EmptyState>
          ) : (
            <>
              <p className="card-note">{tm.total(total)}</p>
              <ul className="referral-list" aria-label={tm.listLabel}>
                {items.map((r) => (
                  <li key={r.id} className={`referral-item ${statusClass(r)}`} data-testid="referral">
                    <div className="referral-item-head">
                      <p className="referral-name">
                        <Link to={REFERRAL_PATH(r.id)} className="referral-open">
                          {r.given_name} {r.family_name.toUpperCase()}
                        </Link>
                      </p>
                      <span className="referral-status">{r.status_label}</span>
                    </div>
                    <p className="muted">
                      {r.motif ? `${motifLabel(document, r.motif)} · ` : ""}
                      {tm.sentAt(formatWhen(r.received_at))}
                    </p>
                    {r.outcome_label ? (
                      <p className="referral-outcome">
                        {tm.outcome} : <strong>{r.outcome_label}</strong>
                      </p>
                    ) : null}
                    {r.consultation_at ? <p className="referral-outcome">{tm.consultation(formatWhen(r.consultation_at))}</p> : null}
                    {r.call_15 && r.message ? <p className="referral-15">{r.message}</p> : null}
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </Loaded>
    </Page>
  );
}

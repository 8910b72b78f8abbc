/**
 * The coordinator's supervision page (/coordination/supervision): the queue's health at a
 * glance, from one aggregated endpoint, and the phone line's beside it (the telephony feature's
 * card), both refreshed by the live channel (never polled).
 */
import { Link } from "react-router";

import { api, useApiQuery } from "../../../api";
import { LiveStatusBanner, useLiveInvalidation } from "../../../shell/live";
import { Page } from "../../../shell/Page";
import { FigureTile, FigureTiles } from "../../../ui";
import { LineHealthCard } from "../../telephony";
import { PriorityBadge } from "../components";
import { formatDuration } from "../model";
import { REQUEST_PATH } from "../paths";
import { isRequestEvent } from "../queue";
import { regulationKeys } from "../queryKeys";
import { frontDeskTexts } from "./texts";
import "./frontdesk.css";

const t = frontDeskTexts.supervision;
type Figure = keyof typeof t.figures;
const FIGURES: readonly Figure[] = ["received", "triaged", "booked", "redirected_15", "closed"];

export function SupervisionPage() {
  const key = regulationKeys.supervision;
  const query = useApiQuery(key, (signal) => api.GET("/api/regulation/supervision", { signal }));
  useLiveInvalidation([key], isRequestEvent);
  const health = query.data;

  return (
    <Page title={t.title} intro={t.intro}>
      <LiveStatusBanner />
      {health ? (
        <>
          <FigureTiles>
            <FigureTile label={t.waiting} value={health.waiting} testId="supervision-waiting" />
            <FigureTile
              label={t.oldest}
              value={health.oldest_wait_seconds === null || health.oldest_wait_seconds === undefined ? t.none : formatDuration(health.oldest_wait_seconds)}
              testId="supervision-oldest"
            />
            <FigureTile label={t.overdue} value={health.overdue} testId="supervision-overdue" alert={health.overdue > 0} />
            <FigureTile label={t.dueSoon} value={health.due_within_30_min} testId="supervision-due-soon" alert={health.due_within_30_min > 0} />
            <FigureTile label={t.awaitingRegulator} value={health.awaiting_regulator} testId="supervision-regulator" />
          </FigureTiles>
          <LineHealthCard />
          <section className="card" aria-labelledby="supervision-priority">
            <h2 id="supervision-priority">{t.byPriority}</h2>
            <ul className="supervision-list" data-testid="supervision-by-priority">
              {health.by_priority.map((load) => (
                <li key={load.priority ?? "none"}>
                  <PriorityBadge priority={load.priority ?? null} /> : {load.waiting} ·{" "}
                  {t.since(formatDuration(load.oldest_wait_seconds))}
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="supervision-claims">
            <h2 id="supervision-claims">{t.claims}</h2>
            {health.claims.length === 0 ? (
              <p>{t.noClaims}</p>
            ) : (
              <ul className="supervision-list" data-testid="supervision-claims">
                {health.claims.map((claim) => (
                  <li key={claim.request_id}>
                    <Link to={REQUEST_PATH(claim.request_id)}>{t.request(claim.request_id)}</Link> — {claim.claimed_by_name ?? t.none}
                    {claim.assigned_to === "regulator" ? ` (${t.regulator})` : ""} · {t.since(formatDuration(claim.claimed_for_seconds))}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="supervision-today">
            <h2 id="supervision-today">{t.today}</h2>
            <FigureTiles>
              {FIGURES.map((figure) => (
                <FigureTile key={figure} label={t.figures[figure]} value={health.today[figure]} testId={`supervision-today-${figure}`} />
              ))}
            </FigureTiles>
          </section>
        </>
      ) : null}
    </Page>
  );
}

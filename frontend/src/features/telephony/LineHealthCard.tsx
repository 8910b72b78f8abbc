/**
 * The phone line's health on the coordinator's supervision page, beside the queue's: calls
 * waiting and the longest wait, operators available or on a call, today's calls answered /
 * abandoned / answered within 60 s, and the callers to call back. Counts only (no number).
 * Re-read on every `voice.*` live event; the waits keep counting in between.
 */
import { api, useApiQuery } from "../../api";
import { useNow } from "../../shell/clock";
import { useLiveInvalidation } from "../../shell/live";
import { Card } from "../../shell/Page";
import { FigureTile, FigureTiles, Loaded } from "../../ui";
import { agedSeconds, type LineHealth } from "./model";
import { telephonyKeys } from "./queryKeys";
import { formatSeconds, telephonyTexts } from "./texts";
import "./telephony.css";

const t = telephonyTexts.health;

function wait(seconds: number | null): string {
  return seconds === null ? t.none : formatSeconds(seconds);
}

function Figures({ health }: { health: LineHealth }) {
  const now = useNow(1_000);
  const longest = agedSeconds(health.longest_wait_seconds, health.generated_at, now);
  const oldestCallback = agedSeconds(health.oldest_callback_seconds, health.generated_at, now);
  return (
    <div data-testid="line-health">
      <p className="line-health-state">{health.open_now ? t.open : t.closed}</p>
      <FigureTiles>
        <FigureTile label={t.waiting} value={health.waiting} testId="line-waiting" alert={health.waiting > 0} />
        <FigureTile label={t.longest} value={wait(longest)} testId="line-longest" alert={(longest ?? 0) > 60} />
        <FigureTile label={t.available} value={health.operators_available} testId="line-available" alert={health.waiting > 0 && health.operators_available === 0} />
        <FigureTile
          label={t.onCall}
          value={health.operators_wrap_up > 0 ? `${health.operators_on_call} (${t.wrapUp(health.operators_wrap_up)})` : health.operators_on_call}
          testId="line-on-call"
        />
        <FigureTile label={t.callbacks} value={health.callbacks_pending} testId="line-callbacks" />
        <FigureTile label={t.oldestCallback} value={wait(oldestCallback)} testId="line-oldest-callback" />
      </FigureTiles>
      <h3 className="line-health-today">{t.today}</h3>
      <FigureTiles>
        <FigureTile label={t.received} value={health.today.received} testId="line-today-received" />
        <FigureTile label={t.answered} value={health.today.answered} testId="line-today-answered" />
        <FigureTile label={t.quick} value={health.today.answered_within_60s} testId="line-today-quick" />
        <FigureTile label={t.abandoned} value={health.today.abandoned} testId="line-today-abandoned" />
      </FigureTiles>
    </div>
  );
}

export function LineHealthCard() {
  const key = telephonyKeys.lineHealth;
  const query = useApiQuery(key, (signal) => api.GET("/api/voice/line-health", { signal }));
  useLiveInvalidation([key], (message) => message.type.startsWith("voice."));
  return (
    <Card title={t.title} id="supervision-line">
      <Loaded query={query}>{(health) => <Figures health={health} />}</Loaded>
    </Card>
  );
}

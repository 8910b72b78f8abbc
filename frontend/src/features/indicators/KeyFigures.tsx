/** The key figures block, shared by the dashboard and the annual report. */
import type { Schemas } from "../../api/client";
import { formatNumber } from "../../shell/format";
import { indicatorsTexts as t } from "./texts";

type Dashboard = Schemas["Dashboard"];

type FigureId = keyof typeof t.definitions;

function Figure({ label, value, note, id }: { label: string; value: string; note?: string; id: FigureId }) {
  const definition = t.definitions[id];
  return (
    <div className="ind-figure" data-figure={id}>
      <dt>
        {label}{" "}
        <abbr className="ind-help" title={definition} aria-label={t.key.helpLabel(definition)} tabIndex={0}>
          ?
        </abbr>
      </dt>
      <dd>
        <span className="ind-value">{value}</span>
        {note ? <span className="ind-note">{note}</span> : null}
      </dd>
    </div>
  );
}

export function KeyFigures({ dashboard: d }: { dashboard: Dashboard }) {
  const k = t.key;
  const growth = d.national.growth_percent;
  return (
    <dl className="ind-figures">
      <Figure
        id="consultations"
        label={k.consultations}
        value={formatNumber(d.national.consultations)}
        note={
          (growth === null || growth === undefined ? k.noGrowth : k.growth(t.signedPercent(growth))) +
          (d.national.partial ? ` — ${k.partial}` : "")
        }
      />
      <Figure id="requests" label={k.requests} value={formatNumber(d.requests.total)} />
      <Figure id="within24" label={k.within24} value={t.percent(d.delays.share_24h_percent)} />
      <Figure id="within48" label={k.within48} value={t.percent(d.delays.share_48h_percent)} />
      <Figure id="median" label={k.median} value={t.minutes(d.delays.median_minutes)} note={`${k.p90} : ${t.minutes(d.delays.p90_minutes)}`} />
      <Figure id="callback" label={k.callback} value={t.minutes(d.delays.callback_median_minutes)} />
      <Figure
        id="fill"
        label={k.fill}
        value={t.percent(d.slots.fill_rate_percent)}
        note={k.offered(
          formatNumber(d.slots.offered),
          formatNumber(d.slots.offered_recurring),
          formatNumber(d.slots.offered_imported),
        )}
      />
      <Figure id="noshow" label={k.noshow} value={t.percent(d.slots.noshow_rate_percent)} />
      <Figure
        id="ed"
        label={k.edAvoided}
        value={formatNumber(d.emergency.ed_visits_avoided)}
        note={k.edReferrals(formatNumber(d.emergency.ed_referrals), formatNumber(d.emergency.ed_referrals_handled_in_town))}
      />
      <Figure id="fee" label={k.snpFee} value={formatNumber(d.snp_fee.eligible)} />
      {d.satisfaction.answers > 0 && d.satisfaction.average !== null && d.satisfaction.average !== undefined ? (
        <Figure
          id="satisfaction"
          label={k.satisfaction}
          value={`${d.satisfaction.average.toLocaleString("fr-FR")} / 5`}
          note={`${formatNumber(d.satisfaction.answers)} réponses`}
        />
      ) : null}
    </dl>
  );
}

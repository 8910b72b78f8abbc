/**
 * One of the referrer's own referrals (/orientations/:id): its status and, once booked, the
 * doctor, the place, the date and time (Europe/Paris); or what became of it (sent to the 15,
 * closed and why). Re-read live; laid out for a phone first.
 */
import { Link, useParams } from "react-router";

import { api, useApiQuery } from "../../api";
import { LiveStatusBanner, useLiveInvalidation } from "../../shell/live";
import { Page } from "../../shell/Page";
import { Loaded } from "../../ui";
import { motifLabel, parisDay, type ReferralOut } from "./model";
import { REFERRALS_PATH } from "./paths";
import { useProtocolDocument } from "./protocol";
import { regulationKeys } from "./queryKeys";
import { isRequestEvent } from "./queue";
import { regulationTexts } from "./texts";
import { parseApiDate, formatClock } from "../../shell/format";

const t = regulationTexts;
const td = t.myReferral;

const PARIS_LONG_DAY = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});

/** « mardi 8 décembre 2026 à 14:30 » in Paris time. */
function longWhen(value: string): string {
  const date = parseApiDate(value);
  return td.when(PARIS_LONG_DAY.format(date), formatClock(date));
}

type Appointment = NonNullable<ReferralOut["appointment"]>;

export function ReferralDetailPage() {
  const referralId = Number(useParams().referralId);
  const key = regulationKeys.myReferral(referralId);
  const query = useApiQuery(key, (signal) =>
    api.GET("/api/regulation/referrals/{request_id}", { params: { path: { request_id: referralId } }, signal }),
  );
  useLiveInvalidation([key], isRequestEvent);
  const title = query.data ? td.title(query.data.given_name, query.data.family_name) : td.loadingTitle;
  return (
    <Page title={title}>
      <div className="console-bar">
        <Link to={REFERRALS_PATH} className="button button-secondary">
          {td.back}
        </Link>
        <LiveStatusBanner />
      </div>
      <Loaded query={query}>{(referral) => <ReferralDetail referral={referral} />}</Loaded>
    </Page>
  );
}

function ReferralDetail({ referral }: { referral: ReferralOut }) {
  const document = useProtocolDocument();
  const appointment = referral.appointment ?? null;
  return (
    <div className="referral-detail">
      <section className="card" aria-labelledby="referral-status-title">
        <h2 id="referral-status-title">{td.statusTitle}</h2>
        <dl>
          <dt>{td.status}</dt>
          <dd data-testid="referral-status">{referral.status_label}</dd>
          <dt>{td.sent}</dt>
          <dd>{longWhen(referral.received_at)}</dd>
          {referral.motif ? (
            <>
              <dt>{td.motif}</dt>
              <dd>{motifLabel(document, referral.motif)}</dd>
            </>
          ) : null}
          {referral.outcome_label ? (
            <>
              <dt>{td.outcome}</dt>
              <dd>{referral.outcome_label}</dd>
            </>
          ) : null}
          {referral.closed_at ? (
            <>
              <dt>{td.closedAt}</dt>
              <dd>{longWhen(referral.closed_at)}</dd>
            </>
          ) : null}
        </dl>
        {referral.call_15 && referral.message ? <p className="referral-15">{referral.message}</p> : null}
      </section>
      {appointment ? <AppointmentCard appointment={appointment} /> : null}
      {!appointment && !referral.closed_at ? <p className="card-note">{td.pending}</p> : null}
    </div>
  );
}

function AppointmentCard({ appointment }: { appointment: Appointment }) {
  const place = [appointment.address_line, [appointment.postal_code, appointment.city].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(", ");
  const today = parisDay(new Date()) === parisDay(parseApiDate(appointment.start_at));
  return (
    <section className="card" aria-labelledby="referral-appointment-title" data-testid="referral-appointment">
      <h2 id="referral-appointment-title">{td.appointmentTitle}</h2>
      <dl>
        <dt>{td.appointmentStatus}</dt>
        <dd>{appointment.status_label}</dd>
        <dt>{td.when_}</dt>
        <dd>
          <strong>{longWhen(appointment.start_at)}</strong>
          {today ? ` (${td.today})` : ""}
        </dd>
        <dt>{td.doctor}</dt>
        <dd>{appointment.practitioner}</dd>
        <dt>{td.kind}</dt>
        <dd>{td.kinds[appointment.kind as keyof typeof td.kinds] ?? appointment.kind}</dd>
        {appointment.site_name ? (
          <>
            <dt>{td.place}</dt>
            <dd>
              {appointment.site_name}
              {place ? (
                <>
                  <br />
                  {place}
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        <dt>{td.phone}</dt>
        <dd>
          <a href={`tel:${appointment.practitioner_phone.replace(/\s/g, "")}`}>{appointment.practitioner_phone}</a>
        </dd>
      </dl>
    </section>
  );
}

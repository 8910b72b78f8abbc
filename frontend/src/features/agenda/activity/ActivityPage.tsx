/**
 * « Mon activité »: what the GP did through the CPTS — this month's consultations, acts eligible
 * to the SNP fee and hours offered at a glance, then the month-by-month statement (the
 * compensation statement itself comes with the ACI) and the consultation log.
 */
import { api, useApiQuery } from "../../../api";
import { Page } from "../../../shell/Page";
import { Loaded } from "../../../ui";
import { AgendaTabs } from "../AgendaTabs";
import { ConsultationLogCard } from "../ConsultationLog";
import { WithMyProfile } from "../me";
import { MyCompensationStatement } from "../MyCompensationStatement";
import { agendaTexts } from "../texts";
import "../agenda.css";

const t = agendaTexts.activity;

export function ActivityPage() {
  return (
    <Page title={t.title} intro={t.intro}>
      <AgendaTabs />
      <WithMyProfile>
        {() => (
          <>
            <ThisMonth />
            <MyCompensationStatement />
            <ConsultationLogCard showEffector={false} />
          </>
        )}
      </WithMyProfile>
    </Page>
  );
}

function ThisMonth() {
  const now = new Date();
  const year = now.getFullYear();
  const statement = useApiQuery(["agenda", "my-statement", year], (signal) =>
    api.GET("/api/indicators/my-statement", { params: { query: { year } }, signal }),
  );
  return (
    <section className="card" aria-labelledby="ag-this-month">
      <h2 id="ag-this-month">{t.thisMonth}</h2>
      <Loaded query={statement}>
        {(s) => {
          const line = s.lines[now.getMonth()];
          const figures: [string, number][] = [
            [t.consultations, line?.consultations ?? 0],
            [t.eligible, line?.fee_eligible ?? 0],
            [t.hours, line?.hours_with_slots ?? 0],
          ];
          return (
            <dl className="ag-figures">
              {figures.map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          );
        }}
      </Loaded>
    </section>
  );
}

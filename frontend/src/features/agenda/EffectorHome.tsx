/** The effector's home: consultations to report, their week of SNP slots and their next patients. */
import { lazy, Suspense } from "react";

import { Page } from "../../shell/Page";
import { Loading } from "../../ui";
import { AgendaTabs } from "./AgendaTabs";
import { ConsultationLogCard, TodayConsultations, UnreportedConsultations } from "./ConsultationLog";
import { WithMyProfile } from "./me";
import { MyCompensationStatement } from "./MyCompensationStatement";
import { agendaTexts } from "./texts";
import "./agenda.css";

const WeekAgenda = lazy(() => import("./WeekAgenda"));

const t = agendaTexts.effectorHome;

export function EffectorHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <AgendaTabs />
      <WithMyProfile>
        {(me) => (
          <>
            <UnreportedConsultations showEffector={false} hideWhenEmpty />
            <TodayConsultations effectorId={me.id} />
            <Suspense fallback={<Loading />}>
              <WeekAgenda me={me} />
            </Suspense>
            <ConsultationLogCard showEffector={false} />
            <MyCompensationStatement />
          </>
        )}
      </WithMyProfile>
    </Page>
  );
}

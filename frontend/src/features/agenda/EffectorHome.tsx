/** The effector's home: their week of SNP slots and their next patients. */
import { lazy, Suspense } from "react";

import { Loading, Page } from "../../shell/Page";
import { AgendaTabs } from "./AgendaTabs";
import { WithMyProfile } from "./me";
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
          <Suspense fallback={<Loading />}>
            <WeekAgenda me={me} />
          </Suspense>
        )}
      </WithMyProfile>
    </Page>
  );
}

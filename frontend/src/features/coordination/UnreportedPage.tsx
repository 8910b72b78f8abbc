/** Coordination: every effector's consultations still to report (the day after), to chase up
 * or record on their behalf, and the consultation log of a period. */
import { Page } from "../../shell/Page";
import { agendaTexts, ConsultationLogCard, UnreportedConsultations } from "../agenda";

const t = agendaTexts.consultations;

export function UnreportedPage() {
  return (
    <Page title={t.unreportedTitle} intro={t.coordinatorIntro}>
      <UnreportedConsultations showEffector />
      <ConsultationLogCard showEffector />
    </Page>
  );
}

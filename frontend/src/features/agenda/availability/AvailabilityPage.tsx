/** "Mes disponibilités": the effector's recurring slots, changed hours on some dates, absences. */
import { Page } from "../../../shell/Page";
import { AgendaTabs } from "../AgendaTabs";
import { WithMyProfile } from "../me";
import { agendaTexts } from "../texts";
import { AbsencesCard } from "./AbsencesCard";
import { OverridesCard } from "./OverridesCard";
import { TemplatesCard } from "./TemplatesCard";
import "../agenda.css";

export function AvailabilityPage() {
  const tx = agendaTexts.availability;
  return (
    <Page title={tx.title} intro={tx.intro}>
      <AgendaTabs />
      <WithMyProfile>
        {(me) => (
          <>
            <TemplatesCard me={me} />
            <OverridesCard me={me} />
            <AbsencesCard />
          </>
        )}
      </WithMyProfile>
    </Page>
  );
}

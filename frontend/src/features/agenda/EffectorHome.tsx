import { EmptyState, Page } from "../../shell/Page";
import { agendaTexts } from "./texts";

const t = agendaTexts.effectorHome;

export function EffectorHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <EmptyState>{t.empty}</EmptyState>
    </Page>
  );
}

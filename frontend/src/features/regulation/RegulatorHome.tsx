import { EmptyState, Page } from "../../shell/Page";
import { regulationTexts } from "./texts";

const t = regulationTexts.regulatorHome;

export function RegulatorHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <EmptyState>{t.empty}</EmptyState>
    </Page>
  );
}

import { EmptyState, Page } from "../../shell/Page";
import { sasTexts } from "./texts";

const t = sasTexts.sasHome;

export function SasHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <EmptyState>{t.empty}</EmptyState>
    </Page>
  );
}

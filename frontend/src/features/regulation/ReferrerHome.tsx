import { EmptyState, Page } from "../../shell/Page";
import { regulationTexts } from "./texts";

const t = regulationTexts.referrerHome;

export function ReferrerHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <EmptyState>{t.empty}</EmptyState>
    </Page>
  );
}

import { EmptyState, Page } from "../../shell/Page";
import { regulationTexts } from "./texts";

const t = regulationTexts.operatorHome;

export function OperatorHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <EmptyState>{t.empty}</EmptyState>
    </Page>
  );
}

import { Link } from "react-router";

import { EmptyState, Page } from "../../shell/Page";
import { SAS_BOOKINGS_PATH } from "./paths";
import { sasTexts } from "./texts";

const t = sasTexts.sasHome;

export function SasHome() {
  return (
    <Page title={t.title} intro={t.intro}>
      <EmptyState>{t.empty}</EmptyState>
      <p>
        <Link to={SAS_BOOKINGS_PATH}>{t.bookings}</Link>
      </p>
    </Page>
  );
}

/** The coordinator's ACI page: the contract and its indicators (each save a new version), the
 * national figures, the orientation envelope and the GPs' compensation statements. */
import { Link } from "react-router";

import { Page } from "../../shell/Page";
import { aciManageTexts as t } from "./aciManageTexts";
import { CompensationCard } from "./CompensationCard";
import { ContractCard } from "./ContractCard";
import { FiguresCard } from "./FiguresCard";
import { OrientationCard } from "./OrientationCard";
import { INDICATORS_PATHS } from "./paths";
import "./aci.css";

export function AciManagePage() {
  return (
    <Page title={t.title} intro={t.intro}>
      <p>
        <Link to={INDICATORS_PATHS.aci}>{t.reportLink}</Link>
      </p>
      <ContractCard />
      <FiguresCard />
      <OrientationCard />
      <CompensationCard />
    </Page>
  );
}

/** The "Détails" link of an upcoming patient to their handover page. */
import { Link } from "react-router";

import { handoverPath } from "../paths";
import { handoverTexts as t } from "./texts";

export function HandoverLink({ appointmentId, when }: { appointmentId: string; when: string }) {
  return (
    <Link to={handoverPath(appointmentId)} aria-label={t.linkLabel(when)}>
      {t.link}
    </Link>
  );
}

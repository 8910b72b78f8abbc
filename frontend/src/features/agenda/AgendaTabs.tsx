/** The effector's agenda sections: the week, recurring availability and absences, calendars. */
import { NavLinks } from "../../shell/NavLinks";
import { AGENDA_PATHS } from "./paths";
import { agendaTexts } from "./texts";

const t = agendaTexts.tabs;

export function AgendaTabs() {
  const entries = [
    { to: AGENDA_PATHS.week, label: t.week },
    { to: AGENDA_PATHS.availability, label: t.availability },
    { to: AGENDA_PATHS.calendars, label: t.calendars },
    { to: AGENDA_PATHS.activity, label: t.activity },
  ];
  return <NavLinks entries={entries} label={t.label} className="ag-tabs" />;
}

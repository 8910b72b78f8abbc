/** The effector's agenda sections: the week, recurring availability and absences, calendars. */
import { NavLink } from "react-router";

import { AGENDA_PATHS } from "./paths";
import { agendaTexts } from "./texts";

const t = agendaTexts.tabs;

export function AgendaTabs() {
  const entries = [
    { to: AGENDA_PATHS.week, label: t.week },
    { to: AGENDA_PATHS.availability, label: t.availability },
    { to: AGENDA_PATHS.calendars, label: t.calendars },
  ];
  return (
    <nav className="ag-tabs" aria-label={t.label}>
      <ul>
        {entries.map((entry) => (
          <li key={entry.to}>
            <NavLink to={entry.to} end>
              {entry.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A labelled list of navigation links, the current one marked by the router (app bar, tabs). */
import { NavLink } from "react-router";

export interface LinkEntry {
  to: string;
  label: string;
}

export function NavLinks({ entries, label, className }: { entries: readonly LinkEntry[]; label: string; className: string }) {
  return (
    <nav className={className} aria-label={label}>
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

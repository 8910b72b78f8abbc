/**
 * Figures at a glance (the supervision page: the queue's health, the phone line's): a grid of
 * tiles, each a label and a large value; `alert` draws the value in the danger colour.
 */
import type { ReactNode } from "react";

export function FigureTiles({ children }: { children: ReactNode }) {
  return <dl className="figure-tiles">{children}</dl>;
}

export function FigureTile({ label, value, testId, alert = false }: { label: string; value: string | number; testId: string; alert?: boolean }) {
  return (
    <div className={alert ? "figure-tile figure-tile-alert" : "figure-tile"} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

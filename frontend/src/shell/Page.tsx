/** Building blocks every page uses: the titled page, the card, the empty state. */
import { useEffect, useRef, type ReactNode } from "react";

import { useCptsName } from "./territory";
import { shellTexts } from "./texts";

/**
 * A page: sets the tab title and puts focus on its <h1> so screen readers announce navigation,
 * or on the element `focusId` names when the page is a form the user types in at once.
 */
export function Page({
  title,
  intro,
  children,
  focusId,
  dense = false,
  actions,
}: {
  title: string;
  intro?: ReactNode;
  children?: ReactNode;
  focusId?: string;
  /** A work screen (the live queue): tighter spacing, so that the list fills the screen. */
  dense?: boolean;
  /** Shown on the title's line (the console's main action and counters). */
  actions?: ReactNode;
}) {
  const cpts = useCptsName();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = shellTexts.documentTitle(title, cpts);
  }, [title, cpts]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new title is a new page: focus its heading
  useEffect(() => {
    const first = focusId ? document.getElementById(focusId) : null;
    (first ?? heading.current)?.focus({ preventScroll: true });
  }, [title]);

  return (
    <div className={dense ? "page page-dense" : "page"}>
      <div className={actions ? "page-head page-head-actions" : "page-head"}>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions}
        {intro ? <p className="page-intro">{intro}</p> : null}
      </div>
      {children}
    </div>
  );
}

export function Card({
  title,
  id,
  aside,
  children,
}: {
  title: string;
  id: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="empty-state">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="40" height="40" focusable="false">
        <path
          d="M4 13h4l2 3h4l2-3h4M5.5 5h13L21 13v5a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-5z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinejoin="round"
        />
      </svg>
      <p>{children}</p>
    </div>
  );
}

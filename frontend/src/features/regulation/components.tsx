/** Small building blocks of the regulation screens: badges, the "call 15" alert, radio groups. */
import { useEffect, useRef, type ReactNode } from "react";

import type { Priority, Urgency } from "./model";
import { regulationTexts } from "./texts";

import "./regulation.css";

const t = regulationTexts;

export function PriorityBadge({ priority }: { priority: Priority | null }) {
  if (priority === null) {
    return (
      <span className="prio prio-none" title={t.labels.untriagedLong}>
        {t.labels.untriaged}
      </span>
    );
  }
  return (
    <span className={`prio prio-${priority.toLowerCase()}`} title={t.labels.priority[priority]}>
      <span className="visually-hidden">{t.labels.priorityShort} </span>
      {priority}
    </span>
  );
}

export function UrgencyTag({ urgency, children }: { urgency: Urgency; children: ReactNode }) {
  return (
    <span className={`urgency urgency-${urgency}`}>
      <span className="urgency-dot" aria-hidden="true" />
      {children}
      <span className="visually-hidden"> ({t.labels.urgency[urgency]})</span>
    </span>
  );
}

/** The unmistakable red-flag alert: full width, red, the flag named. */
export function Call15Alert({
  reason,
  question,
  instruction = t.call15.instruction,
  callButton = false,
  children,
}: {
  reason: string | null;
  question?: string | null;
  instruction?: string;
  /** A "call the 15" button (tel:15), for people on a phone. */
  callButton?: boolean;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, []);
  return (
    <div className="call15" role="alert" ref={ref} data-testid="call-15">
      <div className="call15-head">
        <svg aria-hidden="true" viewBox="0 0 24 24" width="40" height="40" focusable="false">
          <path
            d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
            fill="currentColor"
          />
        </svg>
        <p className="call15-title">{t.call15.title}</p>
      </div>
      {reason ? <p className="call15-flag">{t.call15.flag(reason)}</p> : null}
      {question ? <p className="call15-question">« {question} »</p> : null}
      <p>{instruction}</p>
      {callButton ? (
        <a className="button call15-button" href="tel:15">
          {t.call15.callNow}
        </a>
      ) : null}
      {children}
    </div>
  );
}


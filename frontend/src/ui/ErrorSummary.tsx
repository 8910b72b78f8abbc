import { useEffect, useRef } from "react";

import type { ApiError, FieldError } from "../api";

/**
 * The list of what went wrong, at the top of a form. It takes the focus when it appears (and
 * each time the errors change) so screen readers read it; each message links to its field when
 * `fieldIds` knows the field's id, and is prefixed with the field's label from `labels`.
 * `error` is the server's answer; `errors` are the ones found before sending.
 */
export function ErrorSummary({
  title,
  intro,
  error,
  errors = NONE,
  fieldIds,
  labels,
}: {
  title: string;
  intro?: string;
  error?: ApiError | null;
  errors?: readonly FieldError[];
  fieldIds?: Readonly<Record<string, string>>;
  labels?: Readonly<Record<string, string>>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = error ? [...errors, ...error.messages] : errors;
  const hasErrors = shown.length > 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer (even the same message again) takes the focus
  useEffect(() => {
    if (hasErrors) ref.current?.focus();
  }, [error, errors, hasErrors]);

  if (!hasErrors) return null;
  return (
    <div className="notice notice-error error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2>{title}</h2>
      {intro ? <p>{intro}</p> : null}
      <ul>
        {shown.map((e, i) => {
          const target = e.field ? fieldIds?.[e.field] : undefined;
          const label = e.field ? labels?.[e.field] : undefined;
          const text = label && !e.msg.includes(label) ? `${label} : ${e.msg}` : e.msg;
          return <li key={i}>{target ? <a href={`#${target}`}>{text}</a> : text}</li>;
        })}
      </ul>
    </div>
  );
}

const NONE: readonly FieldError[] = [];

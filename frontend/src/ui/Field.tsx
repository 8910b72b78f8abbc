import { useId, type ReactNode } from "react";

/** What a field hands its control: the id its label points to, and the ARIA wiring. */
export interface FieldControlProps {
  id: string;
  /** The ids of the error and the hint, for `aria-describedby`. */
  describedBy: string | undefined;
  /** For `aria-invalid`: true when the field has an error, else absent. */
  invalid: true | undefined;
}

/**
 * A label, an optional hint and error, and one control. The control receives its id and
 * `aria-describedby` / `aria-invalid` through the render function:
 * `<Field label="Nom" error={e}>{(p) => <input id={p.id} aria-describedby={p.describedBy} aria-invalid={p.invalid} />}</Field>`.
 */
export function Field({
  label,
  hint,
  error,
  className,
  id: givenId,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  /** A stable id, when an error summary links to the field. */
  id?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const generated = useId();
  const id = givenId ?? generated;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      {children({ id, describedBy, invalid: error ? true : undefined })}
    </div>
  );
}

/**
 * Small building blocks shared by the agenda and the coordination screens: sending a mutation and
 * reading its French errors, the error summary, form fields, checkbox groups, the modal dialog.
 */
import { useEffect, useId, useRef, type ReactNode } from "react";

import { errorMessages, type FieldError } from "../../api/errors";
import { describeFailure } from "../../shell/useApi";
import { agendaTexts } from "./texts";

/** What an openapi-fetch call resolves to, seen from here. */
interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; status: number | null; errors: FieldError[] };

/** Awaits a mutation; on failure, every French message the server sent (or one generic line). */
export async function send<T>(call: Promise<ApiResult<T>>): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) return { ok: true, data: data as T };
    const status = response.status;
    const errors =
      status === 400 || status === 409 || status === 422
        ? errorMessages(error, describeFailure(status, error))
        : [{ field: null, msg: describeFailure(status, error) }];
    return { ok: false, status, errors };
  } catch {
    return { ok: false, status: null, errors: [{ field: null, msg: describeFailure(null, null) }] };
  }
}

/** Messages about one field (`loc` = body.<name>), joined for display next to it. */
export function fieldError(errors: readonly FieldError[], ...names: string[]): string | undefined {
  const text = errors
    .filter((e) => e.field !== null && names.includes(e.field))
    .map((e) => e.msg)
    .join(" ");
  return text || undefined;
}

export function ErrorSummary({ title, errors, intro }: { title: string; errors: readonly FieldError[]; intro?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
  }, [errors]);
  if (errors.length === 0) return null;
  return (
    <div className="notice notice-error error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2>{title}</h2>
      {intro ? <p>{intro}</p> : null}
      <ul>
        {errors.map((e, i) => (
          <li key={i}>{e.msg}</li>
        ))}
      </ul>
    </div>
  );
}

/** A success line that screen readers announce. */
export function Success({ children }: { children: ReactNode }) {
  return (
    <p className="notice ag-success" role="status">
      {children}
    </p>
  );
}

/** Label, hint, error and one control; the control receives its id and aria-describedby. */
export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: true | undefined }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field ag-field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
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

/** A fieldset of checkboxes choosing several codes (kinds, visibility, weekdays). */
export function CheckboxGroup<V extends string>({
  legend,
  options,
  value,
  onChange,
  hint,
  error,
}: {
  legend: string;
  options: readonly { value: V; label: string; hint?: string }[];
  value: readonly V[];
  onChange: (value: V[]) => void;
  hint?: string;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset
      className={`field ag-fieldset${error ? " field-invalid" : ""}`}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {hint ? <p className="field-hint">{hint}</p> : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <div className="ag-checks">
        {options.map((option) => (
          <label key={option.value} className="checkbox ag-check">
            <input
              type="checkbox"
              checked={value.includes(option.value)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? options.map((o) => o.value).filter((v) => v === option.value || value.includes(v))
                    : value.filter((v) => v !== option.value),
                )
              }
            />
            <span>
              {option.label}
              {option.hint ? <span className="ag-check-hint"> — {option.hint}</span> : null}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The modal dialog is the UI kit's. */
export { Modal } from "../../ui";

/** A file field whose button and "no file" text are French whatever the browser's language. */
export function FilePicker({
  label,
  accept,
  file,
  onChange,
  error,
  hint,
  className,
}: {
  label: string;
  accept: string;
  file: File | null;
  onChange: (file: File | null) => void;
  error?: string | undefined;
  hint?: string;
  className?: string;
}) {
  const c = agendaTexts.common;
  return (
    <Field label={label} error={error} hint={hint} {...(className ? { className } : {})}>
      {({ id, describedBy, invalid }) => (
        <div className="ag-file">
          <input
            id={id}
            type="file"
            accept={accept}
            onChange={(e) => onChange(e.target.files?.[0] ?? null)}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
          <label htmlFor={id} className="button button-secondary">
            {c.chooseFile}
          </label>
          <span className={file ? "ag-file-name ag-file-chosen" : "ag-file-name"}>{file ? file.name : c.noFile}</span>
        </div>
      )}
    </Field>
  );
}

/** Buttons at the foot of a form or dialog. */
export function Actions({ children }: { children: ReactNode }) {
  return <div className="ag-actions">{children}</div>;
}

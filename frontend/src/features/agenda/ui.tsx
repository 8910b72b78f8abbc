/**
 * Form pieces of the agenda screens (also used by the coordination's): a French file picker, the
 * minutes of a slot, the row of actions and a form's submit-or-cancel. Fields, choice groups,
 * summaries, notices and dialogs are the UI kit's.
 */
import type { ReactNode } from "react";

import { Field, InputField } from "../../ui";
import { agendaTexts } from "./texts";

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

/** The length of the slots a range is cut into, in minutes: 5 to 240 by 5, as the server takes it. */
export function SlotMinutesField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  required = false,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}) {
  return (
    <InputField
      id={id}
      label={label}
      hint={hint}
      error={error}
      type="number"
      inputMode="numeric"
      min={5}
      max={240}
      step={5}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      required={required}
    />
  );
}

/** Buttons at the foot of a form or dialog. */
export function Actions({ children }: { children: ReactNode }) {
  return <div className="ag-actions">{children}</div>;
}

/**
 * The foot of a form in a dialog: « submit » (`submitting` while `busy`), then « cancel »;
 * `children` are other buttons, before them.
 */
export function SubmitOrCancel({
  busy,
  submit,
  submitting,
  cancel,
  onCancel,
  disabled = false,
  children,
}: {
  busy: boolean;
  submit: string;
  submitting: string;
  cancel: string;
  onCancel: () => void;
  disabled?: boolean;
  children?: ReactNode;
}) {
  return (
    <Actions>
      {children}
      <button type="submit" className="button button-primary" disabled={busy || disabled}>
        {busy ? submitting : submit}
      </button>
      <button type="button" className="button button-secondary" onClick={onCancel}>
        {cancel}
      </button>
    </Actions>
  );
}

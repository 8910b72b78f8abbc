import type { ReactNode, TextareaHTMLAttributes } from "react";

import { Field } from "./Field";

/**
 * `InputField`'s twin for free text: a label (hint, error) and one `<textarea>`, wired for screen
 * readers. Every other prop goes to the textarea.
 */
export function TextAreaField({
  label,
  hint,
  error,
  className,
  id,
  ...textarea
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "className" | "id"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  id?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error} {...(className ? { className } : {})} {...(id ? { id } : {})}>
      {(control) => (
        <textarea {...textarea} id={control.id} aria-describedby={control.describedBy} aria-invalid={control.invalid} />
      )}
    </Field>
  );
}

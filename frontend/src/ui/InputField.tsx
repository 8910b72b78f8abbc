import type { InputHTMLAttributes, ReactNode } from "react";

import { Field } from "./Field";

/**
 * The common case of `Field`: a label (hint, error) and one `<input>`, wired for screen readers.
 * Every other prop goes to the input; `inputClassName` is the input's class, `className` the field's.
 */
export function InputField({
  label,
  hint,
  error,
  className,
  id,
  inputClassName,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "className" | "id"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  id?: string;
  inputClassName?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error} {...(className ? { className } : {})} {...(id ? { id } : {})}>
      {(control) => (
        <input
          {...input}
          id={control.id}
          className={inputClassName}
          aria-describedby={control.describedBy}
          aria-invalid={control.invalid}
        />
      )}
    </Field>
  );
}

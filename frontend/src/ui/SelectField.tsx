import type { ReactNode } from "react";

import { Field } from "./Field";

/**
 * A labelled `<select>` over a list of choices: `value` is one of `choices`, `label(choice)` what
 * the user reads. `placeholder` adds an empty first option while nothing is chosen yet.
 */
export function SelectField<T extends string>({
  label,
  hint,
  error,
  className,
  value,
  choices,
  labelOf,
  onChange,
  placeholder,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  value: T | "";
  choices: readonly T[];
  labelOf: (choice: T) => string;
  onChange: (choice: T) => void;
  placeholder?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error} {...(className ? { className } : {})}>
      {(control) => (
        <select
          id={control.id}
          aria-describedby={control.describedBy}
          aria-invalid={control.invalid}
          value={value}
          onChange={(e) => onChange(e.target.value as T)}
        >
          {placeholder !== undefined && value === "" ? <option value="">{placeholder}</option> : null}
          {choices.map((choice) => (
            <option key={choice} value={choice}>
              {labelOf(choice)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

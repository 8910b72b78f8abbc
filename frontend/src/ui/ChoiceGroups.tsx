/**
 * Groups of choices, each in a fieldset: radio buttons (one answer: yes/no questions, sex,
 * mobility…) and checkboxes (several: kinds, visibility, weekdays). Both carry the legend, the
 * hint and the error the fieldset announces, and give every option a label as its target.
 */
import { useId, type ReactNode } from "react";

/** The fieldset around a group: legend, hint, then the error it announces. */
function ChoiceFieldset({
  id,
  fieldsetId,
  kind,
  className,
  legend,
  hint,
  error,
  children,
}: {
  id: string;
  fieldsetId?: string | undefined;
  kind: "radio-group" | "check-group";
  className?: string | undefined;
  legend: ReactNode;
  hint?: string | null | undefined;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <fieldset
      id={fieldsetId}
      className={`field ${kind}${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}
      aria-describedby={error ? `${id}-error` : undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend>{legend}</legend>
      {hint ? <p className="field-hint">{hint}</p> : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}

/** One answer among a few, each a big bordered target; the chosen one is bold and framed. */
export function RadioGroup<V extends string | boolean>({
  legend,
  name,
  options,
  value,
  onChange,
  error,
  hint,
  inline = true,
  className,
  id: givenId,
}: {
  id?: string;
  legend: ReactNode;
  name: string;
  options: readonly { value: V; label: string }[];
  value: V | null | undefined;
  onChange: (value: V) => void;
  error?: string | undefined;
  hint?: string | null | undefined;
  inline?: boolean;
  className?: string;
}) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <ChoiceFieldset id={id} fieldsetId={givenId} kind="radio-group" className={className} legend={legend} hint={hint} error={error}>
      <div className={inline ? "radio-options radio-inline" : "radio-options"}>
        {options.map((option) => (
          <label key={String(option.value)} className={`radio${value === option.value ? " radio-checked" : ""}`}>
            <input type="radio" name={`${name}-${id}`} checked={value === option.value} onChange={() => onChange(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
    </ChoiceFieldset>
  );
}

/** The codes chosen once `choice` is ticked (`on`) or unticked, in the options' `order`. */
export function toggledChoice<V>(order: readonly V[], chosen: readonly V[], choice: V, on: boolean): V[] {
  return on ? order.filter((v) => v === choice || chosen.includes(v)) : chosen.filter((v) => v !== choice);
}

/** Several codes among a list; `value` keeps the options' order whatever the order of clicks. */
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
    <ChoiceFieldset id={id} kind="check-group" legend={legend} hint={hint} error={error}>
      <div className="check-options">
        {options.map((option) => (
          <label key={option.value} className="checkbox check-option">
            <input
              type="checkbox"
              checked={value.includes(option.value)}
              onChange={(event) =>
                onChange(
                  toggledChoice(
                    options.map((o) => o.value),
                    value,
                    option.value,
                    event.target.checked,
                  ),
                )
              }
            />
            <span>
              {option.label}
              {option.hint ? <span className="check-hint"> — {option.hint}</span> : null}
            </span>
          </label>
        ))}
      </div>
    </ChoiceFieldset>
  );
}

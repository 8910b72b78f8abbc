/**
 * A start/end pair of inputs of one type (`date`, `time` or `datetime-local`) in a fieldset with
 * its legend: « Du … au … », « De … à … ». Each end is a `Field` (label, optional hint, error,
 * `aria-describedby` / `aria-invalid`) with a stable id, so an `ErrorSummary` links to it.
 *
 * Props:
 * - `legend`: what the pair is (« Période », « Horaires »); `legendHidden` keeps it for screen
 *   readers only, when the labels say enough on screen.
 * - `type`: `"date"`, `"time"` or `"datetime-local"`, for both inputs.
 * - `idPrefix` and each end's `name`: the input's id is `${idPrefix}-${name}` (`rangeFieldId`;
 *   `rangeFieldIds(idPrefix, ...names)` gives an `ErrorSummary`'s `fieldIds`);
 *   its hint is `${id}-hint`, its error `${id}-error`, as in `Field`.
 * - `start`, `end`: one `RangeEnd` each: `name` (the API field, `"start_date"`), `label`, `value`,
 *   `onChange(value)`, optional `hint` and `error`.
 * - `errors`: the form's errors by field name (`errorsByField(...)`, the server's and the ones
 *   found before sending); each end shows `errors[name]` unless it is given its own `error`.
 * - `min`, `max`, `step`: for both inputs (`step` in seconds for times, as in HTML).
 *   `ordered`: the end input's `min` is the start's value (the browser's picker then offers no
 *   end before the start).
 * - `required`, `disabled`: for both inputs (not for `before` and `children`).
 * - `wide`: both ends take a wider share of the row (dates beside shorter fields).
 * - `before`, `children`: other fields in the same row, before and after the pair (a date before
 *   two times; a duration after them).
 * - `className`: the fieldset's extra class.
 *
 * `<RangeFields legend="Période" legendHidden type="date" idPrefix="absence" errors={byField}
 *   start={{ name: "start_date", label: "Premier jour", value: start, onChange: setStart }}
 *   end={{ name: "end_date", label: "Dernier jour", value: end, onChange: setEnd }} ordered required />`
 */
import type { ReactNode } from "react";

import { InputField } from "./InputField";

export type RangeType = "date" | "time" | "datetime-local";

/** One end of a range. */
export interface RangeEnd {
  /** The field's name in the API: it makes the input's id and picks its error in `errors`. */
  name: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  /** This end's error, instead of `errors[name]`. */
  error?: string | undefined;
}

/** The id of the input of field `name` in a `RangeFields` of prefix `idPrefix`. */
export function rangeFieldId(idPrefix: string, name: string): string {
  return `${idPrefix}-${name}`;
}

/** The ids of the inputs of fields `names` under `idPrefix`, by name: an `ErrorSummary`'s `fieldIds`. */
export function rangeFieldIds<N extends string>(idPrefix: string, ...names: N[]): Record<N, string> {
  return Object.fromEntries(names.map((name) => [name, rangeFieldId(idPrefix, name)])) as Record<N, string>;
}

export function RangeFields({
  legend,
  legendHidden = false,
  type,
  idPrefix,
  start,
  end,
  errors,
  min,
  max,
  step,
  ordered = false,
  required = false,
  disabled = false,
  wide = false,
  before,
  children,
  className,
}: {
  legend: ReactNode;
  legendHidden?: boolean;
  type: RangeType;
  idPrefix: string;
  start: RangeEnd;
  end: RangeEnd;
  errors?: Readonly<Record<string, string>>;
  min?: string;
  max?: string;
  step?: number;
  ordered?: boolean;
  required?: boolean;
  disabled?: boolean;
  wide?: boolean;
  before?: ReactNode;
  children?: ReactNode;
  className?: string;
}) {
  const endMin = ordered && start.value ? start.value : min;
  const input = (side: RangeEnd, sideMin: string | undefined) => (
    <InputField
      id={rangeFieldId(idPrefix, side.name)}
      label={side.label}
      hint={side.hint}
      error={side.error ?? errors?.[side.name]}
      {...(wide ? { className: "field-wide" } : {})}
      type={type}
      value={side.value}
      onChange={(e) => side.onChange(e.target.value)}
      min={sideMin}
      max={max}
      step={step}
      required={required}
      disabled={disabled}
    />
  );
  return (
    <fieldset className={`range-fields${className ? ` ${className}` : ""}`}>
      <legend className={legendHidden ? "visually-hidden" : "range-fields-legend"}>{legend}</legend>
      <div className="range-fields-row">
        {before}
        {input(start, min)}
        {input(end, endMin)}
        {children}
      </div>
    </fieldset>
  );
}

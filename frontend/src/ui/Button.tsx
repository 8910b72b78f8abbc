import type { ButtonHTMLAttributes } from "react";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";

/**
 * A button with the app's look. `busy` disables it and says so (`aria-busy`) while an action is
 * under way; the label should say it too ("Enregistrement…").
 */
export function Button({
  variant = "secondary",
  size,
  block = false,
  busy = false,
  className,
  type = "button",
  disabled,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: "small" | "large";
  block?: boolean;
  busy?: boolean;
}) {
  const classes = ["button", `button-${variant}`];
  if (size) classes.push(`button-${size}`);
  if (block) classes.push("button-block");
  if (className) classes.push(className);
  return (
    <button
      {...rest}
      type={type}
      className={classes.join(" ")}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    />
  );
}

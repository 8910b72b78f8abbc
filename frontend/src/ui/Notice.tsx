import type { ReactNode } from "react";

export type NoticeTone = "info" | "success" | "warning" | "error";

/**
 * A message in a coloured box. Errors are alerts (read at once); the others are polite status
 * messages. Inline text by default (`<p>`); `block` for notices holding paragraphs or buttons.
 */
export function Notice({
  tone,
  block = false,
  className,
  children,
}: {
  tone: NoticeTone;
  block?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const props = {
    className: `notice notice-${tone}${className ? ` ${className}` : ""}`,
    role: tone === "error" ? "alert" : "status",
  };
  return block ? <div {...props}>{children}</div> : <p {...props}>{children}</p>;
}

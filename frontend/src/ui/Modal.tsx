import { useEffect, useId, useRef, type ReactNode } from "react";

import { uiTexts } from "./texts";

/** The element that has the focus, unless nothing does (the page's body). */
function focusedElement(): HTMLElement | null {
  const active = document.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

/** Give the focus back, if the element is still on the page and can take it. */
function giveFocusBack(element: HTMLElement | null): void {
  if (!element?.isConnected || element.matches(":disabled")) return;
  element.focus({ preventScroll: true });
}

/**
 * A modal dialog on the native `<dialog>` (`showModal`: the rest of the page is inert, so focus
 * stays inside). Escape, the close button and a click on the backdrop (unless
 * `closeOnBackdrop` is false) call `onClose`; on close, focus returns to the element that opened
 * it: `returnFocus()` when given (asked at close time, for a dialog opened after an awaited
 * request, when the opener may have lost the focus), else the element focused when it opened.
 * Render it only while it is open.
 */
export function Modal({
  title,
  onClose,
  children,
  wide = false,
  closeOnBackdrop = true,
  describedBy,
  returnFocus,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  closeOnBackdrop?: boolean;
  /** The id of the text that says what the dialog asks. */
  describedBy?: string;
  returnFocus?: () => HTMLElement | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const returnFocusRef = useRef(returnFocus);
  useEffect(() => {
    onCloseRef.current = onClose;
    returnFocusRef.current = returnFocus;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = focusedElement();
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      giveFocusBack(returnFocusRef.current?.() ?? opener);
    };
  }, []);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is a mouse shortcut; Escape is the keyboard's
    <dialog
      ref={ref}
      className={`modal${wide ? " modal-wide" : ""}`}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onClick={(event) => {
        if (closeOnBackdrop && event.target === ref.current) onCloseRef.current();
      }}
    >
      <div className="modal-body">
        <div className="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="modal-close" onClick={() => onCloseRef.current()} aria-label={uiTexts.close}>
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" focusable="false">
              <path d="M6 6l12 12M18 6 6 18" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
            </svg>
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}

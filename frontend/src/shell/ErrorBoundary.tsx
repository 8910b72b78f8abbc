/** Last-resort catch: a rendering bug shows a French message instead of a blank page. */
import { Component, type ErrorInfo, type ReactNode } from "react";

import { shellTexts } from "./texts";

interface State {
  failed: boolean;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error("Unhandled rendering error", error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    const t = shellTexts.crash;
    return (
      <main className="full-page-status" role="alert">
        <h1>{t.title}</h1>
        <p>{t.body}</p>
        <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
          {t.reload}
        </button>
      </main>
    );
  }
}

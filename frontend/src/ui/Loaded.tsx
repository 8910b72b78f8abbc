import type { ReactNode } from "react";

import type { ApiError } from "../api";
import { Button } from "./Button";
import { uiTexts } from "./texts";

/** A spinner line that screen readers announce. */
export function Loading({ label = uiTexts.loading }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** A failure that stops the page from showing its data, with a "try again" button. */
export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: (() => void) | undefined }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
      {onRetry ? (
        <Button onClick={onRetry}>{uiTexts.retry}</Button>
      ) : null}
    </div>
  );
}

/** The part of a query result `Loaded` reads (a `useApiQuery` result fits). */
export interface QueryView<T> {
  data: T | undefined;
  error: ApiError | null;
  refetch: () => unknown;
}

/**
 * Loading, error or data for a query. Data already shown stays while it is re-fetched, and a
 * failed re-fetch does not hide it (the live page keeps what it had).
 */
export function Loaded<T>({ query, children }: { query: QueryView<T>; children: (data: T) => ReactNode }) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorNotice message={query.error.message} onRetry={() => void query.refetch()} />;
  return <Loading />;
}

/** From an openapi-fetch answer to data, or an `ApiError`: the one place that reads results. */
import { ApiError, asApiError } from "./errors";

/** What an openapi-fetch call resolves to, seen from here. */
export interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/**
 * Awaits an openapi-fetch call: its data when the response is 2xx (undefined for a 204), else
 * throws an `ApiError` (network failure, 401, 403, 404, 409, 422, 5xx alike). An aborted call
 * rethrows the AbortError untouched (the query was cancelled: nobody is waiting for an answer).
 */
export async function unwrap<T>(call: Promise<ApiResult<T>>): Promise<T> {
  let result: ApiResult<T>;
  try {
    result = await call;
  } catch (error) {
    if (isAbort(error)) throw error;
    throw asApiError(error);
  }
  const { data, error, response } = result;
  if (!response.ok) throw ApiError.fromResponse(response.status, error);
  return data as T;
}

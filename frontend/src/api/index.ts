/**
 * The data layer's public entry: import from "src/api", not from its files.
 *
 * Per-feature query keys live in `features/<x>/queryKeys.ts` (arrays starting with the feature's
 * name); see `query.ts` for the conventions.
 */
export { api, onSessionExpired, readCookie, type Schemas } from "./client";
export {
  ApiError,
  asApiError,
  errorMessages,
  errorsByField,
  fieldErrorIn,
  fieldOf,
  type ErrorDetail,
  type FieldError,
} from "./errors";
export {
  createQueryClient,
  queryClient,
  useApiMutation,
  useApiQuery,
  type ApiMutationOptions,
  type ApiQueryOptions,
  type QueryKey,
} from "./query";
export { refreshCoalesced } from "./refresh";
export { apiTexts } from "./texts";
export { unwrap, type ApiResult } from "./unwrap";
export { sendingFile } from "./upload";

/** File uploads: what a failure to send the file means for the person who chose it. */
import { ApiError } from "./errors";
import { apiTexts } from "./texts";

/**
 * Wraps an openapi-fetch call whose body is a file. When the request cannot leave, the browser
 * gives no reason; for a file the likeliest one, besides the network, is the file changed on disk
 * since it was chosen (Chromium then refuses to read it): the message says both and what to do.
 */
export function sendingFile<T>(call: Promise<T>): Promise<T> {
  return call.catch((error: unknown) => {
    if (error instanceof TypeError) throw new ApiError(null, [], apiTexts.fileNotSent);
    throw error;
  });
}

import { describe, expect, it } from "vitest";

import { ApiError, apiTexts, sendingFile, unwrap, type ApiResult } from ".";

describe("sendingFile", () => {
  it("says the file could not be sent, and why it may be, when the request cannot leave", async () => {
    const refused = Promise.reject(new TypeError("Failed to fetch"));
    const error = await unwrap(sendingFile(refused as Promise<ApiResult<unknown>>)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeNull();
    expect((error as ApiError).message).toBe(apiTexts.fileNotSent);
    expect(apiTexts.fileNotSent).toContain("modifié depuis que vous l'avez choisi");
  });

  it("leaves the server's answers and a cancellation as they are", async () => {
    const response = new Response(JSON.stringify({ detail: [{ loc: ["body", "file"], msg: "Fichier vide." }] }), { status: 422 });
    const refused = sendingFile(Promise.resolve({ error: { detail: [{ loc: ["body", "file"], msg: "Fichier vide." }] }, response }));
    await expect(unwrap(refused)).rejects.toMatchObject({ status: 422, message: "Fichier vide." });
    const aborted = new DOMException("stopped", "AbortError");
    await expect(sendingFile(Promise.reject(aborted))).rejects.toBe(aborted);
  });
});

import { describe, expect, it } from "vitest";

import { ApiError, unwrap, type ApiResult } from ".";

function answer<T>(status: number, body?: unknown): Promise<ApiResult<T>> {
  const response = new Response(body === undefined ? null : JSON.stringify(body), { status });
  return Promise.resolve(response.ok ? { data: body as T, response } : { error: body, response });
}

async function failure(call: Promise<ApiResult<unknown>>): Promise<ApiError> {
  try {
    await unwrap(call);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("unwrap should have thrown");
}

describe("unwrap", () => {
  it("returns the data of a 2xx answer", async () => {
    await expect(unwrap(answer(200, { id: 7 }))).resolves.toEqual({ id: 7 });
  });

  it("returns undefined for a 204 without a body", async () => {
    await expect(unwrap(answer(204))).resolves.toBeUndefined();
  });

  it("turns a 422 into an ApiError listing every field message", async () => {
    const error = await failure(
      answer(422, {
        detail: [
          { loc: ["body", "phone"], msg: "Numéro de téléphone invalide." },
          { loc: ["body", "answers", "chest_pain"], msg: "Réponse attendue." },
        ],
      }),
    );
    expect(error.status).toBe(422);
    expect(error.detail).toEqual([
      { loc: ["body", "phone"], msg: "Numéro de téléphone invalide." },
      { loc: ["body", "answers", "chest_pain"], msg: "Réponse attendue." },
    ]);
    expect(error.message).toBe("Numéro de téléphone invalide.");
    expect(error.messages).toEqual([
      { field: "phone", msg: "Numéro de téléphone invalide." },
      { field: "answers.chest_pain", msg: "Réponse attendue." },
    ]);
    expect(error.fieldError("answers.chest_pain")).toBe("Réponse attendue.");
    expect(error.fieldError("email")).toBeUndefined();
  });

  it("keeps the server's words for a 409 conflict", async () => {
    const error = await failure(answer(409, { detail: [{ loc: [], msg: "Ce créneau vient d'être pris." }] }));
    expect(error.status).toBe(409);
    expect(error.message).toBe("Ce créneau vient d'être pris.");
    expect(error.messages).toEqual([{ field: null, msg: "Ce créneau vient d'être pris." }]);
  });

  it("reads a plain string detail (401, 403, 404)", async () => {
    const error = await failure(answer(403, { detail: "Réservé à la coordination." }));
    expect(error.detail).toEqual([{ loc: [], msg: "Réservé à la coordination." }]);
    expect(error.message).toBe("Réservé à la coordination.");
  });

  it("says in French what a bodiless failure means", async () => {
    expect((await failure(answer(401))).message).toBe("Votre session a expiré. Reconnectez-vous pour continuer.");
    expect((await failure(answer(404))).message).toBe("Information introuvable.");
  });

  it("never shows a 5xx body, only that the server failed", async () => {
    const error = await failure(answer(500, { detail: "Traceback (most recent call last)" }));
    expect(error.status).toBe(500);
    expect(error.detail).toEqual([]);
    expect(error.message).toBe("Le serveur a rencontré une erreur. Réessayez plus tard.");
    expect(error.messages).toEqual([{ field: null, msg: error.message }]);
  });

  it("turns a network failure into an ApiError without status", async () => {
    const error = await failure(Promise.reject(new TypeError("Failed to fetch")));
    expect(error.status).toBeNull();
    expect(error.detail).toEqual([]);
    expect(error.message).toBe("Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.");
  });

  it("lets a cancelled call's AbortError through untouched", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    await expect(unwrap(Promise.reject(abort))).rejects.toBe(abort);
  });
});

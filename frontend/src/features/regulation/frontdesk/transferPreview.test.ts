import { describe, expect, it } from "vitest";

import { transferPreview } from "./transferPreview";

describe("transferPreview", () => {
  it("shows a short one-line reason as it is", () => {
    expect(transferPreview("Avis sur traitement")).toBe("Avis sur traitement");
  });
  it("keeps the first line and marks the rest with « … »", () => {
    expect(transferPreview("Douleur thoracique\nPatient anxieux")).toBe("Douleur thoracique …");
  });
  it("cuts a long first line", () => {
    expect(transferPreview("abcdefghij klm", 10)).toBe("abcdefghij …");
  });
});

import { describe, expect, it } from "vitest";

import { ApiError } from "../../../api";
import { describeLocation, locatedErrors } from "./model";
import { parseUnifiedDiff } from "./diff";

describe("describeLocation", () => {
  it("names the place in the document, counting items from 1", () => {
    expect(describeLocation(["body", "text", "motifs", 0, "rules", 5, "result", "priority"])).toBe(
      "motifs › n° 1 › rules › n° 6 › result › priority",
    );
  });

  it("says « Document » for a problem of the whole text", () => {
    expect(describeLocation(["body", "text"])).toBe("Document");
  });
});

describe("locatedErrors", () => {
  it("prefixes every message of a refused document with its place", () => {
    const error = new ApiError(422, [
      { loc: ["body", "text", "red_flags", 2, "category"], msg: "Valeur non autorisée." },
      { loc: ["body", "text"], msg: "Signes d'alerte indispensables absents." },
    ]);
    expect(locatedErrors(error)).toEqual([
      { field: null, msg: "red_flags › n° 3 › category : Valeur non autorisée." },
      { field: null, msg: "Document : Signes d'alerte indispensables absents." },
    ]);
  });

  it("falls back to the error's one message when the server said nothing located", () => {
    expect(locatedErrors(ApiError.network())).toEqual([{ field: null, msg: ApiError.network().message }]);
  });
});

describe("parseUnifiedDiff", () => {
  it("numbers removed, added and context lines from the hunk header", () => {
    const diff = "--- a\n+++ b\n@@ -3,2 +3,2 @@\n-old\n+new\n same\n";
    expect(parseUnifiedDiff(diff)).toEqual([
      { kind: "hunk", text: "@@ -3,2 +3,2 @@", oldStart: 3, newStart: 3 },
      { kind: "removed", text: "old", oldNumber: 3, newNumber: null },
      { kind: "added", text: "new", oldNumber: null, newNumber: 3 },
      { kind: "context", text: "same", oldNumber: 4, newNumber: 4 },
    ]);
  });
});

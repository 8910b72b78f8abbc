import { describe, expect, it } from "vitest";

import { isBeforeStart } from "./OutcomeNotYet";

describe("isBeforeStart", () => {
  const start = "2026-12-06T09:00:00Z"; // 10:00 in Paris
  it("is true until the appointment's start, false from it on", () => {
    expect(isBeforeStart(start, Date.parse("2026-12-06T04:29:00Z"))).toBe(true);
    expect(isBeforeStart(start, Date.parse("2026-12-06T08:59:59Z"))).toBe(true);
    expect(isBeforeStart(start, Date.parse("2026-12-06T09:00:00Z"))).toBe(false);
    expect(isBeforeStart(start, Date.parse("2026-12-06T12:00:00Z"))).toBe(false);
  });
});

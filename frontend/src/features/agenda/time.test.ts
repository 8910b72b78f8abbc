import { describe, expect, it } from "vitest";

import { visibleHours } from "./time";

const slot = (start: string, end: string) => ({ start_at: start, end_at: end });

describe("visibleHours", () => {
  it("shows 07:00–21:00 when every slot fits", () => {
    expect(visibleHours([slot("2026-12-07T09:00:00Z", "2026-12-07T09:20:00Z")])).toEqual({ min: "07:00:00", max: "21:00:00" });
  });

  it("widens the day to show a 21:00 slot (Paris time, winter)", () => {
    // 21:00–21:20 in Paris is 20:00–20:20 UTC in December.
    expect(visibleHours([slot("2026-12-07T20:00:00Z", "2026-12-07T20:20:00Z")])).toEqual({ min: "07:00:00", max: "22:00:00" });
  });

  it("starts earlier for an early slot, in summer time too", () => {
    // 06:30 in Paris is 04:30 UTC in July.
    expect(visibleHours([slot("2026-07-06T04:30:00Z", "2026-07-06T04:50:00Z")])).toEqual({ min: "06:00:00", max: "21:00:00" });
  });

  it("fills the day to midnight for a slot ending after it", () => {
    expect(visibleHours([slot("2026-12-07T22:30:00Z", "2026-12-08T00:30:00Z")])).toEqual({ min: "07:00:00", max: "24:00:00" });
  });
});

import { describe, expect, it } from "vitest";

import { overrideHours, type Override } from "./availability";

const override = (ranges: Override["ranges"], slot_minutes = 20): Override => ({
  id: 1,
  effector_id: 1,
  site_id: 1,
  day: "2026-12-08",
  ranges,
  slot_minutes,
  kinds: ["AMB"],
  visibility: ["SNP", "CPTS"],
  shared_with_sas: true,
  note: null,
});

describe("overrideHours", () => {
  it("lists the ranges in Paris wall-clock hours with the slot length", () => {
    const hours = overrideHours(
      override(
        [
          { start_time: "09:00:00", end_time: "12:00:00" },
          { start_time: "14:00:00", end_time: "16:00:00" },
        ],
        30,
      ),
    );
    expect(hours).toBe("09:00–12:00, 14:00–16:00 (créneaux de 30\u00a0min)");
  });

  it("says the day is closed when no range is left", () => {
    expect(overrideHours(override([]))).toBe("Aucun horaire (journée fermée)");
  });
});

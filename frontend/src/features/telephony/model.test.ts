import { describe, expect, it } from "vitest";

import { agedSeconds, hintText, waitedSeconds } from "./model";
import { formatSeconds } from "./texts";

describe("who a caller probably is", () => {
  it("says the number is unknown when nothing matches", () => {
    expect(hintText({ previous_requests: 0, last_request_at: null, open_request_id: null, referrer_structure: null })).toBe(
      "numéro inconnu",
    );
  });

  it("names the referrer's structure, the open request and the past requests, in that order", () => {
    expect(
      hintText({ previous_requests: 2, last_request_at: null, open_request_id: 41, referrer_structure: "Pharmacie du Port" }),
    ).toBe("adresseur : Pharmacie du Port · demande n° 41 ouverte · 2 demandes passées");
  });
});

describe("waits as operators read them", () => {
  it("shows seconds, then minutes and seconds", () => {
    expect(formatSeconds(45)).toBe("45 s");
    expect(formatSeconds(125)).toBe("2 min 05 s");
    expect(formatSeconds(null)).toBe("—");
  });

  it("counts from the server's arrival time, never below zero", () => {
    const arrived = "2026-12-05T09:00:00Z";
    expect(waitedSeconds(arrived, Date.parse("2026-12-05T09:01:30Z"))).toBe(90);
    expect(waitedSeconds(arrived, Date.parse("2026-12-05T08:59:00Z"))).toBe(0);
  });
});

describe("the supervisor's waits keep counting between two reads", () => {
  const generatedAt = "2026-12-05T13:00:00Z";
  const tenSecondsLater = Date.parse("2026-12-05T13:00:10Z");

  it("adds the time passed since the server measured the wait", () => {
    expect(agedSeconds(180, generatedAt, tenSecondsLater)).toBe(190);
  });

  it("keeps nothing waiting as nothing", () => {
    expect(agedSeconds(null, generatedAt, tenSecondsLater)).toBeNull();
  });

  it("never goes back when the browser's clock is behind the server's", () => {
    expect(agedSeconds(30, generatedAt, Date.parse("2026-12-05T12:59:50Z"))).toBe(30);
  });
});

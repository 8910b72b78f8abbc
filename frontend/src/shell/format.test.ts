import { describe, expect, it } from "vitest";

import { formatDateTime, parseApiDate } from "./format";

describe("times shown in Europe/Paris", () => {
  it("shows a winter instant at UTC+1", () => {
    expect(formatDateTime("2026-01-15T12:00:00Z")).toBe("15/01/2026 13:00:00");
  });

  it("shows a summer instant at UTC+2", () => {
    expect(formatDateTime("2026-07-14T08:30:00+00:00")).toBe("14/07/2026 10:30:00");
  });

  it("follows the spring change: 01:30 UTC is 03:30 in Paris on 29 March 2026", () => {
    expect(formatDateTime("2026-03-29T00:59:59Z")).toBe("29/03/2026 01:59:59");
    expect(formatDateTime("2026-03-29T01:30:00Z")).toBe("29/03/2026 03:30:00");
  });

  it("follows the autumn change: the hour 02:00-03:00 happens twice", () => {
    expect(formatDateTime("2026-10-25T00:30:00Z")).toBe("25/10/2026 02:30:00");
    expect(formatDateTime("2026-10-25T01:30:00Z")).toBe("25/10/2026 02:30:00");
  });

  it("reads an API timestamp without offset as UTC", () => {
    expect(parseApiDate("2026-01-15T12:00:00").toISOString()).toBe("2026-01-15T12:00:00.000Z");
    expect(formatDateTime("2026-01-15T12:00:00")).toBe("15/01/2026 13:00:00");
  });

  it("keeps an offset the API gave", () => {
    expect(parseApiDate("2026-01-15T12:00:00+01:00").toISOString()).toBe("2026-01-15T11:00:00.000Z");
  });

  it("shows a value that is not a date as it came", () => {
    expect(formatDateTime("bientôt")).toBe("bientôt");
  });
});

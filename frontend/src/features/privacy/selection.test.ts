import { describe, expect, it } from "vitest";

import { frenchDate, initialSelection } from "./selection";

const mother = { id: 1, family_name: "Le Goff", given_name: "Élodie", birth_date: "1986-03-14" };

describe("the requests ticked at first", () => {
  it("ticks every request of one person, whatever the case, accents and hyphens", () => {
    const again = { id: 2, family_name: "LE-GOFF", given_name: "elodie", birth_date: "1986-03-14" };
    expect(initialSelection([mother, again])).toEqual({ ids: new Set([1, 2]), severalPeople: false });
  });

  it("ticks none when a shared number brings several people", () => {
    const son = { id: 3, family_name: "Le Goff", given_name: "Théo", birth_date: "2019-05-02" };
    expect(initialSelection([mother, son])).toEqual({ ids: new Set(), severalPeople: true });
  });

  it("ticks none when nothing was found", () => {
    expect(initialSelection([])).toEqual({ ids: new Set(), severalPeople: false });
  });
});

describe("birth dates", () => {
  it("are shown the French way", () => {
    expect(frenchDate("1986-03-14")).toBe("14/03/1986");
  });
});

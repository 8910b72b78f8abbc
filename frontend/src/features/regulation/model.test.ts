import { describe, expect, it } from "vitest";

import {
  ageBandFor,
  ageInMonths,
  ageRangeLabel,
  answersToSend,
  appliesToSex,
  displayPhone,
  formatBirthDate,
  formatDuration,
  formatWhen,
  type Motif,
  pendingAgeFlags,
  type ProtocolDocument,
  questionsFor,
  redFlagsFor,
  redFlagsShown,
  type RedFlag,
  timeLeftLabel,
  urgencyOf,
} from "./model";

describe("durations as operators say them", () => {
  it("rounds under a minute down to '< 1 min'", () => {
    expect(formatDuration(42)).toBe("< 1 min");
  });

  it("counts minutes, then hours and minutes, then days and hours", () => {
    expect(formatDuration(12 * 60)).toBe("12 min");
    expect(formatDuration(65 * 60)).toBe("1 h 05");
    expect(formatDuration(2 * 3600)).toBe("2 h");
    expect(formatDuration(51 * 3600)).toBe("2 j 3 h");
  });

  it("ignores the sign (an overdue time reads the same)", () => {
    expect(formatDuration(-90 * 60)).toBe("1 h 30");
  });
});

describe("time left before the deadline", () => {
  it("is soon under an hour, overdue below zero, fine otherwise", () => {
    expect(urgencyOf(3599)).toBe("soon");
    expect(urgencyOf(3600)).toBe("ok");
    expect(urgencyOf(-1)).toBe("overdue");
  });

  it("keeps the server's urgency when there is no deadline", () => {
    expect(urgencyOf(null, "soon")).toBe("soon");
  });

  it("says what is left or by how much it is overdue", () => {
    expect(timeLeftLabel(25 * 60)).toBe("reste 25 min");
    expect(timeLeftLabel(-10 * 60)).toBe("dépassée de 10 min");
    expect(timeLeftLabel(null)).toBe("sans échéance");
  });
});

describe("instants in Paris time, relative to today", () => {
  const now = new Date("2026-07-14T10:00:00Z");

  it("says 'aujourd'hui' for the same Paris day", () => {
    expect(formatWhen("2026-07-14T12:30:00Z", now)).toBe("aujourd'hui à 14:30");
  });

  it("says 'demain' when the Paris day is the next one, even before midnight UTC", () => {
    expect(formatWhen("2026-07-14T22:30:00Z", now)).toBe("demain à 00:30");
  });

  it("names the day beyond tomorrow", () => {
    expect(formatWhen("2026-07-16T08:00:00Z", now)).toBe("jeu. 16/07 à 10:00");
  });
});

describe("patient details", () => {
  it("counts whole months of age on a Paris day", () => {
    expect(ageInMonths("2025-01-15", "2026-01-14")).toBe(11);
    expect(ageInMonths("2025-01-15", "2026-01-15")).toBe(12);
    expect(ageInMonths("2027-01-01", "2026-01-15")).toBeNull();
    expect(ageInMonths("15/01/2025", "2026-01-15")).toBeNull();
  });

  it("writes a birth date the French way, whatever the zone", () => {
    expect(formatBirthDate("1980-02-03")).toBe("03/02/1980");
  });

  it("shows French mobile numbers in pairs, others as they are", () => {
    expect(displayPhone("+33612345678")).toBe("06 12 34 56 78");
    expect(displayPhone("+3225551234")).toBe("+3225551234");
  });
});

describe("questions about one sex", () => {
  const flag = (id: string, sexes?: ("female" | "male")[]) =>
    ({ id, category: "other", question: id, reason: id, priority: "P0", age_bands: null, sexes: sexes ?? null }) as ProtocolDocument["red_flags"][number];
  const document = {
    red_flags: [flag("chest_pain"), flag("pregnancy_emergency", ["female"])],
    risk_factors: [],
    motifs: [],
    age_bands: [],
  } as unknown as ProtocolDocument;
  const motif = {
    id: "urinary_burning",
    questions: [
      { id: "fever_or_back_pain", text: "Fièvre ?", kind: "yes_no" },
      { id: "man", text: "S'agit-il d'un homme ?", kind: "yes_no", answered_by_sex: "male" },
    ],
  } as unknown as Motif;

  it("leaves out the other sex's questions once the sex is recorded, asks everything otherwise", () => {
    expect(appliesToSex(["female"], "male")).toBe(false);
    expect(appliesToSex(["female"], "female")).toBe(true);
    expect(appliesToSex(["female"], "undetermined")).toBe(true);
    expect(appliesToSex(null, "male")).toBe(true);
    expect(redFlagsFor(document, null, "male").map((f) => f.id)).toEqual(["chest_pain"]);
    expect(redFlagsFor(document, null, "undetermined").map((f) => f.id)).toEqual(["chest_pain", "pregnancy_emergency"]);
  });

  it("never asks « S'agit-il d'un homme ? » when the sex answers it", () => {
    expect(questionsFor(motif, "female").map((q) => q.id)).toEqual(["fever_or_back_pain"]);
    expect(questionsFor(motif, "male").map((q) => q.id)).toEqual(["fever_or_back_pain"]);
    expect(questionsFor(motif, "undetermined").map((q) => q.id)).toEqual(["fever_or_back_pain", "man"]);
  });

  it("sends only the answers to questions asked of this patient", () => {
    const sent = answersToSend(document, null, motif, { chest_pain: false, pregnancy_emergency: false, man: true }, "male");
    expect(sent).toEqual({ chest_pain: false });
  });
});

// The default protocol's bands and a few of its red flags, as the API sends them.
function flag(id: string, reason: string, age_bands?: string[]): RedFlag {
  return { id, reason, question: `${reason} ?`, category: "other", priority: "P0", ...(age_bands ? { age_bands } : {}) };
}

const PROTOCOL: ProtocolDocument = {
  title: "Protocole de test",
  notice: "",
  motifs: [],
  age_bands: [
    { id: "newborn", label: "Nourrisson de moins de 3 mois", min_months: 0, max_months: 3 },
    { id: "infant", label: "Nourrisson de 3 mois à 2 ans", min_months: 3, max_months: 24 },
    { id: "child", label: "Enfant de 2 à 15 ans", min_months: 24, max_months: 180 },
    { id: "adult", label: "Adulte de 15 à 75 ans", min_months: 180, max_months: 900 },
    { id: "elderly", label: "Personne de 75 ans et plus", min_months: 900 },
  ],
  red_flags: [
    flag("chest_pain", "Douleur thoracique", ["child", "adult", "elderly"]),
    flag("breathing", "Détresse respiratoire"),
    flag("asthma", "Crise d'asthme", ["infant", "child", "adult", "elderly"]),
    flag("infant_fever", "Fièvre du nourrisson", ["newborn"]),
    flag("pregnancy", "Urgence obstétricale", ["child", "adult"]),
    flag("stroke", "AVC"),
    flag("gap", "Exemple discontinu", ["newborn", "elderly"]),
  ],
};

const ids = (flags: readonly { id: string }[]) => flags.map((f) => f.id);

describe("red flags adapted to the age", () => {
  it("shows every age's flags while the age is unknown, the age-specific ones first and labelled", () => {
    const shown = redFlagsShown(PROTOCOL, null);
    expect(ids(shown.map((s) => s.flag))).toEqual(["chest_pain", "asthma", "infant_fever", "pregnancy", "gap", "breathing", "stroke"]);
    expect(shown.find((s) => s.flag.id === "infant_fever")?.ages).toBe("Nourrisson de moins de 3 mois");
    expect(shown.find((s) => s.flag.id === "breathing")?.ages).toBeNull();
  });

  it("shows only the band's flags once the age is known, the one proper to an infant first", () => {
    const band = ageBandFor(PROTOCOL, ageInMonths("2026-10-01", "2026-12-05"));
    expect(band?.id).toBe("newborn");
    expect(ids(redFlagsShown(PROTOCOL, "newborn").map((s) => s.flag))).toEqual(["infant_fever", "gap", "breathing", "stroke"]);
    expect(ids(redFlagsShown(PROTOCOL, "adult").map((s) => s.flag))).toEqual(["chest_pain", "asthma", "pregnancy", "breathing", "stroke"]);
  });

  it("says the ages of a flag in words", () => {
    expect(ageRangeLabel(PROTOCOL, ["newborn"])).toBe("Nourrisson de moins de 3 mois");
    expect(ageRangeLabel(PROTOCOL, ["infant", "child", "adult", "elderly"])).toBe("À partir de 3 mois");
    expect(ageRangeLabel(PROTOCOL, ["child", "adult", "elderly"])).toBe("À partir de 2 ans");
    expect(ageRangeLabel(PROTOCOL, ["adult", "child"])).toBe("De 2 ans à 75 ans");
    expect(ageRangeLabel(PROTOCOL, ["newborn", "elderly"])).toBe("Nourrisson de moins de 3 mois ou Personne de 75 ans et plus");
  });

  it("marks the flags a new birth date adds once the others are answered, never before", () => {
    expect(pendingAgeFlags(PROTOCOL, "newborn", {})).toEqual([]);
    expect(pendingAgeFlags(PROTOCOL, null, { breathing: false })).toEqual([]);
    // « tout Non » for an adult, then the birth date of a 2-month-old.
    const adultAllNo = { chest_pain: false, asthma: false, pregnancy: false, breathing: false, stroke: false };
    expect(ids(pendingAgeFlags(PROTOCOL, "newborn", adultAllNo))).toEqual(["infant_fever", "gap"]);
    expect(ids(pendingAgeFlags(PROTOCOL, "newborn", { ...adultAllNo, infant_fever: false, gap: false }))).toEqual([]);
    expect(ids(pendingAgeFlags(PROTOCOL, "adult", adultAllNo))).toEqual([]);
  });
});

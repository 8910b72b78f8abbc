import { describe, expect, it } from "vitest";

import type { Schemas } from "../../../api";
import { type FollowUpPage, followUpRows, knownIdentity } from "./followUp";

function request(id: number, closedAt: string, recorded: boolean): Schemas["FollowUpItem"] {
  return {
    id,
    status: "redirected_15",
    priority: "P0",
    family_name: "Martin",
    given_name: "Léa",
    age_label: "34 ans",
    motif: null,
    origin: "patient_call",
    referrer_structure: null,
    red_flag_id: "chest_pain",
    red_flag_text: "Douleur thoracique",
    closed_at: closedAt,
    transfer_15_mode: recorded ? "warm_transfer" : null,
    transfer_15_label: recorded ? "Appel transféré au 15 (transfert accompagné)" : null,
    transfer_15_at: recorded ? closedAt : null,
    transfer_15_by_name: recorded ? "Anne" : null,
    transfer_15_note: null,
    transfer_recorded: recorded,
  };
}

function redirect(id: number, recordedAt: string, names: { given?: string; family?: string } = {}): Schemas["FollowUpRedirect"] {
  return {
    id,
    given_name: names.given ?? null,
    family_name: names.family ?? null,
    age_label: null,
    phone_display: "",
    origin: "patient_call",
    red_flag_id: "chest_pain",
    red_flag_text: "Douleur thoracique",
    priority: "P0",
    note: null,
    recorded_at: recordedAt,
    recorded_by_name: "Anne",
    transfer_15_label: "Patient invité à appeler le 15 immédiatement",
  };
}

function page(items: Schemas["FollowUpItem"][], redirects: Schemas["FollowUpRedirect"][]): FollowUpPage {
  return { items, total: items.length, days: 7, redirects, redirects_total: redirects.length };
}

describe("the regulators' « suivi 15 » list", () => {
  it("puts the requests whose transfer is not recorded first, then everything newest first", () => {
    const rows = followUpRows(
      page(
        [request(1, "2026-12-05T09:00:00Z", true), request(2, "2026-12-05T08:00:00Z", false)],
        [redirect(7, "2026-12-05T10:00:00Z"), redirect(8, "2026-12-05T07:00:00Z")],
      ),
    );
    expect(rows.map((row) => row.key)).toEqual(["request-2", "redirect-7", "request-1", "redirect-8"]);
  });

  it("names a redirect's patient with what is known, or says the identity is unknown", () => {
    expect(knownIdentity(redirect(1, "2026-12-05T10:00:00Z", { given: "Agathe" }), "inconnu")).toBe("Agathe");
    expect(knownIdentity(redirect(1, "2026-12-05T10:00:00Z", { given: "Agathe", family: "Roux" }), "inconnu")).toBe("ROUX Agathe");
    expect(knownIdentity(redirect(1, "2026-12-05T10:00:00Z"), "inconnu")).toBe("inconnu");
  });
});

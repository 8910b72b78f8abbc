import type { ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { RangeFields, rangeFieldId, rangeFieldIds, type RangeEnd } from "./RangeFields";

const ignore = () => undefined;

function end(name: string, label: string, value: string, more: Partial<RangeEnd> = {}): RangeEnd {
  return { name, label, value, onChange: ignore, ...more };
}

/** The markup of a range of times « Début » / « Fin » under prefix "slot", with `props` instead. */
function markupOf(props: Partial<ComponentProps<typeof RangeFields>>): string {
  return renderToStaticMarkup(
    <RangeFields
      legend="Horaires"
      type="time"
      idPrefix="slot"
      start={end("start_time", "Début", "08:00")}
      end={end("end_time", "Fin", "09:00")}
      {...props}
    />,
  );
}

/** The attributes of each element `tag` of the markup, in order. */
function elements(markup: string, tag: string): Record<string, string>[] {
  return [...markup.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))].map((match) =>
    Object.fromEntries([...(match[1] ?? "").matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1] ?? "", a[2] ?? ""])),
  );
}

/** The text of the element of id `id` (a hint or an error). */
function textOf(markup: string, id: string): string | undefined {
  return markup.match(new RegExp(`id="${id}">([^<]*)<`))?.[1];
}

describe("RangeFields", () => {
  it("groups the pair under its legend, each input with its label, id and type", () => {
    const markup = markupOf({
      legend: "Période",
      type: "date",
      idPrefix: "absence",
      start: end("start_date", "Premier jour", "2026-03-02"),
      end: end("end_date", "Dernier jour", "2026-03-06"),
    });
    expect(markup).toMatch(/^<fieldset class="range-fields"><legend class="range-fields-legend">Période<\/legend>/);
    const [first, last] = elements(markup, "input");
    expect(first).toMatchObject({ id: "absence-start_date", type: "date", value: "2026-03-02" });
    expect(last).toMatchObject({ id: "absence-end_date", type: "date", value: "2026-03-06" });
    expect(elements(markup, "label").map((l) => l.for)).toEqual(["absence-start_date", "absence-end_date"]);
    expect(markup).toContain(">Premier jour</label>");
    expect(markup).toContain(">Dernier jour</label>");
    // Nothing is wrong: no aria-invalid, nothing to describe.
    expect(first).not.toHaveProperty("aria-invalid");
    expect(first).not.toHaveProperty("aria-describedby");
  });

  it("shows each end's server error beside it and points the input to its error and hint", () => {
    const markup = markupOf({
      errors: { end_time: "La fin doit suivre le début.", weekdays: "Choisissez un jour." },
      start: end("start_time", "Début", "14:00", { hint: "Heure de Paris" }),
      end: end("end_time", "Fin", "13:00", { hint: "Incluse" }),
    });
    const [first, last] = elements(markup, "input");
    expect(first).toMatchObject({ "aria-describedby": "slot-start_time-hint" });
    expect(first).not.toHaveProperty("aria-invalid");
    expect(last).toMatchObject({ "aria-describedby": "slot-end_time-error slot-end_time-hint", "aria-invalid": "true" });
    expect(textOf(markup, "slot-end_time-error")).toBe("La fin doit suivre le début.");
    expect(textOf(markup, "slot-start_time-hint")).toBe("Heure de Paris");
    expect(textOf(markup, "slot-end_time-hint")).toBe("Incluse");
    // Another field's error is not shown in the range.
    expect(markup).not.toContain("Choisissez un jour.");
  });

  it("prefers an end's own error to the one in errors", () => {
    const markup = markupOf({
      errors: { start_time: "Pas pour cette plage." },
      start: end("start_time", "Début", "17:00", { error: "Les plages se chevauchent." }),
    });
    expect(textOf(markup, "slot-start_time-error")).toBe("Les plages se chevauchent.");
    expect(markup).not.toContain("Pas pour cette plage.");
  });

  it("bounds both inputs, and the end by the start when ordered", () => {
    const markup = markupOf({
      type: "datetime-local",
      min: "2026-01-01T00:00",
      max: "2026-12-31T23:59",
      step: 300,
      ordered: true,
      required: true,
      start: end("from", "Du", "2026-05-04T08:00"),
      end: end("until", "Au", ""),
    });
    const [first, last] = elements(markup, "input");
    expect(first).toMatchObject({ type: "datetime-local", min: "2026-01-01T00:00", max: "2026-12-31T23:59", step: "300", required: "" });
    expect(last).toMatchObject({ min: "2026-05-04T08:00", max: "2026-12-31T23:59", step: "300", required: "" });
  });

  it("keeps the range's min for the end while the start is empty", () => {
    const markup = markupOf({ type: "date", min: "2026-01-01", ordered: true, start: end("a", "Du", ""), end: end("b", "Au", "") });
    expect(elements(markup, "input").map((i) => i.min)).toEqual(["2026-01-01", "2026-01-01"]);
  });

  it("bounds the end by nothing but the range when not ordered", () => {
    const markup = markupOf({ start: end("a", "De", "10:00"), end: end("b", "À", "") });
    expect(elements(markup, "input").every((i) => !("min" in i))).toBe(true);
  });

  it("disables both inputs, hides the legend on request and keeps the fields around the pair in its row", () => {
    const markup = markupOf({
      legend: "Créneau",
      legendHidden: true,
      disabled: true,
      wide: true,
      before: <p id="before">la date</p>,
      children: <p id="after">la durée</p>,
    });
    expect(markup).toContain('<legend class="visually-hidden">Créneau</legend>');
    const inputs = elements(markup, "input");
    expect(inputs).toHaveLength(2);
    expect(inputs.every((i) => "disabled" in i)).toBe(true);
    expect(elements(markup, "div").filter((d) => d.class === "field field-wide")).toHaveLength(2);
    expect(markup.indexOf('id="before"')).toBeLessThan(markup.indexOf('id="slot-start_time"'));
    expect(markup.indexOf('id="slot-end_time"')).toBeLessThan(markup.indexOf('id="after"'));
  });

  it("derives the ids an ErrorSummary links to", () => {
    expect(rangeFieldId("absence", "start_date")).toBe("absence-start_date");
    expect(rangeFieldIds("absence", "start_date", "end_date")).toEqual({ start_date: "absence-start_date", end_date: "absence-end_date" });
  });
});

import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { CheckboxGroup, RadioGroup, toggledChoice } from "./ChoiceGroups";

const ignore = () => undefined;

/** The attributes of each element `tag` of the markup, in order. */
function elements(markup: string, tag: string): Record<string, string>[] {
  return [...markup.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))].map((match) =>
    Object.fromEntries([...(match[1] ?? "").matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1] ?? "", a[2] ?? ""])),
  );
}

const SEX = [
  { value: "female", label: "Femme" },
  { value: "male", label: "Homme" },
] as const;

const KINDS = [
  { value: "snp", label: "SNP" },
  { value: "sas", label: "SAS", hint: "visible des régulateurs" },
  { value: "cpts", label: "CPTS" },
] as const;

describe("RadioGroup", () => {
  it("is a fieldset under its legend whose chosen option is checked and framed", () => {
    const markup = renderToStaticMarkup(<RadioGroup legend="Sexe" name="sex" options={SEX} value="male" onChange={ignore} />);
    expect(markup).toMatch(/^<fieldset[^>]*class="field radio-group"/);
    expect(markup).toContain("<legend>Sexe</legend>");
    const inputs = elements(markup, "input");
    expect(inputs.map((i) => i.type)).toEqual(["radio", "radio"]);
    expect(inputs.map((i) => "checked" in i)).toEqual([false, true]);
    expect(new Set(inputs.map((i) => i.name)).size).toBe(1);
    expect(elements(markup, "label").map((l) => l.class)).toEqual(["radio", "radio radio-checked"]);
  });

  it("announces its error from the fieldset, and two groups of one name never share their buttons", () => {
    const markup = renderToStaticMarkup(
      <>
        <RadioGroup id="first" legend="Sexe" name="sex" options={SEX} value={null} onChange={ignore} error="Indiquez le sexe." />
        <RadioGroup id="second" legend="Sexe" name="sex" options={SEX} value={null} onChange={ignore} />
      </>,
    );
    const [first, second] = elements(markup, "fieldset");
    expect(first).toMatchObject({ id: "first", "aria-describedby": "first-error", "aria-invalid": "true" });
    expect(first?.class).toContain("field-invalid");
    expect(markup).toContain('<p class="field-error" id="first-error">Indiquez le sexe.</p>');
    expect(second?.["aria-describedby"]).toBeUndefined();
    const names = elements(markup, "input").map((i) => i.name);
    expect(names).toEqual(["sex-first", "sex-first", "sex-second", "sex-second"]);
  });
});

describe("CheckboxGroup", () => {
  it("ticks the chosen codes, each option with its label and hint", () => {
    const markup = renderToStaticMarkup(
      <CheckboxGroup legend="Type de créneau" options={KINDS} value={["sas"]} onChange={ignore} hint="Un au moins." />,
    );
    expect(markup).toMatch(/^<fieldset[^>]*class="field check-group"/);
    expect(markup).toContain('<p class="field-hint">Un au moins.</p>');
    expect(elements(markup, "input").map((i) => "checked" in i)).toEqual([false, true, false]);
    expect(markup).toContain('SAS<span class="check-hint"> — visible des régulateurs</span>');
  });

  it("names its error to assistive technology", () => {
    const markup = renderToStaticMarkup(
      <CheckboxGroup legend="Type de créneau" options={KINDS} value={[]} onChange={ignore} error="Choisissez un type." />,
    );
    const [fieldset] = elements(markup, "fieldset");
    const errorId = fieldset?.["aria-describedby"];
    expect(errorId).toBeTruthy();
    expect(markup).toContain(`id="${errorId}">Choisissez un type.</p>`);
  });
});

describe("toggledChoice", () => {
  const order = ["mon", "tue", "wed", "thu"];

  it("keeps the options' order whatever the order of the clicks", () => {
    expect(toggledChoice(order, ["wed"], "mon", true)).toEqual(["mon", "wed"]);
    expect(toggledChoice(order, ["thu", "mon"], "tue", true)).toEqual(["mon", "tue", "thu"]);
  });

  it("removes an unticked code and ignores a repeated tick", () => {
    expect(toggledChoice(order, ["mon", "wed"], "mon", false)).toEqual(["wed"]);
    expect(toggledChoice(order, ["mon"], "mon", true)).toEqual(["mon"]);
  });
});

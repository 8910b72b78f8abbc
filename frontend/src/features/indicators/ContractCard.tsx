/** The contract's form: signature, size, operator hour cost and the indicators of each year. */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { formatDateTime } from "../../shell/format";
import { Card } from "../../shell/Page";
import { Button, ErrorSummary, Field, Loaded, Notice } from "../../ui";
import { aciManageTexts } from "./aciManageTexts";
import { indicatorsKeys } from "./queryKeys";

type ContractIn = Schemas["ContractIn"];
type IndicatorIn = Schemas["IndicatorIn"];
const t = aciManageTexts.contract;

const NATIONAL: readonly [string, string, IndicatorIn["direction"]][] = [
  ["national_1", "Patients ayant un médecin traitant", "increasing"],
  ["national_2", "Patients ALD, 70 ans et plus, CMU-C sans médecin traitant", "decreasing"],
  ["national_3", "Passages aux urgences non suivis d'hospitalisation (%)", "decreasing"],
  ["national_4", "Hospitalisations directes adressées par la ville (%)", "increasing"],
];

/** A first contract to fill in: the five national indicators of year 1. */
export function blankContract(): ContractIn {
  const entered = NATIONAL.map(([code, label, direction]) => ({
    contract_year: 1,
    code,
    label,
    definition: label,
    calculation: "Chiffre communiqué par la CPAM ou l'ARS pour l'année du contrat.",
    source: "entered" as const,
    metric: null,
    baseline: 0,
    target: 0,
    weight: 15,
    direction,
  }));
  return {
    signed_on: new Date().toISOString().slice(0, 10),
    cpts_size: 1,
    operator_hour_cost: 0,
    indicators: [
      ...entered,
      {
        contract_year: 1,
        code: "national_5",
        label: "Consultations enregistrées dans l'organisation SNP",
        definition: "Consultations de soins non programmés réalisées dans les créneaux de l'organisation territoriale.",
        calculation: "Rendez-vous SNP où le patient a été vu, par date de consultation.",
        source: "platform",
        metric: "snp_consultations",
        baseline: 0,
        target: 0,
        weight: 40,
        direction: "increasing",
      },
    ],
  };
}

export function ContractCard() {
  const contract = useApiQuery(indicatorsKeys.aciContract, (signal) => api.GET("/api/indicators/aci/contract", { signal }));
  const missing = contract.error?.status === 404;
  return (
    <Card title={t.title} id="aci-contract">
      {missing ? (
        <ContractForm initial={blankContract()} />
      ) : (
        <Loaded query={contract}>
          {(c) => (
            <ContractForm
              initial={{
                signed_on: c.signed_on,
                cpts_size: c.cpts_size,
                operator_hour_cost: c.operator_hour_cost,
                indicators: c.indicators,
              }}
            />
          )}
        </Loaded>
      )}
      <Versions />
    </Card>
  );
}

function ContractForm({ initial }: { initial: ContractIn }) {
  const [form, setForm] = useState<ContractIn>(initial);
  const save = useApiMutation((body: ContractIn) => api.PUT("/api/indicators/aci/contract", { body }), {
    invalidates: [indicatorsKeys.aci],
  });
  const set = (patch: Partial<ContractIn>) => setForm({ ...form, ...patch });
  const setIndicator = (index: number, patch: Partial<IndicatorIn>) =>
    set({ indicators: form.indicators.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(form);
  }
  const number = (value: string) => (value === "" ? 0 : Number(value));
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary title={t.errors} error={save.error} />
      {save.isSuccess && save.data ? <Notice tone="success">{t.saved(save.data.version)}</Notice> : null}
      <div className="aci-form-row">
        <Field label={t.signedOn} hint={t.signedOnHint} error={save.error?.fieldError("signed_on")}>
          {(p) => (
            <input
              id={p.id}
              type="date"
              aria-describedby={p.describedBy}
              aria-invalid={p.invalid}
              value={form.signed_on}
              onChange={(e) => set({ signed_on: e.target.value })}
            />
          )}
        </Field>
        <Field label={t.size} error={save.error?.fieldError("cpts_size")}>
          {(p) => (
            <select id={p.id} aria-describedby={p.describedBy} value={form.cpts_size} onChange={(e) => set({ cpts_size: Number(e.target.value) })}>
              {[1, 2, 3, 4].map((size) => (
                <option key={size} value={size}>
                  {t.sizes[size]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.hourCost} error={save.error?.fieldError("operator_hour_cost")}>
          {(p) => (
            <input
              id={p.id}
              type="number"
              min={0}
              step="0.01"
              aria-describedby={p.describedBy}
              value={form.operator_hour_cost ?? 0}
              onChange={(e) => set({ operator_hour_cost: number(e.target.value) })}
            />
          )}
        </Field>
      </div>
      <h3>{t.indicators}</h3>
      <p className="card-note">{t.indicatorsHint}</p>
      {form.indicators.map((row, index) => (
        <fieldset key={`${index}-${row.code}`} className="aci-indicator">
          <legend>
            {t.year} {row.contract_year} — {row.label || row.code}
          </legend>
          <div className="aci-form-row">
            <label>
              {t.year}
              <input type="number" min={1} max={5} value={row.contract_year} onChange={(e) => setIndicator(index, { contract_year: number(e.target.value) })} />
            </label>
            <label>
              {t.code}
              <input value={row.code} onChange={(e) => setIndicator(index, { code: e.target.value })} />
            </label>
            <label className="aci-grow">
              {t.label}
              <input value={row.label} onChange={(e) => setIndicator(index, { label: e.target.value })} />
            </label>
          </div>
          <div className="aci-form-row">
            <label className="aci-grow">
              {t.definition}
              <textarea rows={2} value={row.definition} onChange={(e) => setIndicator(index, { definition: e.target.value })} />
            </label>
            <label className="aci-grow">
              {t.calculation}
              <textarea rows={2} value={row.calculation} onChange={(e) => setIndicator(index, { calculation: e.target.value })} />
            </label>
          </div>
          <div className="aci-form-row">
            <label>
              {t.source}
              <select
                value={row.source}
                onChange={(e) => {
                  const source = e.target.value as IndicatorIn["source"];
                  setIndicator(index, { source, metric: source === "platform" ? "snp_consultations" : null });
                }}
              >
                {Object.entries(t.sources).map(([key, label]) => (
                  <option key={key} value={key}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            {row.source === "platform" ? (
              <label>
                {t.metric}
                <select value={row.metric ?? ""} onChange={(e) => setIndicator(index, { metric: e.target.value as IndicatorIn["metric"] })}>
                  {Object.entries(t.metrics).map(([key, label]) => (
                    <option key={key} value={key}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              {t.baseline}
              <input type="number" step="any" value={row.baseline} onChange={(e) => setIndicator(index, { baseline: number(e.target.value) })} />
            </label>
            <label>
              {t.target}
              <input type="number" step="any" value={row.target} onChange={(e) => setIndicator(index, { target: number(e.target.value) })} />
            </label>
            <label>
              {t.weight}
              <input type="number" step="any" min={0} max={100} value={row.weight} onChange={(e) => setIndicator(index, { weight: number(e.target.value) })} />
            </label>
            <label>
              {t.direction}
              <select value={row.direction} onChange={(e) => setIndicator(index, { direction: e.target.value as IndicatorIn["direction"] })}>
                {Object.entries(t.directions).map(([key, label]) => (
                  <option key={key} value={key}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <Button size="small" onClick={() => set({ indicators: form.indicators.filter((_, i) => i !== index) })}>
              {t.remove}
            </Button>
          </div>
        </fieldset>
      ))}
      <p>
        <Button
          onClick={() =>
            set({
              indicators: [
                ...form.indicators,
                { ...blankContract().indicators[0], code: `indicateur_${form.indicators.length + 1}`, label: "", definition: "", calculation: "" } as IndicatorIn,
              ],
            })
          }
        >
          {t.add}
        </Button>{" "}
        <Button type="submit" variant="primary" busy={save.isPending}>
          {save.isPending ? t.saving : t.save}
        </Button>
      </p>
    </form>
  );
}

function Versions() {
  const versions = useApiQuery(indicatorsKeys.aciVersions, (signal) => api.GET("/api/indicators/aci/contract/versions", { signal }));
  if (!versions.data || versions.data.length === 0) return null;
  return (
    <details>
      <summary>{t.versions}</summary>
      <ul>
        {versions.data.map((v) => (
          <li key={v.version}>{t.version(v.version, formatDateTime(v.saved_at))}</li>
        ))}
      </ul>
    </details>
  );
}

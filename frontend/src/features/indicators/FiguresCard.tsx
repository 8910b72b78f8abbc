/** The national indicators' figures (CPAM, ARS): entered one by one or imported from a CSV. */
import { useState, type ChangeEvent, type FormEvent } from "react";

import { api, sendingFile, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { formatNumber } from "../../shell/format";
import { Card } from "../../shell/Page";
import { Button, ErrorSummary, Field, Notice } from "../../ui";
import { aciManageTexts } from "./aciManageTexts";
import { indicatorsKeys } from "./queryKeys";

type FigureIn = Schemas["FigureIn"];
const t = aciManageTexts.figures;

export function FiguresCard() {
  const figures = useApiQuery(indicatorsKeys.aciFigures, (signal) => api.GET("/api/indicators/aci/figures", { signal }));
  const contract = useApiQuery(indicatorsKeys.aciContract, (signal) => api.GET("/api/indicators/aci/contract", { signal }));
  const entered = (contract.data?.indicators ?? []).filter((i) => i.source === "entered");
  const codes = [...new Set(entered.map((i) => i.code))];
  const [form, setForm] = useState<FigureIn>({
    code: "national_1",
    contract_year: 1,
    value: 0,
    source: "",
    figure_date: new Date().toISOString().slice(0, 10),
  });
  const save = useApiMutation((body: FigureIn) => api.PUT("/api/indicators/aci/figures", { body }), {
    invalidates: [indicatorsKeys.aci],
  });
  const upload = useApiMutation(
    (file: File) => {
      const body = new FormData();
      body.append("file", file);
      // The typed body says `file: string`; the real body is the FormData built above.
      return sendingFile(api.POST("/api/indicators/aci/figures/import", { body: { file: "" }, bodySerializer: () => body }));
    },
    { invalidates: [indicatorsKeys.aci] },
  );
  const set = (patch: Partial<FigureIn>) => setForm({ ...form, ...patch });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(form);
  }
  function pick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) upload.mutate(file);
    event.target.value = "";
  }
  const labelOf = (code: string) => entered.find((i) => i.code === code)?.label ?? code;
  return (
    <Card title={t.title} id="aci-figures">
      <p className="card-note">{t.intro}</p>
      {figures.data && figures.data.length > 0 ? (
        <table className="aci-table">
          <thead>
            <tr>
              <th scope="col" className="aci-wide">{t.code}</th>
              <th scope="col">{t.year}</th>
              <th scope="col">{t.value}</th>
              <th scope="col">{t.source}</th>
              <th scope="col">{t.date}</th>
            </tr>
          </thead>
          <tbody>
            {figures.data.map((f) => (
              <tr key={`${f.code}-${f.contract_year}`}>
                <th scope="row" className="aci-wide">{labelOf(f.code)}</th>
                <td>{f.contract_year}</td>
                <td>{formatNumber(f.value)}</td>
                <td>{f.source}</td>
                <td>{f.figure_date.split("-").reverse().join("/")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t.empty}</p>
      )}
      <form onSubmit={submit} noValidate>
        <ErrorSummary title={t.errors} error={save.error ?? upload.error} />
        {upload.data ? <Notice tone="success">{t.imported(upload.data.imported)}</Notice> : null}
        <div className="aci-form-row">
          <Field label={t.code} error={save.error?.fieldError("code")}>
            {(p) => (
              <select id={p.id} value={form.code} onChange={(e) => set({ code: e.target.value })}>
                {(codes.length > 0 ? codes : ["national_1", "national_2", "national_3", "national_4"]).map((code) => (
                  <option key={code} value={code}>
                    {labelOf(code)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t.year} error={save.error?.fieldError("contract_year")}>
            {(p) => (
              <input id={p.id} type="number" min={1} max={5} value={form.contract_year} onChange={(e) => set({ contract_year: Number(e.target.value) })} />
            )}
          </Field>
          <Field label={t.value} error={save.error?.fieldError("value")}>
            {(p) => <input id={p.id} type="number" step="any" value={form.value} onChange={(e) => set({ value: Number(e.target.value) })} />}
          </Field>
          <Field label={t.source} error={save.error?.fieldError("source")}>
            {(p) => <input id={p.id} value={form.source} onChange={(e) => set({ source: e.target.value })} />}
          </Field>
          <Field label={t.date} error={save.error?.fieldError("figure_date")}>
            {(p) => <input id={p.id} type="date" value={form.figure_date} onChange={(e) => set({ figure_date: e.target.value })} />}
          </Field>
        </div>
        <p>
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t.save}
          </Button>
        </p>
      </form>
      <Field label={t.importLabel} hint={t.importHint}>
        {(p) => <input id={p.id} type="file" accept=".csv,text/csv" aria-describedby={p.describedBy} onChange={pick} />}
      </Field>
    </Card>
  );
}

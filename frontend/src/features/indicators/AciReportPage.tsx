/** The ACI contract year report, for the coordination and the funders (ARS, CPAM): every
 * indicator with its definition and calculation next to its value, the attainment table and
 * the money. Laid out for A4 portrait: fixed-width tables that wrap, no chart. */
import { Link, useSearchParams } from "react-router";

import { api, useApiQuery, type Schemas } from "../../api";
import { useUser } from "../../shell/auth";
import { formatNumber } from "../../shell/format";
import { useCptsName } from "../../shell/territory";
import { Loaded } from "../../ui";
import { aciTexts as t } from "./aciTexts";
import { INDICATORS_PATHS } from "./paths";
import { indicatorsKeys } from "./queryKeys";
import "./aci.css";

type YearView = Schemas["YearView"];
type Contract = Schemas["ContractOut"];
type MoneyOut = Schemas["MoneyOut"];

const euros = (value: number) =>
  new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(value);
const day = (iso: string) => iso.split("-").reverse().join("/");
const pct = (value: number | null | undefined) => (value == null ? "—" : `${formatNumber(value)} %`);
const num = (value: number | null | undefined) => (value == null ? t.noValue : formatNumber(value));

function Help({ text }: { text: string }) {
  return (
    <abbr className="aci-help" title={text} aria-label={text}>
      ?
    </abbr>
  );
}

function MoneyRows({ money }: { money: MoneyOut }) {
  const m = t.money;
  return (
    <>
      <tr><th scope="row">{m.fixed}</th><td>{euros(money.fixed)}</td></tr>
      <tr><th scope="row">{m.variableMax}</th><td>{euros(money.variable_max)}</td></tr>
      <tr><th scope="row">{m.variableEarned} <Help text={t.help.variable} /></th><td>{euros(money.variable_earned)}</td></tr>
      <tr><th scope="row">{m.total}</th><td>{euros(money.total)}</td></tr>
      <tr><th scope="row">{m.advance(day(money.advance_date))} <Help text={t.help.advance} /></th><td>{euros(money.advance)}</td></tr>
      <tr><th scope="row">{m.balance(day(money.balance_due_by))} <Help text={t.help.balance} /></th><td>{euros(money.balance)}</td></tr>
    </>
  );
}

function YearReport({ contract, view }: { contract: Contract; view: YearView }) {
  const c = t.columns;
  return (
    <>
      <p className="aci-sub">
        {t.period(day(view.start), day(view.end))} — {t.status[view.status]}.{" "}
        {t.signed(day(contract.signed_on), contract.cpts_size, contract.size_population)}
      </p>
      {view.partial && view.data_until ? (
        <p className="aci-warning" role="note">{t.partial(day(view.data_until), view.days_elapsed, view.days_in_year)}</p>
      ) : null}
      {view.missing_figures.length > 0 ? (
        <p className="aci-warning" role="note">{t.missing(view.missing_figures.join(", "))}</p>
      ) : null}

      <section>
        <h2>{t.attainmentTitle} <Help text={t.help.attainment} /></h2>
        <table className="aci-table">
          <thead>
            <tr>
              <th scope="col" className="aci-wide">{c.indicator}</th>
              <th scope="col">{c.baseline}</th>
              <th scope="col">{c.target}</th>
              <th scope="col">{c.weight}</th>
              <th scope="col">{c.value}</th>
              <th scope="col">{c.attainment}</th>
              {view.partial ? <th scope="col">{c.projected}</th> : null}
            </tr>
          </thead>
          <tbody>
            {view.indicators.map((i) => (
              <tr key={i.code}>
                <th scope="row" className="aci-wide">{i.label} <span className="aci-dir">({t.direction[i.direction]})</span></th>
                <td>{formatNumber(i.baseline)}</td>
                <td>{formatNumber(i.target)}</td>
                <td>{pct(i.weight)}</td>
                <td>{num(i.value)}</td>
                <td>{pct(i.attainment_percent)}</td>
                {view.partial ? <td>{pct(i.projected_attainment_percent)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2>{t.moneyTitle}</h2>
        <div className="aci-money">
          <table className="aci-table aci-pairs">
            <caption>{view.status === "final" ? t.money.final : t.money.toDate}</caption>
            <tbody><MoneyRows money={view.money} /></tbody>
          </table>
          {view.projected_money ? (
            <table className="aci-table aci-pairs">
              <caption>{t.money.projected}</caption>
              <tbody><MoneyRows money={view.projected_money} /></tbody>
            </table>
          ) : null}
        </div>
        <h3>{t.envelopesTitle}</h3>
        <table className="aci-table aci-pairs">
          <tbody>
            <tr><th scope="row">{t.envelopes.running}</th><td>{euros(view.amounts.running)}</td></tr>
            <tr><th scope="row">{t.envelopes.gp}</th><td>{euros(view.amounts.gp_compensation)}</td></tr>
            <tr><th scope="row">{t.envelopes.orientation}</th><td>{euros(view.amounts.orientation_service)}</td></tr>
          </tbody>
        </table>
        <p className="aci-foot">{t.source(contract.amounts_source)}</p>
      </section>

      <section>
        <h2>{t.indicatorsTitle}</h2>
        {view.indicators.map((i) => (
          <div key={i.code} className="aci-definition">
            <h3>{i.label} — {num(i.value)}</h3>
            <p><strong>{t.definition} :</strong> {i.definition}</p>
            <p><strong>{t.calculation} :</strong> {i.calculation}</p>
            <p><strong>{t.origin} :</strong> {i.value_origin ?? t.noValue}</p>
          </div>
        ))}
      </section>
    </>
  );
}

export function AciReportPage() {
  const [params, setParams] = useSearchParams();
  const cpts = useCptsName();
  const coordinator = useUser().role === "coordinator";
  const contract = useApiQuery(indicatorsKeys.aciContract, (signal) =>
    api.GET("/api/indicators/aci/contract", { signal }),
  );
  const current = contract.data?.years.find((y) => y.status === "live")?.year ?? 1;
  const year = Number(params.get("annee")) || current;
  const view = useApiQuery(
    indicatorsKeys.aciYear(year),
    (signal) => api.GET("/api/indicators/aci/years/{year}", { params: { path: { year } }, signal }),
    { enabled: contract.data !== undefined },
  );
  return (
    <article className="aci-report">
      <div className="aci-tools no-print">
        <label>
          {t.year}{" "}
          <select value={year} onChange={(e) => setParams({ annee: e.target.value })}>
            {[1, 2, 3, 4, 5].map((y) => (
              <option key={y} value={y}>{y}</option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t.print}
        </button>
        {coordinator ? <Link to={INDICATORS_PATHS.aciManage}>{t.manage}</Link> : null}
      </div>
      <header>
        <h1>{t.title(year)}</h1>
        <p className="aci-sub">{cpts ? `${cpts} — ` : ""}{t.subtitle}</p>
      </header>
      <Loaded query={contract}>
        {(c) => (
          <Loaded query={view}>
            {(v) => <YearReport contract={c} view={v} />}
          </Loaded>
        )}
      </Loaded>
    </article>
  );
}



/**
 * The clinical checks of a version, computed by the server: its vignettes run on it, their
 * coverage (age bands, motifs, risk factors) and the "no red flag is ever queued" property.
 */
import type { Checks } from "./model";
import { protocolTexts as t } from "./texts";



export function ChecksPanel({ checks, draft }: { checks: Checks; draft: boolean }) {
  const tc = t.checks;
  const prop = checks.red_flag_property;
  const failed = checks.vignettes.filter((v) => !v.passed);
  return (
    <div className="checks" role="region" aria-label={tc.region}>
      <p className={`notice ${checks.approvable ? "notice-success" : "notice-error"}`}>
        {checks.approvable ? (draft ? tc.approvable : tc.allPass) : tc.notApprovable}
      </p>
      <h3>{tc.propertyTitle}</h3>
      {prop.holds ? (
        <p className="check-ok">{tc.propertyHolds(prop.cases_checked)}</p>
      ) : (
        <div className="check-failed">
          <p>{tc.propertyFails(prop.violations_total, prop.cases_checked)}</p>
          <ul>
            {prop.violations.map((v, i) => (
              <li key={i}>{v}</li>
            ))}
          </ul>
        </div>
      )}
      <h3>{tc.vignettesTitle}</h3>
      <p className={failed.length === 0 && checks.vignettes_total > 0 ? "check-ok" : "check-failed"}>
        {tc.vignettesSummary(checks.vignettes_passed, checks.vignettes_total)}
      </p>
      {checks.coverage_gaps.length > 0 ? (
        <div className="check-failed">
          <p>{tc.coverageTitle}</p>
          <ul>
            {checks.coverage_gaps.map((gap) => (
              <li key={gap}>{gap}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {checks.vignettes.length > 0 ? (
        <div className="table-scroll">
          <table className="vignettes">
            <caption className="visually-hidden">{tc.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{tc.verdict}</th>
                <th scope="col">{tc.case}</th>
                <th scope="col">{tc.expected}</th>
                <th scope="col">{tc.outcome}</th>
              </tr>
            </thead>
            <tbody>
              {[...failed, ...checks.vignettes.filter((v) => v.passed)].map((v) => (
                <tr key={v.id} className={v.passed ? "vignette-passed" : "vignette-failed"}>
                  <td className="nowrap">{v.passed ? tc.passed : tc.failed}</td>
                  <th scope="row">
                    {v.label}
                    <span className="cell-sub">
                      {v.motif_label} — {v.age_band_label}
                    </span>
                  </th>
                  <td>{v.expected}</td>
                  <td>
                    {v.outcome}
                    {v.problems.length > 0 ? (
                      <ul className="vignette-problems">
                        {v.problems.map((p) => (
                          <li key={p}>{p}</li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

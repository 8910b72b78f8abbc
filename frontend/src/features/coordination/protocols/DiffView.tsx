/** A unified diff shown as numbered lines: added in green (+), removed in red (−). */
import { parseUnifiedDiff } from "./diff";
import { protocolTexts as t } from "./texts";

export function DiffView({ diff, base, number }: { diff: string; base: number | null; number: number }) {
  const tv = t.version;
  if (diff.trim() === "") return <p className="muted">{tv.identical}</p>;
  const lines = parseUnifiedDiff(diff);
  return (
    <>
      <p className="card-note">{tv.legend}</p>
      <div className="table-scroll diff-scroll" tabIndex={0} role="region" aria-label={tv.diffCaption(base, number)}>
        <table className="diff">
          <caption className="visually-hidden">{tv.diffCaption(base, number)}</caption>
          <tbody>
            {lines.map((line, i) =>
              line.kind === "hunk" ? (
                <tr key={i} className="diff-hunk">
                  <td colSpan={4}>{tv.hunk(line.oldStart, line.newStart)}</td>
                </tr>
              ) : (
                <tr key={i} className={`diff-${line.kind}`}>
                  <td className="diff-num">{line.oldNumber ?? ""}</td>
                  <td className="diff-num">{line.newNumber ?? ""}</td>
                  <td className="diff-sign" aria-hidden="true">
                    {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : ""}
                  </td>
                  <td className="diff-text">
                    {line.kind === "added" ? <span className="visually-hidden">{tv.added} : </span> : null}
                    {line.kind === "removed" ? <span className="visually-hidden">{tv.removed} : </span> : null}
                    {line.text}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

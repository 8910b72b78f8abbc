/** Reading a unified diff (as Python's difflib writes it) into numbered lines for display. */

export type DiffLine =
  | { kind: "hunk"; text: string; oldStart: number; newStart: number }
  | { kind: "added" | "removed" | "context"; text: string; oldNumber: number | null; newNumber: number | null };

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseUnifiedDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const raw of diff.split("\n")) {
    if (raw.startsWith("--- ") || raw.startsWith("+++ ")) continue;
    const hunk = HUNK.exec(raw);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      out.push({ kind: "hunk", text: raw, oldStart: oldLine, newStart: newLine });
      continue;
    }
    if (raw.startsWith("\\")) continue; // "\ No newline at end of file"
    if (raw.startsWith("+")) out.push({ kind: "added", text: raw.slice(1), oldNumber: null, newNumber: newLine++ });
    else if (raw.startsWith("-")) out.push({ kind: "removed", text: raw.slice(1), oldNumber: oldLine++, newNumber: null });
    else if (raw.startsWith(" ")) out.push({ kind: "context", text: raw.slice(1), oldNumber: oldLine++, newNumber: newLine++ });
  }
  return out;
}

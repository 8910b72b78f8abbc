/** The operator's transfer message as the regulator's worklist shows it: its first line, cut. */
export const TRANSFER_PREVIEW_CHARS = 60;

export function transferPreview(note: string, max: number = TRANSFER_PREVIEW_CHARS): string {
  const lines = note.trim().split(/\r?\n/);
  const first = (lines[0] ?? "").trim();
  const cut = first.length > max;
  const shown = cut ? first.slice(0, max).trimEnd() : first;
  return cut || lines.length > 1 ? `${shown} …` : shown;
}

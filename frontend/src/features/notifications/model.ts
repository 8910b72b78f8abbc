/** Small helpers of the notifications screens. */

/** "06 •• •• 56 78": enough to tell messages apart on a demo screen, not the whole number. */
export function maskPhone(display: string): string {
  const groups = display.split(" ");
  if (groups.length < 4) return display.length > 6 ? `${display.slice(0, 3)}•••${display.slice(-4)}` : display;
  return groups.map((g, i) => (i === 0 || i >= groups.length - 2 ? g : "••")).join(" ");
}

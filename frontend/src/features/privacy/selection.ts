/**
 * Which found requests are ticked at first. A phone number may be shared (a parent's mobile used
 * for a child): the requests are ticked only when they all name one person (same family name,
 * given name and birth date, ignoring case and accents); otherwise the coordinator ticks them.
 */
export interface PersonKey {
  id: number;
  family_name: string;
  given_name: string;
  birth_date: string;
}

function folded(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[-'\s]+/g, " ")
    .trim();
}

export function personOf(request: PersonKey): string {
  return `${folded(request.family_name)}|${folded(request.given_name)}|${request.birth_date}`;
}

/** The ids to tick, and whether the requests name several people. */
export function initialSelection(requests: readonly PersonKey[]): { ids: Set<number>; severalPeople: boolean } {
  const people = new Set(requests.map(personOf));
  if (people.size <= 1) return { ids: new Set(requests.map((r) => r.id)), severalPeople: false };
  return { ids: new Set(), severalPeople: true };
}

/** `1986-03-14` -> `14/03/1986`. */
export function frenchDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

/** The dashboard's filters: what the form edits, and the query string the API and the exports get. */
export type Granularity = "month" | "quarter" | "year";
export type Preset = "month" | "year" | "custom";

export interface FilterForm {
  preset: Preset;
  month: string; // YYYY-MM
  year: number;
  start: string; // YYYY-MM-DD
  end: string;
  granularity: Granularity;
  commune: string;
  origin: string;
  effectorId: string;
}

export interface Query {
  start: string;
  end: string;
  granularity: Granularity;
  commune?: string;
  origin?: string;
  effector_id?: number;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function defaultForm(today: Date = new Date()): FilterForm {
  const year = today.getFullYear();
  const month = `${year}-${pad(today.getMonth() + 1)}`;
  return {
    preset: "year",
    month,
    year,
    start: `${year}-01-01`,
    end: `${year}-12-31`,
    granularity: "month",
    commune: "",
    origin: "",
    effectorId: "",
  };
}

export function toQuery(form: FilterForm): Query {
  let start = form.start;
  let end = form.end;
  if (form.preset === "month") {
    const [y, m] = form.month.split("-").map(Number) as [number, number];
    start = `${y}-${pad(m)}-01`;
    end = `${y}-${pad(m)}-${pad(lastDay(y, m))}`;
  } else if (form.preset === "year") {
    start = `${form.year}-01-01`;
    end = `${form.year}-12-31`;
  }
  const query: Query = { start, end, granularity: form.granularity };
  if (form.commune) query.commune = form.commune;
  if (form.origin) query.origin = form.origin;
  if (form.effectorId) query.effector_id = Number(form.effectorId);
  return query;
}

export function queryString(query: Query, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

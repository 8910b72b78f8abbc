/** The year of a compensation statement: last year or this one (the years a statement covers). */
export function StatementYearSelect({ label, year, onChange }: { label: string; year: number; onChange: (year: number) => void }) {
  const thisYear = new Date().getFullYear();
  return (
    <label>
      {label}{" "}
      <select value={year} onChange={(e) => onChange(Number(e.target.value))}>
        {[thisYear - 1, thisYear].map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
    </label>
  );
}

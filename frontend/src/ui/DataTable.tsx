import { useId, useMemo, useState, type HTMLAttributes, type ReactNode } from "react";

import { uiTexts } from "./texts";

export interface Column<Row> {
  key: string;
  header: ReactNode;
  /** The header as text, for the sort button's name when `header` is not a string. */
  headerText?: string;
  /** A row header (`<th scope="row">`) rather than a data cell. */
  rowHeader?: boolean;
  className?: string;
  cell: (row: Row) => ReactNode;
  /** Makes the column sortable with this comparison (ascending). */
  sort?: (a: Row, b: Row) => number;
}

/** Attributes of a row: a class, `data-*` attributes for tests and styles. */
export type RowProps = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | number };

export interface SortState {
  key: string;
  direction: "ascending" | "descending";
}

/**
 * A semantic table (caption, `th scope`), in a focusable scrolling region named by its caption.
 * Columns with a `sort` get a header button and `aria-sort`; rows keep their order otherwise.
 */
export function DataTable<Row>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
  rowProps,
  initialSort,
  className,
  tableClassName,
}: {
  caption: ReactNode;
  captionHidden?: boolean;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  rowProps?: (row: Row) => RowProps;
  initialSort?: SortState;
  className?: string;
  tableClassName?: string;
}) {
  const captionId = useId();
  const [sort, setSort] = useState<SortState | null>(initialSort ?? null);

  const sorted = useMemo(() => {
    const column = sort ? columns.find((c) => c.key === sort.key) : undefined;
    if (!sort || !column?.sort) return rows;
    const compare = column.sort;
    const sign = sort.direction === "ascending" ? 1 : -1;
    return [...rows].sort((a, b) => sign * compare(a, b));
  }, [rows, columns, sort]);

  const toggle = (key: string) =>
    setSort((current) =>
      current?.key === key && current.direction === "ascending"
        ? { key, direction: "descending" }
        : { key, direction: "ascending" },
    );

  return (
    <div
      className={`table-scroll${className ? ` ${className}` : ""}`}
      tabIndex={0}
      role="region"
      aria-labelledby={captionId}
    >
      <table className={tableClassName}>
        <caption id={captionId} className={captionHidden ? "visually-hidden" : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const direction = sort?.key === column.key ? sort.direction : undefined;
              return (
                <th key={column.key} scope="col" aria-sort={column.sort ? (direction ?? "none") : undefined}>
                  {column.sort ? (
                    <button
                      type="button"
                      className="table-sort"
                      onClick={() => toggle(column.key)}
                      title={uiTexts.sortBy(column.headerText ?? String(column.header))}
                    >
                      {column.header}
                      <span aria-hidden="true" className="table-sort-arrow">
                        {direction === "ascending" ? "▲" : direction === "descending" ? "▼" : "↕"}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <th key={column.key} scope="row" className={column.className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.key} className={column.className}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// Bar charts drawn by the server: each bar is an SVG <rect> whose width is an
// attribute, so no inline style is needed and the CSP can forbid them all.
// Every chart is also given as a table, for screen readers and for copying.

export interface BarRow {
  label: string;
  value: number;
  /** Share of the total, 0-100, for the table. */
  share: number;
  /** Bar length relative to the longest bar, as an SVG length. */
  width: string;
  href: string | null;
}

export interface BarChart {
  rows: BarRow[];
  total: number;
  /** Distinct values before the "others" row grouped the tail. */
  distinct: number;
}

function width(value: number, max: number): string {
  // A value above zero keeps a visible sliver of bar; zero draws nothing.
  return `${max > 0 && value > 0 ? Math.max(0.5, (value / max) * 100).toFixed(1) : "0"}%`;
}

/**
 * The first `shown` rows as bars, the rest summed into one row labelled
 * `othersLabel`, so that the shares add up to the whole.
 */
export function barChart(items: { label: string; value: number; href?: string | null }[], shown: number, othersLabel: string): BarChart {
  const total = items.reduce((n, item) => n + item.value, 0);
  const head = items.slice(0, shown).map((item) => ({ ...item, href: item.href ?? null }));
  const rest = items.slice(shown).reduce((n, item) => n + item.value, 0);
  if (rest > 0) head.push({ label: othersLabel, value: rest, href: null });
  const max = Math.max(0, ...head.map((item) => item.value));
  return {
    rows: head.map((item) => ({ ...item, share: total > 0 ? Math.round((item.value / total) * 1000) / 10 : 0, width: width(item.value, max) })),
    total,
    distinct: items.length,
  };
}

export interface YearBars {
  year: string;
  created: number;
  lastActive: number;
  createdWidth: string;
  lastActiveWidth: string;
}

export function yearBars(rows: { year: string; created: number; lastActive: number }[]): YearBars[] {
  const max = Math.max(0, ...rows.flatMap((row) => [row.created, row.lastActive]));
  return rows.map((row) => ({ ...row, createdWidth: width(row.created, max), lastActiveWidth: width(row.lastActive, max) }));
}

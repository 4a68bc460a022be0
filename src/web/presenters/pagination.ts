// Page links around the current page: first, last, and two on each side,
// with gaps between, as the DSFR pagination component shows them.

export type PageItem = { kind: "page"; page: number; href: string; current: boolean } | { kind: "gap" };

export interface Pagination {
  page: number;
  pages: number;
  first: string | null;
  previous: string | null;
  next: string | null;
  last: string | null;
  items: PageItem[];
}

const around = 2;

/** Null when everything fits on one page. */
export function paginate(page: number, pages: number, hrefFor: (page: number) => string): Pagination | null {
  if (pages <= 1) return null;
  const shown = new Set<number>([1, pages]);
  for (let n = page - around; n <= page + around; n++) if (n >= 1 && n <= pages) shown.add(n);
  const items: PageItem[] = [];
  let previousNumber = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - previousNumber > 1) items.push({ kind: "gap" });
    items.push({ kind: "page", page: n, href: hrefFor(n), current: n === page });
    previousNumber = n;
  }
  return {
    page,
    pages,
    first: page > 1 ? hrefFor(1) : null,
    previous: page > 1 ? hrefFor(page - 1) : null,
    next: page < pages ? hrefFor(page + 1) : null,
    last: page < pages ? hrefFor(pages) : null,
    items,
  };
}

/** A 1-based page number from a query value; null when it is not one. */
export function parsePage(raw: unknown): number | null {
  if (raw === undefined) return 1;
  if (typeof raw !== "string" || !/^\d{1,5}$/.test(raw) || Number(raw) < 1) return null;
  return Number(raw);
}

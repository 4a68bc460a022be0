// A small time-bounded cache for the aggregate figures of pages. They scan the
// whole repositories table (tens of milliseconds at 50,000 rows) but the data
// only changes when a harvest writes, once a night: a minute of staleness is
// invisible, and the home and statistics pages stay fast under load. Callers
// put the search index generation in their keys, so a rebuilt index (after a
// harvest) is followed at once.
export type Cached = <T>(key: string, compute: () => T) => T;

export function createCache(ttlMs: number, now: () => number = Date.now): Cached {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  return <T>(key: string, compute: () => T): T => {
    const found = entries.get(key);
    const at = now();
    if (found && found.expiresAt > at) return found.value as T;
    const value = compute();
    // Keys of old generations are never asked again: drop what expired.
    for (const [old, entry] of entries) if (entry.expiresAt <= at) entries.delete(old);
    entries.set(key, { value, expiresAt: at + ttlMs });
    return value;
  };
}

/**
 * A memo of values that depend on their key alone (a link for a filter value,
 * a date as text), for what pages compute over and over (issue 13). Bounded:
 * past `maxEntries` it starts afresh, as keys may come from harvested data.
 */
export function createMemo(maxEntries: number): Cached {
  const entries = new Map<string, unknown>();
  return <T>(key: string, compute: () => T): T => {
    if (entries.has(key)) return entries.get(key) as T;
    const value = compute();
    if (entries.size >= maxEntries) entries.clear();
    entries.set(key, value);
    return value;
  };
}

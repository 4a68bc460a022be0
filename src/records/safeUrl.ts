// Harvested data is untrusted: every page, feed and export takes links from it
// through this one check.

/** The URL if it is an absolute http(s) URL, else null: never a javascript: or data: link. */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

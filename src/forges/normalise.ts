// Helpers every adapter uses to turn untrusted forge payloads into canonical fields.

/** Trimmed text without control characters, or null when nothing is left. */
export function cleanText(value: unknown, maxLength = 2_000): string | null {
  if (typeof value !== "string") return null;
  // C0/C1 controls but tab and newline: they break terminals, CSV readers and XML feeds.
  const text = value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "").trim();
  if (text === "") return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/**
 * An absolute http(s) URL, or null. Forges let owners type anything as a
 * homepage ("www.example.fr", "javascript:..."): a bare host gets https://,
 * any other scheme is dropped.
 */
export function httpUrl(value: unknown): string | null {
  const text = cleanText(value, 2_000);
  if (!text) return null;
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : /^[\w-]+(\.[\w-]+)+([/:?#]|$)/.test(text) ? `https://${text}` : null;
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A count from a payload: a non-negative integer, 0 when absent or garbage. */
export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** An ISO date string, or null. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Topics: lower-cased, trimmed, unique, in the forge's order. */
export function topicList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  for (const item of value) {
    const topic = cleanText(item, 100)?.toLowerCase();
    if (topic) seen.add(topic);
  }
  return [...seen];
}

// Where to go after signing in: only ever a path of this site. "//evil.example",
// "/\\evil.example", "https://evil.example" and friends fall back to the default.

export function safeReturnPath(raw: unknown, fallback = "/declarations"): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 500) return fallback;
  // Browsers read "\" as "/" and drop tabs and newlines inside URLs.
  if (!raw.startsWith("/") || raw.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
  const base = "http://local.invalid";
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}`;
}

// Small helpers of the HTTP tests: real requests to the app on its port.

export interface Page {
  status: number;
  headers: Headers;
  html: string;
}

export async function get(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<Page> {
  const response = await fetch(`${baseUrl}${path}`, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** The text of the first element matching a tag (and class), tags stripped and entities of the text decoded. */
export function textOf(html: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`).exec(html);
  return match ? decode(match[1]!.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim() : undefined;
}

export function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, "`")
    .replace(/&#x3D;/g, "=")
    .replace(/&amp;/g, "&");
}

/** Every href of the page, decoded. */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((match) => decode(match[1]!));
}

/** Every <a> tag of the page whose href starts with http. */
export function externalLinks(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="https?:[^"]*"[^>]*>/g)].map((match) => match[0]);
}

/** The text of the element with this id. */
export function textById(html: string, id: string): string | undefined {
  const match = new RegExp(`<(\\w+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match ? decode(match[2]!.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim() : undefined;
}

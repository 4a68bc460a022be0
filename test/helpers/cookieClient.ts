// A minimal browser over fetch for HTTP tests of sign-in flows: a cookie jar
// per origin, redirects followed by hand (so each hop can be seen), and the
// forms of a page read from its HTML.
export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

export interface Page {
  url: string;
  status: number;
  html: string;
  headers: Headers;
  hops: Hop[];
}

export class CookieClient {
  private readonly jar = new Map<string, Map<string, string>>();
  /** Every URL requested, in order. */
  readonly visited: string[] = [];

  cookies(origin: string): Map<string, string> {
    let cookies = this.jar.get(origin);
    if (!cookies) this.jar.set(origin, (cookies = new Map()));
    return cookies;
  }

  /** The Set-Cookie headers of every response, raw, for attribute checks. */
  readonly setCookies: string[] = [];

  async request(url: string, init: { method?: string; form?: Record<string, string>; follow?: boolean; stopAt?: (url: string) => boolean } = {}): Promise<Page> {
    const hops: Hop[] = [];
    let method = init.method ?? (init.form ? "POST" : "GET");
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    let current = url;
    for (let i = 0; i < 20; i++) {
      const target = new URL(current);
      this.visited.push(current);
      const cookieHeader = [...this.cookies(target.origin)].map(([k, v]) => `${k}=${v}`).join("; ");
      const response = await fetch(current, {
        method,
        redirect: "manual",
        headers: { ...(cookieHeader ? { cookie: cookieHeader } : {}), ...(body !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}), accept: "text/html" },
        ...(body !== undefined ? { body } : {}),
      });
      for (const line of response.headers.getSetCookie()) {
        this.setCookies.push(line);
        const [pair = ""] = line.split(";");
        const at = pair.indexOf("=");
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        const expired = /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line) || value === "";
        if (expired) this.cookies(target.origin).delete(name);
        else this.cookies(target.origin).set(name, value);
      }
      const location = response.headers.get("location");
      hops.push({ url: current, status: response.status, location });
      if (location && response.status >= 300 && response.status < 400 && init.follow !== false) {
        const next = new URL(location, current).href;
        if (init.stopAt?.(next)) {
          await response.arrayBuffer();
          return { url: next, status: response.status, html: "", headers: response.headers, hops };
        }
        current = next;
        method = "GET";
        body = undefined;
        await response.arrayBuffer();
        continue;
      }
      return { url: current, status: response.status, html: await response.text(), headers: response.headers, hops };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

/** The forms of a page: action and hidden/text fields with their values. */
export function formsOf(page: Page): Array<{ action: string; fields: Record<string, string> }> {
  const forms: Array<{ action: string; fields: Record<string, string> }> = [];
  for (const match of page.html.matchAll(/<form\b[^>]*?action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? "").matchAll(/<input\b[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
      if (name) fields[name] = decode(value);
    }
    forms.push({ action: new URL(decode(match[1] ?? ""), page.url).href, fields });
  }
  return forms;
}

function decode(text: string): string {
  return text.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x3D;/g, "=").replace(/&#x60;/g, "`");
}

/**
 * Signs in through the fake provider's development pages: login (any
 * password), then consent. Returns the last page (where the app sent us).
 */
export async function signIn(client: CookieClient, appUrl: string, login: string, returnTo = "/declarations", options: { stopAtCallback?: boolean } = {}): Promise<Page> {
  let page = await client.request(`${appUrl}/auth/login?return_to=${encodeURIComponent(returnTo)}`);
  for (let step = 0; step < 4; step++) {
    const form = formsOf(page).find((f) => f.fields.prompt === "login" || f.fields.prompt === "consent");
    if (!form) return page;
    const fields = form.fields.prompt === "login" ? { ...form.fields, login, password: "any" } : form.fields;
    page = await client.request(form.action, { form: fields, ...(options.stopAtCallback ? { stopAt: (url: string) => url.startsWith(`${appUrl}/auth/callback`) } : {}) });
    if (options.stopAtCallback && page.url.startsWith(`${appUrl}/auth/callback`)) return page;
  }
  return page;
}

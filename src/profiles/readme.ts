// README → safe HTML, at harvest time (stored with the profile).
//
// Markdown is rendered by markdown-it (raw HTML allowed, as forges allow it in
// READMEs), then everything goes through sanitize-html with a short allow-list.
// The result must be inert under any Content-Security-Policy, ours or none:
//   - no script, style, iframe, object, form, SVG or MathML, no attribute but
//     href/title on links and a few table ones; event handlers never pass;
//   - links: http(s) and mailto only, rel="nofollow noopener ugc"; relative
//     links are pointed at the forge (the file's blob page);
//   - images are never loaded by the reader's browser (a remote image is a
//     tracker, and the CSP allows no remote image): each becomes a link to the
//     image, "[image: alt]", or its alt text alone when its address is unsafe;
//   - headings are moved down two levels, under the page's own h1 and h2;
//   - a long README is split at a top-level block: the head is shown, the rest
//     folded (the page wraps it in <details>, no JavaScript).
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";
import { readmeFormat } from "./files.ts";

export interface RenderedReadme {
  name: string;
  /** Sanitised HTML shown at once. */
  html: string;
  /** Sanitised HTML of the rest, folded on the page; null when the README is short. */
  moreHtml: string | null;
  /** Plain text, first characters, for lists and previews. */
  excerpt: string;
  /** Plain text, first characters, for the search index. */
  text: string;
}

export interface ReadmeLinks {
  /** Web page of a file of the default branch (relative path from the root). */
  blob(path: string): string;
  /** Raw bytes of a file: used for images, so that the link opens the image itself. */
  raw(path: string): string;
}

/** Source lines shown before the fold; the rest is folded. */
const foldAfterLines = 60;
/** Characters of the excerpt (API, lists) and of the text given to the search index. */
export const excerptLength = 300;
export const searchTextLength = 3_000;

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

const allowedTags = [
  "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp", "var",
  "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr",
  "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
  "a", "span", "div", "details", "summary",
];

function safeHref(href: string | undefined, links: ReadmeLinks, kind: "blob" | "raw"): string | null {
  if (href === undefined) return null;
  const value = href.trim();
  if (value === "") return null;
  if (value.startsWith("#")) return value;
  // A scheme (javascript:, data:, vbscript:, http:...) or a protocol-relative URL.
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith("//")) {
    try {
      const url = new URL(value.startsWith("//") ? `https:${value}` : value);
      return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  }
  // Relative to the README, which sits at the root: ./docs/a.md, docs/a.md, /docs/a.md.
  const [pathPart = "", fragment] = value.split("#", 2);
  const path = pathPart.replace(/^(\.\/)+/, "").replace(/^\/+/, "").split("?")[0] ?? "";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(safeDecode(segment));
  }
  if (segments.length === 0) return null;
  const target = kind === "raw" ? links.raw(segments.join("/")) : links.blob(segments.join("/"));
  return fragment ? `${target}#${encodeURIComponent(fragment)}` : target;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sanitize(html: string, links: ReadmeLinks): string {
  return sanitizeHtml(html, {
    allowedTags,
    allowedAttributes: { a: ["href", "title", "rel"], abbr: ["title"], th: ["align", "colspan", "rowspan"], td: ["align", "colspan", "rowspan"], ol: ["start"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesAppliedToAttributes: ["href"],
    allowProtocolRelative: false,
    // Their text is dropped with them, not shown as text.
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "svg", "math", "iframe", "object", "embed", "template", "title", "select", "button"],
    disallowedTagsMode: "discard",
    transformTags: {
      h1: "h3",
      h2: "h4",
      h3: "h5",
      h4: "h6",
      h5: "h6",
      a: (_tag, attribs) => {
        const href = safeHref(attribs.href, links, "blob");
        const result: Record<string, string> = { rel: "nofollow noopener ugc" };
        if (href) result.href = href;
        if (attribs.title) result.title = attribs.title;
        return href ? { tagName: "a", attribs: result } : { tagName: "span", attribs: {} };
      },
      img: (_tag, attribs): sanitizeHtml.Tag => {
        const alt = (attribs.alt ?? attribs.title ?? "").trim();
        const label = alt ? `[image: ${alt}]` : "[image]";
        const href = safeHref(attribs.src, links, "raw");
        return href && !href.startsWith("#")
          ? { tagName: "a", attribs: { href, rel: "nofollow noopener ugc" }, text: label }
          : { tagName: "span", attribs: {} as Record<string, string>, text: label };
      },
    },
    // transformTags runs first: img has become a or span by the allow-list check.
  });
}

/** The plain text of rendered tokens: text and code, no markup, no raw HTML. */
function plainText(tokens: ReturnType<MarkdownIt["parse"]>): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type === "inline") {
      for (const child of token.children ?? []) {
        if (child.type === "text" || child.type === "code_inline") parts.push(child.content);
        else if (child.type === "softbreak" || child.type === "hardbreak") parts.push(" ");
        else if (child.type === "image") parts.push(child.content);
      }
      parts.push("\n");
    } else if (token.type === "fence" || token.type === "code_block") {
      parts.push(token.content, "\n");
    }
  }
  return parts.join("");
}

function squeeze(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1).trimEnd()}…` : flat;
}

/** Renders `source` (the README named `name`) to stored HTML and text. */
export function renderReadme(name: string, source: string, links: ReadmeLinks): RenderedReadme {
  // A NUL or a BOM is no content; very long lines stay (Markdown tables).
  const clean = source.replace(/^\uFEFF/, "").replace(/\u0000/g, "");
  if (readmeFormat(name) === "text") {
    const escaped = sanitizeHtml(clean, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: "escape" });
    const lines = clean.split("\n");
    const head = lines.slice(0, foldAfterLines).join("\n");
    const rest = lines.slice(foldAfterLines).join("\n");
    const escape = (text: string) => sanitizeHtml(text, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: "escape" });
    return {
      name,
      html: `<pre>${lines.length > foldAfterLines ? escape(head) : escaped}</pre>`,
      moreHtml: lines.length > foldAfterLines ? `<pre>${escape(rest)}</pre>` : null,
      excerpt: squeeze(clean, excerptLength),
      text: squeeze(clean, searchTextLength),
    };
  }
  const tokens = markdown.parse(clean, {});
  // The fold: the end of the first top-level block that ends past foldAfterLines.
  let split = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.level !== 0 || token.nesting === 1) continue;
    const end = token.nesting === 0 ? (token.map?.[1] ?? 0) : lastLine(tokens, i);
    if (end > foldAfterLines) {
      split = i + 1;
      break;
    }
  }
  const render = (part: typeof tokens) => sanitize(markdown.renderer.render(part, markdown.options, {}), links);
  const html = render(tokens.slice(0, split));
  const rest = split < tokens.length ? render(tokens.slice(split)) : "";
  const text = plainText(tokens);
  return { name, html, moreHtml: rest.trim() === "" ? null : rest, excerpt: squeeze(text, excerptLength), text: squeeze(text, searchTextLength) };
}

/** The last source line of the block that token i closes (its opening token carries the map). */
function lastLine(tokens: ReturnType<MarkdownIt["parse"]>, closing: number): number {
  for (let i = closing; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.level === 0 && token.nesting === 1 && token.map) return token.map[1];
  }
  return 0;
}

// Handlebars views: templates compiled once at start, pages wrapped in a layout.
// Handlebars escapes every {{value}}; triple-stash {{{ }}} is only for markup we build.
//
// Each template is compiled once per language (issue 13): `{{t "key"}}`
// without parameters (nine in ten of the calls, the layout's menus and
// footer, the cards' badges) is replaced by its escaped message before
// compiling, so that an uncached page no longer calls a helper, a dictionary
// and the escaper some hundred times for text that never changes. Calls with
// parameters or a key from the data stay helper calls.
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { defaultLocale, isLocale, isMessageKey, locales, translate, type Locale } from "./i18n/index.ts";

export type ViewEngine = (filePath: string, options: object, callback: (error: unknown, html?: string) => void) => void;

export interface Views {
  engine: ViewEngine;
  /** One Handlebars environment per language, each with the helpers. */
  handlebars: Record<Locale, typeof Handlebars>;
}

function listTemplates(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".hbs"));
}

/** `{{t "key"}}` exactly: no parameters, no whitespace control. */
const staticMessage = /\{\{t "([\w.-]+)"\}\}/g;

/**
 * The template with each parameterless `{{t "key"}}` replaced by what the
 * helper would write: the message (as `translate` gives it without
 * parameters), escaped. Left as it is: an unknown key (the helper's error
 * stays a render-time error) and a message that would read as Handlebars.
 */
export function inlineMessages(source: string, locale: Locale): string {
  return source.replace(staticMessage, (call, key: string) => {
    if (!isMessageKey(key)) return call;
    const text = Handlebars.escapeExpression(translate(locale, key));
    return text.includes("{{") || text.includes("\\") ? call : text;
  });
}

/**
 * The template without the indentation of its lines (issue 13): a fifth of a
 * search page was spaces that the browser collapses anyway, to render, gzip
 * and send on every uncached page. Whitespace between tags stays whitespace
 * (a line break), so nothing reads or lays out differently; a standalone
 * `{{> partial}}` no longer re-indents each line of its output at render time.
 * A template with a <pre> or a <textarea>, whose spaces show, is left as it is.
 */
export function stripIndentation(source: string): string {
  if (/<(pre|textarea)\b/i.test(source)) return source;
  return source.replace(/\n[ \t]+/g, "\n").replace(/\n{2,}/g, "\n");
}

/**
 * Compiles views/{layouts,partials,pages} for each language; `layout: false`
 * in the context renders a page alone. `registerHelpers` is called on each
 * language's environment before anything is compiled.
 */
export function createViews(viewsDir: string, registerHelpers: (handlebars: typeof Handlebars) => void = () => {}): Views {
  const read = (file: string) => stripIndentation(fs.readFileSync(file, "utf8"));
  const partials = listTemplates(path.join(viewsDir, "partials")).map((file) => ({ name: file.replace(/\.hbs$/, ""), source: read(path.join(viewsDir, "partials", file)) }));
  const templates = [...listTemplates(path.join(viewsDir, "pages")).map((f) => `pages/${f}`), ...listTemplates(path.join(viewsDir, "layouts")).map((f) => `layouts/${f}`)].map((file) => ({
    file: path.join(viewsDir, file),
    source: read(path.join(viewsDir, file)),
  }));
  const environments = {} as Record<Locale, typeof Handlebars>;
  const compiled = {} as Record<Locale, Map<string, Handlebars.TemplateDelegate>>;
  for (const locale of locales) {
    const handlebars = Handlebars.create();
    registerHelpers(handlebars);
    // The helpers registered, told to the compiler: a call goes straight to its helper instead of
    // looking it up among the helpers, then the data, then `helperMissing`, on every render (issue 13).
    const knownHelpers = Object.fromEntries(Object.keys(handlebars.helpers).map((name) => [name, true]));
    const options = { strict: false, knownHelpers };
    for (const partial of partials) handlebars.registerPartial(partial.name, handlebars.compile(inlineMessages(partial.source, locale), options));
    compiled[locale] = new Map(templates.map(({ file, source }) => [file, handlebars.compile(inlineMessages(source, locale), options)]));
    environments[locale] = handlebars;
  }
  const template = (locale: Locale, file: string) => {
    const found = compiled[locale].get(file);
    if (!found) throw new Error(`no view ${file}`);
    return found;
  };
  // The layout's file, joined once per name (issue 13: path.join showed in profiles of uncached pages).
  const layoutFiles = new Map<string, string>();
  const layoutFile = (name: string) => {
    let file = layoutFiles.get(name);
    if (file === undefined) layoutFiles.set(name, (file = path.join(viewsDir, "layouts", `${name}.hbs`)));
    return file;
  };
  const engine: ViewEngine = (filePath, options, callback) => {
    try {
      const context = options as { layout?: string | false; lang?: unknown };
      // The language the `t` helper would use (helpers.ts): the page's, else the default.
      const locale = isLocale(context.lang) ? context.lang : defaultLocale;
      const body = template(locale, filePath)(context);
      const layout = context.layout === false ? null : (context.layout ?? "main");
      callback(null, layout ? template(locale, layoutFile(layout))({ ...context, body }) : body);
    } catch (error) {
      callback(error);
    }
  };
  return { engine, handlebars: environments };
}

// Handlebars views: templates compiled once at start, pages wrapped in a layout.
// Handlebars escapes every {{value}}; triple-stash {{{ }}} is only for markup we build.
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";

export type ViewEngine = (filePath: string, options: object, callback: (error: unknown, html?: string) => void) => void;

export interface Views {
  engine: ViewEngine;
  handlebars: typeof Handlebars;
}

function listTemplates(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".hbs"));
}

/** Compiles views/{layouts,partials,pages}; `layout: false` in the context renders a page alone. */
export function createViews(viewsDir: string): Views {
  const handlebars = Handlebars.create();
  for (const file of listTemplates(path.join(viewsDir, "partials"))) {
    handlebars.registerPartial(file.replace(/\.hbs$/, ""), fs.readFileSync(path.join(viewsDir, "partials", file), "utf8"));
  }
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const file of [...listTemplates(path.join(viewsDir, "pages")).map((f) => `pages/${f}`), ...listTemplates(path.join(viewsDir, "layouts")).map((f) => `layouts/${f}`)]) {
    compiled.set(path.join(viewsDir, file), handlebars.compile(fs.readFileSync(path.join(viewsDir, file), "utf8"), { strict: false }));
  }
  const template = (file: string) => {
    const found = compiled.get(file);
    if (!found) throw new Error(`no view ${file}`);
    return found;
  };
  const engine: ViewEngine = (filePath, options, callback) => {
    try {
      const context = options as { layout?: string | false };
      const body = template(filePath)(context);
      const layout = context.layout === false ? null : (context.layout ?? "main");
      callback(null, layout ? template(path.join(viewsDir, "layouts", `${layout}.hbs`))({ ...context, body }) : body);
    } catch (error) {
      callback(error);
    }
  };
  return { engine, handlebars };
}

// The human-readable API reference at /api: the OpenAPI document, rendered.
// One source for both, so the page cannot drift from the description.
import { Router } from "express";
import type { Locale } from "../i18n/index.ts";
import { apiDocsFrench } from "./docsFr.ts";
import { openApiDocument } from "./openapi.ts";

export const apiDocsPath = "/api";

interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: { type?: string | string[]; enum?: unknown[]; default?: unknown; minimum?: number; maximum?: number; items?: { type?: string } };
  example?: unknown;
}

interface Operation {
  operationId?: string;
  summary: string;
  description?: string;
  parameters?: (Parameter | { $ref: string })[];
  responses: Record<string, { description: string }>;
}

interface Document {
  info: { description: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<"get" | "post", Operation>>>;
  components: { parameters: Record<string, Parameter>; schemas: Record<string, { properties?: Record<string, { type?: string | string[]; format?: string; description?: string; items?: unknown; $ref?: string }> }> };
}

/** A text of the reference in the reader's language; lang "en" marks one shown in English on the French page. */
export interface DocText {
  text: string;
  lang: "en" | null;
}

/** French typography: a no-break space before ":", ";", "?", "!" and inside « ». */
function frenchSpaces(text: string): string {
  return text.replace(/ ([:;?!»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
}

/** The text in `locale`: English as written in openapi.ts, French from docsFr.ts (English, marked, when missing). */
export function localizeDoc(text: string, locale: Locale): DocText {
  if (locale === "en" || text === "") return { text, lang: null };
  const french = apiDocsFrench[text];
  return french === undefined ? { text, lang: "en" } : { text: frenchSpaces(french), lang: null };
}

/** Markdown-ish text of the document (paragraphs, "- " lists) as blocks a template can render escaped. */
function blocks(text: string | undefined, locale: Locale): { paragraph?: DocText; list?: DocText[] }[] {
  if (!text) return [];
  const t = (line: string) => localizeDoc(line, locale);
  return text.split(/\n\n+/).map((block) => {
    const lines = block.split("\n");
    if (lines.every((line) => line.startsWith("- "))) return { list: lines.map((line) => t(line.slice(2))) };
    const [first, ...rest] = lines;
    if (rest.length > 0 && rest.every((line) => line.startsWith("- "))) return { paragraph: t(first!), list: rest.map((line) => t(line.slice(2))) };
    return { paragraph: t(block) };
  });
}

function typeText(schema: Parameter["schema"] | { type?: string | string[]; format?: string; items?: unknown; $ref?: string } | undefined): string {
  if (!schema) return "";
  if ("$ref" in schema && schema.$ref) return schema.$ref.split("/").pop() ?? "";
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "");
  const items = "items" in schema && schema.items ? (schema.items as { type?: string; $ref?: string }) : null;
  if (type === "array" && items) return `array of ${items.$ref ? items.$ref.split("/").pop() : items.type}`;
  return "format" in schema && schema.format ? `${type} (${schema.format})` : type;
}

/** The view model of the reference page, in `locale` (issue 14: the reference in both languages). */
export function apiDocsView(document: Document = openApiDocument() as unknown as Document, locale: Locale = "en") {
  const t = (text: string) => localizeDoc(text, locale);
  const base = document.servers[0]?.url ?? "";
  const resolve = (parameter: Parameter | { $ref: string }): Parameter =>
    "$ref" in parameter ? document.components.parameters[parameter.$ref.split("/").pop()!]! : parameter;
  return {
    intro: blocks(document.info.description, locale),
    // Every route reads (GET) but publiccode.yml validation (POST).
    endpoints: Object.entries(document.paths).flatMap(([path, operations]) =>
      (["get", "post"] as const).flatMap((method) => (operations[method] ? [{ path, method, operation: operations[method] }] : [])),
    ).map(({ path, method, operation: get }) => ({
      anchor: `${method}-${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}`,
      method: method.toUpperCase(),
      path: `${base}${path}`,
      summary: t(get.summary),
      description: blocks(get.description, locale),
      parameters: (get.parameters ?? []).map(resolve).map((parameter) => ({
        name: parameter.name,
        in: parameter.in,
        type: typeText(parameter.schema),
        values: parameter.schema?.enum?.join(", ") ?? null,
        default: parameter.schema?.default ?? null,
        description: t(parameter.description ?? ""),
        example: parameter.example ?? null,
      })),
      responses: Object.entries(get.responses).map(([status, response]) => ({ status, description: t(response.description) })),
    })),
    schemas: Object.entries(document.components.schemas)
      .filter(([, schema]) => schema.properties)
      .map(([name, schema]) => ({
        name,
        fields: Object.entries(schema.properties!).map(([field, property]) => ({ name: field, type: typeText(property), description: t(property.description ?? "") })),
      })),
  };
}

export function apiDocsRoutes(): Router {
  const router = Router();
  const document = openApiDocument() as unknown as Document;
  const views: Record<Locale, ReturnType<typeof apiDocsView>> = { fr: apiDocsView(document, "fr"), en: apiDocsView(document, "en") };
  router.get(apiDocsPath, (_req, res) => {
    res.render("api-docs", { title: res.locals.i18n.t("apiDocs.title"), ...views[res.locals.lang] });
  });
  return router;
}

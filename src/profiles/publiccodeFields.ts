// What search reads of a publiccode.yml document (issue 9): its descriptions
// in every language, features, categories, development status and software
// type. The document is untrusted YAML: only strings are taken, bounded.
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown, max: number): string => (typeof value === "string" ? value.slice(0, max) : "");
const list = (value: unknown, max: number): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string").slice(0, max) : []);

export interface PubliccodeSearchFields {
  /** Names and descriptions, every language (the analyzer handles French and English alike). */
  description: string;
  features: string;
  categories: string[];
  developmentStatus: string | null;
  softwareType: string | null;
}

/** Characters of a long description indexed: the start says what the software is. */
const longDescriptionIndexed = 1_000;

export function publiccodeSearchFields(document: Json | null): PubliccodeSearchFields | null {
  if (!document) return null;
  const descriptions = isObject(document.description) ? Object.values(document.description).filter(isObject) : [];
  const status = str(document.developmentStatus, 50).trim().toLowerCase();
  const type = str(document.softwareType, 50).trim();
  return {
    description: descriptions
      .flatMap((d) => [str(d.localisedName, 200), str(d.genericName, 200), str(d.shortDescription, 500), str(d.longDescription, longDescriptionIndexed)])
      .filter(Boolean)
      .join("\n"),
    features: descriptions.flatMap((d) => list(d.features, 30).map((f) => f.slice(0, 200))).join("\n"),
    categories: [...new Set(list(document.categories, 30).map((c) => c.trim().toLowerCase()).filter(Boolean))],
    developmentStatus: status || null,
    softwareType: type || null,
  };
}

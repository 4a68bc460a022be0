// The rules of publiccode.yml that a per-field schema cannot say: maintenance
// type against contractors and contacts, the Italian section under `IT` or the
// deprecated `it`, deprecated keys (warnings), lower-case country codes,
// logo/screenshot paths, video URLs. Same keys and wording as the reference
// validator's fields.go, offline mode.
import { isScalar, isSeq, type Node } from "yaml";
import { isAbsoluteUrl, isCountryCode, isItalianIpaCode, isLanguageTag, isOembedUrl, pathProblem } from "./checks.ts";
import { maintenanceTypes } from "./vocabulary.ts";
import { entries, present, scalarText, type Entry, type Report, type Segment } from "./walk.ts";

/**
 * Access to the files beside the publiccode.yml (its repository), when the
 * caller has them (the command line does, an API body does not): relative
 * logos, screenshots and authorsFile are then checked for existence.
 */
export interface LocalFiles {
  /** The bytes of the file at `relativePath` (relative to the publiccode.yml), or null when there is none. */
  read(relativePath: string): Uint8Array | null;
}

const dropIt = "This key is DEPRECATED and will be removed in the future. It's safe to drop it";

function get(report: Report, node: Node | null | undefined, key: string): Entry | undefined {
  if (!node) return undefined;
  const entry = entries(report, node).get(key);
  return entry && present(entry.value) ? entry : undefined;
}

function text(entry: Entry | undefined): string | null {
  return entry && isScalar(entry.value) ? scalarText(entry.value) : null;
}

/** The list items of an entry, aliases resolved, skipping nulls. */
function items(report: Report, entry: Entry | undefined): Array<{ node: Node; index: number }> {
  if (!entry || !isSeq(entry.value)) return [];
  return entry.value.items.flatMap((item, index) => {
    const node = report.resolve(item);
    return node && present(node) ? [{ node, index }] : [];
  });
}

function extension(path: string): string {
  const name = path.split(/[?#]/)[0]!.split("/").at(-1) ?? "";
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The problem Go's image.DecodeConfig would report for these bytes as a PNG, or null. */
function pngProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 8 || pngSignature.some((byte, i) => bytes[i] !== byte)) return "image: unknown format";
  const header = Buffer.from(bytes.subarray(8, 16));
  if (bytes.length < 33 || header.readUInt32BE(0) !== 13 || header.toString("latin1", 4, 8) !== "IHDR")
    return "png: invalid format: invalid header";
  return null;
}

type Kind = "logo" | "image" | "file";
const extensions: Record<Kind, string[] | null> = { logo: [".svg", ".svgz", ".png"], image: [".jpg", ".png"], file: null };

/** A logo, screenshot or authors file: a relative path or an http(s) URL; relative ones checked when the files are there. */
function checkPath(report: Report, path: Segment[], value: string, at: Node, kind: Kind, files: LocalFiles | undefined): void {
  const shown = (problem: string) =>
    kind === "image" ? `'${value}' is not an image: ${problem}` : kind === "file" ? `'${value}' does not exist: ${problem}` : problem;
  const problem = pathProblem(value);
  if (problem) return report.error(path, problem, at);
  if (isAbsoluteUrl(value)) return; // remote: only checked with the network, which we never use
  const allowed = extensions[kind];
  if (allowed && !allowed.includes(extension(value))) return report.error(path, shown(`invalid file extension for: ${value}`), at);
  if (!files) return;
  const bytes = files.read(value);
  if (bytes === null) return report.error(path, shown(`no such file: ${value}`), at);
  if (kind === "logo" && extension(value) === ".png") {
    const png = pngProblem(bytes);
    if (png) report.error(path, png, at);
  }
}

function lowerCaseCountries(report: Report, audience: Node | null | undefined, key: string): void {
  for (const { node, index } of items(report, get(report, audience, key))) {
    const code = scalarText(node);
    if (code !== null && isCountryCode(code) && code === code.toLowerCase())
      report.warn(["intendedAudience", key, index], `Lowercase country codes are DEPRECATED. Use uppercase instead ('${code.toUpperCase()}')`, node);
  }
}

export function checkRules(report: Report, root: Node, files: LocalFiles | undefined): void {
  // Maintenance: who maintains decides which list is required (required_if / excluded_unless in the reference).
  const maintenance = get(report, root, "maintenance");
  const type = text(get(report, maintenance?.value, "type"));
  // With an unknown type (already an error), which list is required cannot be said.
  if (maintenance && type !== null && (maintenanceTypes as readonly string[]).includes(type)) {
    const map = maintenance.value;
    const contractors = get(report, map, "contractors");
    const contacts = get(report, map, "contacts");
    const firstKey = map && entries(report, map).values().next().value?.key;
    if (type === "contract" && !contractors)
      report.error("maintenance.contractors", 'contractors is a required field when "type" is "contract"', firstKey ?? maintenance.key);
    if (contractors && type !== "contract") {
      // As go-playground stops at the first broken rule of a field, the items of an excluded list are not checked.
      const prefix = "maintenance.contractors[";
      report.errors.splice(0, report.errors.length, ...report.errors.filter((error) => !error.key.startsWith(prefix)));
      report.error("maintenance.contractors", 'contractors must not be present unless "type" is "contract"', contractors.key);
    }
    if ((type === "community" || type === "internal") && !contacts)
      report.error("maintenance.contacts", `contacts is a required field when "type" is "${type}"`, firstKey ?? maintenance.key);
  }

  // Logos.
  const logo = get(report, root, "logo");
  const logoText = text(logo);
  if (logo && logoText) checkPath(report, ["logo"], logoText, logo.key, "logo", files);
  const monochrome = get(report, root, "monochromeLogo");
  const monochromeText = text(monochrome);
  if (monochrome && monochromeText) {
    report.warn("monochromeLogo", "This key is DEPRECATED and will be removed in the future. Use 'logo' instead", monochrome.key);
    checkPath(report, ["monochromeLogo"], monochromeText, monochrome.key, "logo", files);
  }

  // Countries.
  const audience = get(report, root, "intendedAudience")?.value;
  lowerCaseCountries(report, audience, "countries");
  lowerCaseCountries(report, audience, "unsupportedCountries");

  // Legal.
  const legal = get(report, root, "legal")?.value;
  const authorsFile = get(report, legal, "authorsFile");
  if (authorsFile) {
    report.warn("legal.authorsFile", dropIt, authorsFile.key);
    const value = text(authorsFile);
    if (value !== null) checkPath(report, ["legal", "authorsFile"], value, authorsFile.key, "file", files);
  }
  const repoOwner = get(report, legal, "repoOwner");
  if (repoOwner)
    report.warn("legal.repoOwner", "This key is DEPRECATED and will be removed in the future. Use 'organisation.name' instead", repoOwner.key);

  for (const key of ["inputTypes", "outputTypes"]) {
    const entry = get(report, root, key);
    if (entry) report.warn(key, dropIt, entry.key);
  }

  // Descriptions, per language.
  const description = get(report, root, "description")?.value;
  if (description) {
    for (const [language, entry] of entries(report, description)) {
      if (!isLanguageTag(language) || !present(entry.value)) continue;
      const genericName = get(report, entry.value, "genericName");
      if (genericName && text(genericName)) report.warn(["description", language, "genericName"], dropIt, genericName.key);
      for (const { node, index } of items(report, get(report, entry.value, "screenshots"))) {
        const value = scalarText(node);
        if (value !== null) checkPath(report, ["description", language, "screenshots", index], value, node, "image", files);
      }
      for (const { node, index } of items(report, get(report, entry.value, "videos"))) {
        const value = scalarText(node);
        if (value !== null && !isOembedUrl(value))
          report.error(
            ["description", language, "videos", index],
            `'${value}' is not a valid video URL supporting oEmbed: invalid oEmbed link: ${value}`,
            node,
          );
      }
    }
  }

  // The Italian section: `IT`, or the deprecated `it` (never both).
  const upper = get(report, root, "IT");
  const lower = get(report, root, "it");
  if (lower) report.warn("it", "Lowercase country codes are DEPRECATED and will be removed in the future. Use 'IT' instead", lower.key);
  if (upper && lower) report.error("it", "'IT' key already present. Remove this key", lower.key);
  const italian = upper ?? lower;
  if (italian) {
    const conforme = get(report, italian.value, "conforme");
    if (conforme) report.warn("IT.conforme", dropIt, conforme.key);
    const codiceIpa = get(report, get(report, italian.value, "riuso")?.value, "codiceIPA");
    const code = text(codiceIpa);
    if (codiceIpa && code && isItalianIpaCode(code))
      report.warn(
        "IT.riuso.codiceIPA",
        `This key is DEPRECATED and will be removed in the future. Use 'organisation.uri' and set it to 'urn:x-italian-pa:${code}' instead`,
        codiceIpa.key,
      );
  }
}

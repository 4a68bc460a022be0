import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { validatePubliccode, validatePubliccodeBytes, type PubliccodeResult } from "../../src/publiccode/validate.ts";

const fixtures = path.join(import.meta.dirname, "fixtures");
/** A complete, valid publiccode.yml of our own (every section used); each broken case below changes one thing in it. */
const base = fs.readFileSync(path.join(fixtures, "valid.publiccode.yml"), "utf8");

/** The base file with `find` (which must occur exactly once) replaced. */
function edit(find: string, replacement: string): string {
  const at = base.indexOf(find);
  expect(at, `fixture edit: ${find}`).to.be.greaterThan(-1);
  expect(base.indexOf(find, at + 1), `fixture edit not unique: ${find}`).to.equal(-1);
  return base.slice(0, at) + replacement + base.slice(at + find.length);
}

interface Broken {
  defect: string;
  text: string;
  key: string;
  line: number | null;
  message?: RegExp;
}

const broken: Broken[] = [
  { defect: "version written as a number", text: edit('publiccodeYmlVersion: "0"', "publiccodeYmlVersion: 0.7"), key: "publiccodeYmlVersion", line: 1, message: /wrong type/ },
  { defect: "unsupported version", text: edit('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "1"'), key: "publiccodeYmlVersion", line: 1, message: /unsupported version: '1'/ },
  { defect: "version missing", text: edit('publiccodeYmlVersion: "0"\n', ""), key: "publiccodeYmlVersion", line: null, message: /required/ },
  { defect: "name missing", text: edit("name: Registre des arrêtés\n", ""), key: "name", line: 1, message: /^name is a required field$/ },
  { defect: "name without a value", text: edit("name: Registre des arrêtés", "name:"), key: "name", line: 2, message: /required/ },
  { defect: "applicationSuite a list", text: edit("applicationSuite: Outils municipaux", "applicationSuite: []"), key: "applicationSuite", line: 3, message: /wrong type/ },
  { defect: "url not a URL", text: edit('url: "https://git.example.fr/ville/registre.git"', "url: registre"), key: "url", line: 4, message: /must be a valid URL/ },
  { defect: "landingURL not http", text: edit('landingURL: "https://registre.example.fr"', 'landingURL: "ftp://registre.example.fr"'), key: "landingURL", line: 5, message: /HTTP URL/ },
  { defect: "isBasedOn not a URL", text: edit('isBasedOn: "https://git.example.fr/autre/registre.git"', "isBasedOn: autre registre"), key: "isBasedOn[0]", line: 6 },
  { defect: "releaseDate in French order", text: edit('releaseDate: "2025-03-14"', 'releaseDate: "14/03/2025"'), key: "releaseDate", line: 8, message: /YYYY-MM-DD/ },
  { defect: "releaseDate not a real day", text: edit('releaseDate: "2025-03-14"', "releaseDate: 2025-02-30"), key: "releaseDate", line: 8 },
  { defect: "logo an absolute path", text: edit("logo: docs/logo.svg", "logo: /srv/logo.svg"), key: "logo", line: 9, message: /absolute path/ },
  { defect: "logo a GIF", text: edit("logo: docs/logo.svg", "logo: docs/logo.gif"), key: "logo", line: 9, message: /invalid file extension/ },
  { defect: "platforms a string", text: edit("platforms:\n  - web", "platforms: web"), key: "platforms", line: 10, message: /wrong type/ },
  { defect: "platforms empty", text: edit("platforms:\n  - web", "platforms: []"), key: "platforms", line: 10, message: /more than 0 items/ },
  { defect: "unknown category", text: edit("  - document-management", "  - document-managment"), key: "categories[0]", line: 13, message: /valid category/ },
  { defect: "roadmap not a URL", text: edit('roadmap: "https://registre.example.fr/feuille-de-route"', "roadmap: feuille-de-route"), key: "roadmap", line: 17 },
  { defect: "unknown developmentStatus", text: edit("developmentStatus: stable", "developmentStatus: finished"), key: "developmentStatus", line: 18, message: /"concept", "development", "beta", "stable" or "obsolete"/ },
  { defect: "unknown softwareType", text: edit("softwareType: standalone/web", "softwareType: standalone"), key: "softwareType", line: 19 },
  { defect: "organisation uri not a URI", text: edit('uri: "https://www.example.fr"', "uri: example"), key: "organisation.uri", line: 22, message: /not a valid URI/ },
  { defect: "organisation iPA code malformed", text: edit('uri: "https://www.example.fr"', "uri: urn:x-italian-pa:a_b_c"), key: "organisation.uri", line: 22, message: /iPA/ },
  { defect: "fundedBy without uri", text: edit('    uri: "https://region.example.fr"\n', ""), key: "fundedBy[0].uri", line: 24, message: /^uri is a required field$/ },
  { defect: "unknown scope", text: edit("    - local-authorities", "    - town-halls"), key: "intendedAudience.scope[0]", line: 28, message: /valid scope/ },
  { defect: "country in three letters", text: edit("    - FR", "    - FRA"), key: "intendedAudience.countries[0]", line: 30, message: /ISO 3166-1/ },
  { defect: "country in mixed case", text: edit("    - US", "    - Us"), key: "intendedAudience.unsupportedCountries[0]", line: 32 },
  { defect: "description language not BCP 47", text: edit("  fr:\n    localisedName", "  french:\n    localisedName"), key: "description.french", line: 34, message: /BCP 47/ },
  { defect: "shortDescription over 150 characters", text: edit("Tenir, signer et publier le registre des arrêtés municipaux.", "é".repeat(151)), key: "description.fr.shortDescription", line: 36, message: /maximum of 150/ },
  {
    defect: "longDescription under 150 characters",
    text: edit(
      "    longDescription: >\n      The register of orders lets the departments of a municipality draft their\n      orders, have them signed by elected officials, then publish them online\n      and send them to the prefecture without typing them again.\n",
      "    longDescription: Too short.\n",
    ),
    key: "description.en.longDescription",
    line: 54,
    message: /at least 150/,
  },
  { defect: "shortDescription missing", text: edit("    shortDescription: Keep, sign and publish the register of municipal orders.\n", ""), key: "description.en.shortDescription", line: 53, message: /required/ },
  { defect: "documentation not a URL", text: edit('documentation: "https://registre.example.fr/doc"', "documentation: docs.example.fr"), key: "description.fr.documentation", line: 41 },
  { defect: "features empty", text: edit("    features:\n      - Drafting from templates", "    features: []"), key: "description.en.features", line: 58, message: /more than 0 items/ },
  { defect: "screenshot a GIF", text: edit("      - docs/capture.png", "      - docs/capture.gif"), key: "description.fr.screenshots[0]", line: 47, message: /is not an image/ },
  { defect: "video without oEmbed", text: edit('      - "https://www.youtube.com/watch?v=abcdefghijk"', "      - https://example.fr/video.mp4"), key: "description.fr.videos[0]", line: 49, message: /oEmbed/ },
  { defect: "genericName over 35 characters", text: edit("    localisedName: Registre des arrêtés\n", "    localisedName: Registre des arrêtés\n    genericName: Logiciel de gestion du registre des arrêtés municipaux\n"), key: "description.fr.genericName", line: 36, message: /maximum of 35/ },
  { defect: "unknown key in a description", text: edit("    localisedName: Registre des arrêtés\n", "    localisedName: Registre des arrêtés\n    summary: Registre\n"), key: "description.fr.summary", line: 36, message: /unknown field "summary"/ },
  { defect: "licence not SPDX", text: edit("license: EUPL-1.2 OR AGPL-3.0-or-later", "license: Licence Ouverte"), key: "legal.license", line: 61, message: /valid license/ },
  { defect: "licence expression broken", text: edit("license: EUPL-1.2 OR AGPL-3.0-or-later", "license: EUPL-1.2 OR"), key: "legal.license", line: 61 },
  { defect: "licence missing", text: edit("  license: EUPL-1.2 OR AGPL-3.0-or-later\n", ""), key: "legal.license", line: 61, message: /^license is a required field$/ },
  { defect: "unknown maintenance type", text: edit("type: contract", "type: outsourced"), key: "maintenance.type", line: 64, message: /"internal", "contract", "community" or "none"/ },
  { defect: "contractors under a community maintenance", text: edit("type: contract", "type: community"), key: "maintenance.contractors", line: 65, message: /must not be present unless "type" is "contract"/ },
  {
    defect: "contract maintenance without contractors",
    text: edit('  contractors:\n    - name: Société Exemple\n      email: contact@societe.example.fr\n      website: "https://societe.example.fr"\n      until: "2027-12-31"\n', ""),
    key: "maintenance.contractors",
    line: 64,
    message: /required field when "type" is "contract"/,
  },
  { defect: "contractor without until", text: edit('      until: "2027-12-31"\n', ""), key: "maintenance.contractors[0].until", line: 66, message: /required/ },
  { defect: "contractor e-mail invalid", text: edit("email: contact@societe.example.fr", "email: contact@"), key: "maintenance.contractors[0].email", line: 67, message: /valid email/ },
  { defect: "contractor website not http", text: edit('website: "https://societe.example.fr"', "website: societe.example.fr"), key: "maintenance.contractors[0].website", line: 68 },
  { defect: "contact e-mail invalid", text: edit("email: camille.martin@example.fr", "email: camille.martin"), key: "maintenance.contacts[0].email", line: 72 },
  { defect: "localisationReady a YAML 1.1 boolean", text: edit("localisationReady: true", "localisationReady: yes"), key: "localisation.localisationReady", line: 76, message: /wrong type/ },
  { defect: "POSIX locale as a language", text: edit("    - fr\n    - en\ndependsOn", "    - fr_FR\n    - en\ndependsOn"), key: "localisation.availableLanguages[0]", line: 78, message: /BCP 47/ },
  { defect: "availableLanguages missing", text: edit("  availableLanguages:\n    - fr\n    - en\n", ""), key: "localisation.availableLanguages", line: 76, message: /required/ },
  { defect: "optional dependency as a string", text: edit("optional: false", 'optional: "no"'), key: "dependsOn.open[0].optional", line: 84, message: /wrong type/ },
  { defect: "hardware dependency without name", text: edit("    - name: Lecteur de carte", '    - version: "2"'), key: "dependsOn.hardware[0].name", line: 89, message: /required/ },
  { defect: "unknown supports alias", text: edit("id: alias:gdpr", "id: alias:rgpd"), key: "supports[0].id", line: 91, message: /unknown alias/ },
  { defect: "Italian extension version unknown", text: edit('countryExtensionVersion: "1.0"', 'countryExtensionVersion: "2.0"'), key: "IT.countryExtensionVersion", line: 94 },
  { defect: "Italian extension version unquoted (read as the number 1)", text: edit('countryExtensionVersion: "1.0"', "countryExtensionVersion: 1.0"), key: "IT.countryExtensionVersion", line: 94, message: /"0.2" or "1.0" \(unquoted, 1.0 is the number 1: write "1.0"\)$/ },
  { defect: "Italian platform flag as a word", text: edit("spid: false", "spid: non"), key: "IT.piattaforme.spid", line: 96, message: /wrong type/ },
  { defect: "unknown top-level key", text: `${base}licence: EUPL-1.2\n`, key: "licence", line: 98, message: /unknown field "licence"/ },
  { defect: "both IT and it", text: `${base}it:\n  countryExtensionVersion: "1.0"\n`, key: "it", line: 98, message: /'IT' key already present/ },
  { defect: "input type not a MIME type", text: `${base}inputTypes:\n  - text\n`, key: "inputTypes[0]", line: 99, message: /MIME/ },
  { defect: "YAML syntax error", text: edit("name: Registre des arrêtés", "name: Registre: des arrêtés"), key: "", line: 2, message: /Nested mappings/ },
  { defect: "tab as indentation", text: edit("  name: Ville d'Exemple\n", "\tname: Ville d'Exemple\n"), key: "", line: 21, message: /Tabs/ },
  { defect: "key written twice", text: `${base}name: Autre\n`, key: "", line: 98, message: /unique/ },
  { defect: "two YAML documents", text: `${base}---\nname: Autre\n`, key: "", line: null, message: /multiple YAML documents/ },
];

describe("publiccode.yml validation", () => {
  it("accepts our complete fixture without error or warning", () => {
    const result = validatePubliccode(base);
    expect(result.errors).to.deep.equal([]);
    expect(result.warnings).to.deep.equal([]);
    expect(result).to.include({ valid: true, version: "0" });
    expect(result.document).to.have.property("name", "Registre des arrêtés");
  });

  describe(`refuses ${broken.length} files with one defect each, naming the key and its line`, () => {
    for (const { defect, text, key, line, message } of broken) {
      it(defect, () => {
        const result = validatePubliccode(text);
        expect(result.valid, JSON.stringify(result.errors)).to.equal(false);
        const matching = result.errors.filter((error) => error.key === key);
        expect(matching, `errors: ${JSON.stringify(result.errors)}`).to.have.length.greaterThan(0);
        const error = matching[0]!;
        expect(error.line).to.equal(line);
        if (line !== null) expect(error.column).to.be.a("number").greaterThan(0);
        if (message) expect(error.message).to.match(message);
        // One defect: nothing else is reported under another key.
        expect(result.errors.filter((other) => other.key !== key), JSON.stringify(result.errors)).to.deep.equal([]);
      });
    }
  });

  it("reports deprecated keys, lower-case countries and older versions as warnings, the file staying valid", () => {
    const text = edit('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "0.2"')
      .replace("    - FR", "    - fr")
      .replace("  mainCopyrightOwner", "  repoOwner: Ville d'Exemple\n  mainCopyrightOwner")
      .replace("IT:\n", "it:\n");
    const result = validatePubliccode(text);
    expect(result.errors).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(result.version).to.equal("0.2");
    expect(result.warnings.map((warning) => [warning.key, warning.line])).to.deep.equal([
      ["publiccodeYmlVersion", 1],
      ["intendedAudience.countries[0]", 30],
      ["legal.repoOwner", 62],
      ["it", 94],
    ]);
    expect(result.warnings[0]!.message).to.match(/not the latest version, use '0'/);
  });

  it("accepts SPDX identifiers whatever their case, exceptions and the deprecated `+`", () => {
    for (const licence of ["mit", "GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0+", "(MIT AND BSD-3-Clause) OR Apache-2.0", "LicenseRef-Ville"]) {
      const result = validatePubliccode(edit("license: EUPL-1.2 OR AGPL-3.0-or-later", `license: "${licence}"`));
      expect(result.errors, licence).to.deep.equal([]);
    }
  });

  it("gives the document even when the version is refused, but not when the file is no mapping", () => {
    const result = validatePubliccode(edit('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "1"'));
    expect(result).to.include({ valid: false, version: "1" });
    expect(result.document).to.have.property("name", "Registre des arrêtés");
    expect(validatePubliccode("- a\n").document).to.equal(null);
  });

  it("counts lengths in user-perceived characters", () => {
    // 150 flags, each two code points: 150 characters, so still a valid short description.
    const flags = "🇫🇷".repeat(150);
    expect(validatePubliccode(edit("Tenir, signer et publier le registre des arrêtés municipaux.", flags)).valid).to.equal(true);
    // e + combining acute accent: two code units, one character.
    expect(validatePubliccode(edit("Tenir, signer et publier le registre des arrêtés municipaux.", "e\u0301".repeat(150))).valid).to.equal(true);
    const long = validatePubliccode(edit("Tenir, signer et publier le registre des arrêtés municipaux.", "e\u0301".repeat(151)));
    expect(long.errors.map((error) => error.key)).to.deep.equal(["description.fr.shortDescription"]);
  });

  it("refuses files that are not a publiccode.yml at all with the version as the missing key", () => {
    for (const text of ["", "# only a comment\n", "- a\n- list\n", "just text"]) {
      const result = validatePubliccode(text);
      expect(result).to.include({ valid: false, document: null });
      expect(result.errors.map((error) => error.key)).to.deep.equal(["publiccodeYmlVersion"]);
    }
  });

  it("survives an alias bomb and refuses it quickly", () => {
    const lines = ['publiccodeYmlVersion: "0"', "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const result = validatePubliccode(lines.join("\n"));
    expect(result.valid).to.equal(false);
    expect(result.errors).to.have.length(1);
    expect(result.errors[0]!.key).to.equal("");
    expect(result.errors[0]!.message).to.match(/alias/i);
  });

  it("refuses hostile nesting and odd keys without throwing or logging", async () => {
    const deep = validatePubliccode(`publiccodeYmlVersion: "0"\ndescription: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expect(deep.errors.map((error) => [error.key, error.message])).to.deep.equal([["", "the YAML is nested too deeply"]]);
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on("warning", listener);
    try {
      const odd = validatePubliccode(`${base}? [a, b]\n: c\n`);
      expect(odd.errors.map((error) => [error.key, error.line])).to.deep.equal([["", 98]]);
      expect(odd.errors[0]!.message).to.equal("keys must be strings");
      // Node emits process warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    expect(warnings).to.deep.equal([]);
  });

  it("follows a few aliases like any value", () => {
    const text = edit("  license: EUPL-1.2 OR AGPL-3.0-or-later", "  license: *licence").replace(
      "  mainCopyrightOwner: Ville d'Exemple",
      "  mainCopyrightOwner: &licence MIT",
    );
    // The alias comes before its anchor in the file: YAML refuses it.
    expect(validatePubliccode(text).errors[0]!.key).to.equal("");
    const ordered = edit("name: Registre des arrêtés", "name: &nom Registre des arrêtés").replace(
      "    localisedName: Registre des arrêtés",
      "    localisedName: *nom",
    );
    expect(validatePubliccode(ordered).errors).to.deep.equal([]);
  });

  it("refuses more than 1 MB and bytes that are not UTF-8", () => {
    const large = `${base}# ${"x".repeat(1024 * 1024)}\n`;
    expect(validatePubliccode(large).errors[0]!.message).to.match(/larger than 1 MB/);
    expect(validatePubliccodeBytes(Buffer.from(large)).errors[0]!.message).to.match(/larger than 1 MB/);
    const latin1 = Buffer.from(base, "latin1");
    expect(validatePubliccodeBytes(latin1).errors).to.deep.equal([{ key: "", line: null, column: null, message: "Invalid UTF-8" }]);
    expect(validatePubliccodeBytes(Buffer.from(base)).valid).to.equal(true);
  });

  it("checks relative logos and screenshots only when the files beside it are given", () => {
    const files = new Map<string, Uint8Array>([["docs/logo.svg", Buffer.from("<svg/>")]]);
    const result: PubliccodeResult = validatePubliccode(base, { files: { read: (name) => files.get(name) ?? null } });
    expect(result.errors.map((error) => [error.key, error.message])).to.deep.equal([
      ["description.fr.screenshots[0]", "'docs/capture.png' is not an image: no such file: docs/capture.png"],
    ]);
    files.set("docs/capture.png", Buffer.from("png?"));
    expect(validatePubliccode(base, { files: { read: (name) => files.get(name) ?? null } }).valid).to.equal(true);
    const pngLogo = edit("logo: docs/logo.svg", "logo: docs/logo.png");
    files.set("docs/logo.png", Buffer.from("not a png"));
    const badPng = validatePubliccode(pngLogo, { files: { read: (name) => files.get(name) ?? null } });
    expect(badPng.errors.map((error) => [error.key, error.message])).to.deep.equal([["logo", "image: unknown format"]]);
  });
});

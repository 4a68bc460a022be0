// The shape of a publiccode.yml ("0" line, which reads 0.2 to 0.7 alike), as
// data: the walker (validate.ts) checks types, unknown keys, required keys and
// each value's rule from this tree. Cross-field rules (maintenance type against
// contractors/contacts, the IT/it sections, deprecations) live in rules.ts.
import {
  graphemeLength,
  isCountryCode,
  isDate,
  isEmail,
  isHttpUrl,
  isLanguageTag,
  isMimeType,
  isSpdxExpression,
  isUrl,
  organisationUriProblem,
  supportsIdProblem,
  isItalianIpaCode,
} from "./checks.ts";
import {
  categories,
  developmentStatuses,
  italianExtensionVersions,
  maintenanceTypes,
  scopes,
  softwareTypes,
  supportsAliases,
} from "./vocabulary.ts";

/** A value rule: the message when `value` breaks it (label: the field's name as messages show it), else null. */
export type Rule = (value: string, label: string) => string | null;

export type Field =
  | { type: "string"; required?: boolean; rules?: Rule[] }
  | { type: "bool"; required?: boolean }
  /** always: a non-pointer Go struct, whose required children are checked even when the key is absent. */
  | { type: "map"; fields: Record<string, Field>; always?: boolean }
  /**
   * required: absent or null is "a required field"; nonEmpty: absent, null or
   * empty is "must contain more than 0 items" (Go's gt=0).
   */
  | { type: "list"; items: Field; required?: boolean; nonEmpty?: boolean }
  /** description: a map from BCP 47 language tags to one shape. */
  | { type: "languages"; items: Field; nonEmpty?: boolean }
  /** isBasedOn: one string or a list of strings. */
  | { type: "stringOrList"; items: Field };

const oneOf =
  (values: readonly string[]): Rule =>
  (value, label) => {
    if (values.includes(value)) return null;
    const quoted = values.map((v) => `"${v}"`);
    const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : quoted.join("");
    return `${label} must be one of the following: ${list}`;
  };
const test =
  (accept: (value: string) => boolean, message: string): Rule =>
  (value, label) =>
    accept(value) ? null : `${label} ${message}`;
const maxLength =
  (max: number): Rule =>
  (value, label) =>
    graphemeLength(value) <= max ? null : `${label} must be a maximum of ${max} characters in length`;
const minLength =
  (min: number): Rule =>
  (value, label) =>
    graphemeLength(value) >= min ? null : `${label} must be at least ${min} characters in length`;
/** `omitempty`: an empty string skips the rules. */
const unlessEmpty =
  (rule: Rule): Rule =>
  (value, label) =>
    value === "" ? null : rule(value, label);

const httpUrl = test(isHttpUrl, "must be an HTTP URL");
const url = test(isUrl, "must be a valid URL");
const date = test(isDate, "must be a date with format 'YYYY-MM-DD'");
const email = unlessEmpty(test(isEmail, "must be a valid email address"));
const organisationUri: Rule = (value, label) => {
  const problem = organisationUriProblem(value);
  if (problem === "italian_pa")
    return `${label} must be a valid Italian Public Administration Code (iPA) with format 'urn:x-italian-pa:[codiceIPA]' (see https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary)`;
  return problem ? `${label} is not a valid URI` : null;
};
const supportsId: Rule = (value, label) => {
  const problem = supportsIdProblem(value, supportsAliases);
  if (problem === "unknown_alias")
    return `${label} contains an unknown alias (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst)`;
  return problem ? `${label} must be a known alias ('alias:<name>') or a valid URI (URL or URN)` : null;
};

const text: Field = { type: "string" };
const texts: Field = { type: "list", items: text };
const bool: Field = { type: "bool" };

const organisation: Field = {
  type: "map",
  fields: { name: text, uri: { type: "string", required: true, rules: [organisationUri] } },
};

const dependency: Field = {
  type: "map",
  fields: { name: { type: "string", required: true }, versionMin: text, versionMax: text, optional: bool, version: text },
};
const dependencies: Field = { type: "list", items: dependency };

const description: Field = {
  type: "map",
  always: true,
  fields: {
    localisedName: text,
    genericName: { type: "string", rules: [maxLength(35)] },
    shortDescription: { type: "string", required: true, rules: [maxLength(150)] },
    longDescription: { type: "string", required: true, rules: [minLength(150), maxLength(10000)] },
    documentation: { type: "string", rules: [httpUrl] },
    apiDocumentation: { type: "string", rules: [httpUrl] },
    features: { type: "list", items: text, nonEmpty: true },
    screenshots: texts,
    videos: { type: "list", items: { type: "string", rules: [httpUrl] } },
    awards: texts,
  },
};

const countries: Field = {
  type: "list",
  items: { type: "string", rules: [test(isCountryCode, "must be a valid ISO 3166-1 alpha-2 two-letter country code")] },
};

export const italianSection: Field = {
  type: "map",
  fields: {
    countryExtensionVersion: { type: "string", rules: [oneOf(italianExtensionVersions)] },
    conforme: {
      type: "map",
      fields: { lineeGuidaDesign: bool, modelloInteroperabilita: bool, misureMinimeSicurezza: bool, gdpr: bool },
    },
    riuso: {
      type: "map",
      fields: {
        codiceIPA: {
          type: "string",
          rules: [
            unlessEmpty(
              test(
                isItalianIpaCode,
                "must be a valid Italian Public Administration Code (iPA) (see https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary)",
              ),
            ),
          ],
        },
      },
    },
    piattaforme: { type: "map", fields: { spid: bool, pagopa: bool, cie: bool, anpr: bool, io: bool } },
  },
};

/** The whole file. Rules run in this order, and the first one broken is the only one reported for a value, as go-playground does. */
export const publiccodeSchema: Field = {
  type: "map",
  always: true,
  fields: {
    publiccodeYmlVersion: text, // checked before anything else, in validate.ts
    name: { type: "string", required: true },
    applicationSuite: text,
    url: { type: "string", required: true, rules: [url] },
    landingURL: { type: "string", rules: [httpUrl] },
    isBasedOn: { type: "stringOrList", items: { type: "string", rules: [url] } },
    softwareVersion: text,
    releaseDate: { type: "string", rules: [date] },
    logo: text,
    monochromeLogo: text,
    organisation,
    inputTypes: { type: "list", items: { type: "string", rules: [test(isMimeType, "is not a valid MIME type")] } },
    outputTypes: { type: "list", items: { type: "string", rules: [test(isMimeType, "is not a valid MIME type")] } },
    platforms: { type: "list", items: text, nonEmpty: true },
    categories: {
      type: "list",
      items: {
        type: "string",
        rules: [
          test(
            (v) => categories.has(v),
            "must be a valid category (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/categories-list.rst)",
          ),
        ],
      },
    },
    usedBy: texts,
    fundedBy: { type: "list", items: organisation },
    roadmap: { type: "string", rules: [httpUrl] },
    developmentStatus: { type: "string", required: true, rules: [oneOf(developmentStatuses)] },
    softwareType: { type: "string", required: true, rules: [oneOf(softwareTypes)] },
    supports: {
      type: "list",
      items: { type: "map", fields: { id: { type: "string", required: true, rules: [supportsId] } } },
    },
    intendedAudience: {
      type: "map",
      fields: {
        scope: {
          type: "list",
          items: {
            type: "string",
            rules: [
              test(
                (v) => scopes.has(v),
                "must be a valid scope (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst)",
              ),
            ],
          },
        },
        countries,
        unsupportedCountries: countries,
      },
    },
    description: { type: "languages", items: description, nonEmpty: true },
    legal: {
      type: "map",
      always: true,
      fields: {
        license: {
          type: "string",
          required: true,
          rules: [test(isSpdxExpression, "must be a valid license (see https://spdx.org/licenses)")],
        },
        mainCopyrightOwner: text,
        repoOwner: text,
        authorsFile: text,
      },
    },
    maintenance: {
      type: "map",
      always: true,
      fields: {
        type: { type: "string", required: true, rules: [oneOf(maintenanceTypes)] },
        contractors: {
          type: "list",
          items: {
            type: "map",
            fields: {
              name: { type: "string", required: true },
              email: { type: "string", rules: [email] },
              website: { type: "string", rules: [httpUrl] },
              until: { type: "string", required: true, rules: [date] },
            },
          },
        },
        contacts: {
          type: "list",
          items: {
            type: "map",
            fields: {
              name: { type: "string", required: true },
              email: { type: "string", rules: [email] },
              affiliation: text,
              phone: text,
            },
          },
        },
      },
    },
    localisation: {
      type: "map",
      always: true,
      fields: {
        localisationReady: { type: "bool", required: true },
        availableLanguages: {
          type: "list",
          required: true,
          nonEmpty: true,
          items: { type: "string", rules: [test(isLanguageTag, "must be a valid BCP 47 language")] },
        },
      },
    },
    dependsOn: {
      type: "map",
      fields: { open: dependencies, proprietary: dependencies, hardware: dependencies },
    },
    IT: italianSection,
    it: italianSection,
  },
};

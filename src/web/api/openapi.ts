// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json and
// rendered as the reference page at /api. Written by hand next to the routes:
// test/api/openapi.test.ts checks that every route is described and that the
// record schema has exactly the fields of the public record.
import { publicRepositoryFields } from "../../records/repository.ts";
import { facetValueLimit } from "../../search/searchIndex.ts";
import { defaultFacetLimit, defaultPerPage, filterParameters, maxPerPage, maxResultsDepth, searchParameters } from "../../search/parseQuery.ts";
import { exportRecordFields } from "../../records/exportRecord.ts";
import { sortKeys } from "../../search/types.ts";
import { maxPubliccodeBytes as publiccodeMaxBytes } from "../../publiccode/validate.ts";
import { ecosystems } from "../../reuse/types.ts";

type Schema = Record<string, unknown>;

const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, "null"], ...extra });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const refParameter = (name: string): Schema => ({ $ref: `#/components/parameters/${name}` });
const json = (schema: Schema) => ({ "application/json": { schema } });

export const rankingDescription = `relevance = text × exact × reuse

- text = the lunr score of the query words over every field (BM25 per field, k1 = 1.2, b = 0.75, times the field's boost: name 4, topics 2, owner 1.5, public body 1, description 1, language 1, summed over fields), divided by the best score among the matches: between 0 and 1. A q without one searchable word matches nothing (see unsearchable_query).
- exact = 2 when q is the repository's name, ignoring case, accents and separators ("udata" for udata, "Udata Front" for udata-front), else 1.
- reuse = (1 + 1.2 × reuse_score / 100) × 0.5 if archived × 0.6 if a fork, reuse_score being the repository's reuse score (below).

Reuse lies between 0.3 (an archived fork scoring 0) and 2.2 (a score of 100), so a repository matching by its name keeps ahead of a popular one that mentions the word once in its description. Ties are broken by name.`;

// ---- issue 10: the reuse score, its formula as src/reuse/score.ts computes it ----
export const reuseScoreDescription = `reuse_score = the sum of eight criteria's points, 0 to 100; each criterion's points = weight × a fraction between 0 and 1, rounded to one decimal. GET /repositories/{id} gives each criterion's value, weight and points (reuse.criteria).

- reused_by (weight 35): r / (r + 2), r = distinct other public bodies (or owners without a known body) that fork the repository, depend on a package it publishes or declare being based on it (publiccode.yml isBasedOn): 1 body gives 1/3, 2 give 1/2, 8 give 4/5.
- declared_users (weight 10): u / (u + 2), u = names in its publiccode.yml usedBy.
- stars (weight 15): min(1, log10(1 + stars) / 3): 1,000 stars or more give 1.
- recent_activity (weight 15): 0.5 ^ (days since the last push, or update, / 365): 1/2 a year after; 0 when unknown.
- licence (weight 10): 1 when the licence is known (an SPDX id, not "other").
- readme (weight 5), contributing (weight 5): 1 when the file is at the root of the default branch.
- publiccode (weight 5): 1 for a valid publiccode.yml, 0.4 for an invalid one.

Values not harvested yet (files not read) are null and earn nothing. The score is computed when the reuse graph is rebuilt, after each harvest; reused_by_count = r + u.`;
// ---- end of issue 10 ----

export const textDescription = `Free text, in French or English. Words are matched whatever their accents ("equipement" finds "équipement"), case and inflection (French and English stemming: "données" finds "donnée", "libraries" finds "library"); stop words ("le", "des", "the") are ignored. Names are also split on "-", "_", "." and camelCase ("front" finds "udata-front", "gouv" finds "dataGouv"). A repository must contain every word, in any of its name, description, topics, owner (login and name), public body (id and name) and language; when none contains them all, those containing some are returned, ranked by how well they match. No query syntax: "*", "+", "-", "~", ":", "^" and quotes are plain separators, so any input is a valid search. Only the first 32 words count. Empty: every live repository. Text without one searchable word (only emoji, a script the index does not cover, only stop words) searches nothing: no results, and the response says unsearchable_query: true.`;

export const facetLimitDescription = `Values listed per facet, most frequent first, 1 to ${facetValueLimit} (the values the request filters on are listed besides).`;
export const facetsDescription = `Counts of repositories per value of each filter, over the current result set, with one rule: a facet ignores its own filter. With language=Python, the "language" facet still counts Java, Go... among the repositories matching q and the other filters, so that a client can show what choosing another value would give; every other facet counts Python repositories only. active_since narrows every facet. Each facet lists its facet_limit most frequent values (by count, then by first appearance; ${defaultFacetLimit} unless facet_limit asks for up to ${facetValueLimit}), plus any value the request filters on, even with a count of 0. Boolean facets have the values "true" and "false".`;

const listFilter = (name: string, description: string, example: string): Schema => ({
  name,
  in: "query",
  description: `${description} Several values: repeat the parameter or separate them with commas; a repository matches any of them. Case-insensitive.`,
  schema: { type: "array", items: { type: "string", maxLength: 300 }, maxItems: 50 },
  style: "form",
  explode: true,
  example,
});

const booleanFilter = (name: string, description: string): Schema => ({
  name,
  in: "query",
  description,
  schema: { type: "boolean" },
});

const repositoryProperties: Record<(typeof publicRepositoryFields)[number], Schema> = {
  id: { type: "string", description: "<host>/<full_name>, e.g. github.com/etalab/udata", example: "github.com/etalab/udata" },
  forge: { type: "string", description: "Forge software: github, gitlab...", example: "github" },
  host: { type: "string", example: "github.com" },
  owner: { type: "string", description: "Login of the owner; for GitLab, the full path of the group", example: "etalab" },
  name: { type: "string", example: "udata" },
  full_name: { type: "string", example: "etalab/udata" },
  url: { type: "string", format: "uri" },
  description: nullable("string"),
  homepage: nullable("string", { format: "uri" }),
  language: nullable("string", { description: "Main language as the forge detects it", example: "Python" }),
  license: nullable("string", { description: 'SPDX id; "other" when the forge found a licence it cannot name; null when none', example: "AGPL-3.0" }),
  topics: { type: "array", items: { type: "string" } },
  stars: { type: "integer", minimum: 0 },
  forks: { type: "integer", minimum: 0 },
  open_issues: { type: "integer", minimum: 0 },
  archived: { type: "boolean" },
  fork: { type: "boolean" },
  template: { type: "boolean" },
  default_branch: nullable("string"),
  created_at: nullable("string", { format: "date-time" }),
  updated_at: nullable("string", { format: "date-time" }),
  pushed_at: nullable("string", { format: "date-time" }),
  first_seen_at: { type: "string", format: "date-time", description: "First harvest that saw it" },
  last_seen_at: { type: "string", format: "date-time", description: "Last harvest that saw it" },
  // issue 9
  has_publiccode: { type: "boolean", description: "A publiccode.yml (or publiccode.yaml) at the root of the default branch; false until the repository's files are read" },
  publiccode_valid: nullable("boolean", { description: "Whether that publiccode.yml is valid; null without one" }),
  // issue 10
  reuse_score: nullable("number", { minimum: 0, maximum: 100, description: "The reuse score, 0 to 100 (see the formula); null until the reuse graph includes the repository" }),
  reused_by_count: nullable("integer", { minimum: 0, description: "Distinct other public bodies (or owners without one) that fork it, depend on it or declare being based on it, plus the users its publiccode.yml declares; null likewise" }),
};

// ---- issue 10: reuse in the API ----
const reuseEdgePage: Schema = {
  type: "object",
  required: ["total", "page", "per_page", "items"],
  properties: {
    total: { type: "integer" },
    page: { type: "integer" },
    per_page: { type: "integer" },
    items: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "kind", "package", "scope", "across_bodies"],
        properties: {
          id: { type: "string", description: "The other repository: the one that reuses (dependents, forks) or the one reused (dependencies)" },
          kind: { type: "string", enum: ["fork", "dependency", "based_on"], description: "fork; dependency: a package it publishes is in the other's manifests; based_on: publiccode.yml isBasedOn" },
          package: nullable("object", { description: "The package of a dependency", required: ["ecosystem", "name"], properties: { ecosystem: { type: "string" }, name: { type: "string" } } }),
          scope: nullable("string", { enum: ["runtime", "peer", "optional", "build", "provided", "dev", "test", "indirect", null], description: "How the manifest needs the package (its strongest scope)" }),
          across_bodies: { type: "boolean", description: "Reuse by another public body: false within one owner or one body" },
        },
      },
    },
  },
};
const reuseSchema: Schema = nullable("object", {
  description: "Who reuses the repository and what it builds on, with its reuse score; null until the reuse graph includes it",
  required: ["score", "criteria", "built_at", "reused_by", "builds_on"],
  properties: {
    score: { type: "number", minimum: 0, maximum: 100 },
    criteria: {
      type: "array",
      description: "The criteria of the score (see the formula), in that order",
      items: {
        type: "object",
        required: ["name", "value", "weight", "points"],
        properties: {
          name: { type: "string", enum: ["reused_by", "declared_users", "stars", "recent_activity", "licence", "readme", "publiccode", "contributing"] },
          value: { type: ["number", "string", "boolean", "null"], description: "What was measured: a count, days since the last push, the licence, true or false, valid, invalid or absent; null when unknown" },
          weight: { type: "number" },
          points: { type: "number" },
        },
      },
    },
    built_at: { type: "string", format: "date-time", description: "When the reuse graph was built" },
    reused_by: {
      type: "object",
      required: ["count", "public_bodies", "owners", "declared_users", "forks", "dependents", "based_on_by"],
      properties: {
        count: { type: "integer", description: "reused_by_count" },
        public_bodies: { type: "array", items: { type: "string" }, description: "Other public bodies (pso_id) reusing it" },
        owners: { type: "array", items: { type: "string" }, description: "Other owners without a known public body reusing it, <host>/<login>" },
        declared_users: { type: "array", items: { type: "string" }, description: "publiccode.yml usedBy, as written" },
        forks: { type: "integer", description: "Catalogue repositories forking it (any owner): /repositories/{id}/forks" },
        dependents: { type: "integer", description: "Catalogue repositories depending on a package it publishes: /repositories/{id}/dependents" },
        based_on_by: { type: "integer", description: "Catalogue repositories declaring being based on it" },
      },
    },
    builds_on: {
      type: "object",
      required: ["fork_of", "upstream", "based_on", "based_on_external", "depends_on", "external_dependencies", "declared_dependencies"],
      properties: {
        fork_of: nullable("string", { description: "Its fork parent in the catalogue" }),
        upstream: nullable("string", { description: "Its fork parent outside the catalogue, <host>/<full_name>" }),
        based_on: { type: "array", items: { type: "string" }, description: "Catalogue repositories its publiccode.yml isBasedOn names" },
        based_on_external: { type: "array", items: { type: "string" }, description: "The other isBasedOn URLs, as written" },
        depends_on: { type: "integer", description: "Catalogue repositories whose packages it needs: /repositories/{id}/dependencies" },
        external_dependencies: { type: "integer", description: "Its dependencies on packages no catalogue repository publishes" },
        declared_dependencies: { type: "array", items: { type: "string" }, description: "publiccode.yml dependsOn names" },
      },
    },
  },
});
/** The id of the repository routes, slashes included. */
const repositoryIdParameter: Schema = { name: "id", in: "path", required: true, description: "<host>/<full_name>, slashes included", schema: { type: "string" }, example: "github.com/etalab/udata" };

const reuseListPath = (direction: "dependents" | "dependencies" | "forks", summary: string): Schema => ({
  get: {
    tags: ["reuse"],
    operationId: `listRepository${direction[0]!.toUpperCase()}${direction.slice(1)}`,
    summary,
    description: "Paginated; reuse by other public bodies first, then by id. A repository that is live but not yet in the reuse graph has none.",
    parameters: [repositoryIdParameter, refParameter("page"), refParameter("per_page")],
    responses: {
      "200": cachedResponse("A page of reuse links", ref("ReuseEdgePage")),
      "304": { description: "Not modified" },
      "400": errorResponse("A parameter is invalid: reason invalid_parameter"),
      "404": errorResponse("No live repository has this id: reason not_found"),
    },
  },
});
// ---- end of issue 10 ----

// ---- issue 9: the profile of one repository (GET /repositories/{id}) ----
const issueSchema: Schema = {
  type: "object",
  required: ["key", "line", "column", "message"],
  properties: { key: { type: "string", description: "Key path, e.g. description.en.shortDescription" }, line: nullable("integer"), column: nullable("integer"), message: { type: "string" } },
};
const repositoryDetailProperties: Record<string, Schema> = {
  readme: nullable("object", {
    description: "The README at the root of the default branch: its name, a plain-text excerpt and the HTML rendered from it (sanitised: no script, no image, no style; links http(s) and mailto only). null when there is none or it has not been read",
    required: ["name", "excerpt", "html"],
    properties: { name: { type: "string" }, excerpt: { type: "string" }, html: { type: "string" } },
  }),
  publiccode: nullable("object", {
    description: "The publiccode.yml: the parsed document, the validator's errors and warnings. null without one",
    required: ["file", "valid", "version", "errors", "warnings", "document"],
    properties: {
      file: { type: "string", enum: ["publiccode.yml", "publiccode.yaml"] },
      valid: { type: "boolean" },
      version: nullable("string"),
      errors: { type: "array", items: issueSchema },
      warnings: { type: "array", items: issueSchema },
      document: nullable("object", { description: "The YAML as parsed" }),
    },
  }),
  files: nullable("object", {
    description: "The name of each community file found at the root, or null; the whole object is null until the files are read",
    properties: Object.fromEntries(["readme", "publiccode", "license", "contributing", "code_of_conduct", "security", "changelog"].map((name) => [name, nullable("string")])),
  }),
  files_too_large: { type: "array", items: { type: "string" }, description: "Files over 1 MB, not read" },
  latest_release: nullable("object", {
    description: "The latest release, else (GitLab) the latest tag",
    required: ["kind", "name", "tag", "date", "url"],
    properties: { kind: { type: "string", enum: ["release", "tag"] }, name: { type: "string" }, tag: nullable("string"), date: nullable("string", { format: "date-time" }), url: nullable("string", { format: "uri" }) },
  }),
  checks: {
    type: "array",
    description: "What the publisher should fix, most serious first",
    items: {
      type: "object",
      required: ["code", "level", "message", "fix", "details"],
      properties: {
        code: { type: "string", enum: ["no_license", "license_not_recognised", "no_description", "no_readme", "no_publiccode", "invalid_publiccode", "archived", "inactive", "profile_unreadable", "manifest_unreadable"] },
        level: { type: "string", enum: ["error", "warning", "info"] },
        message: { type: "string" },
        fix: { type: "string" },
        details: { type: "array", items: { type: "string" } },
      },
    },
  },
  profile: {
    type: "object",
    description: "When the repository's files were last read, and why the last attempt failed if it did (the previous profile is then kept)",
    required: ["fetched_at", "error"],
    properties: {
      fetched_at: nullable("string", { format: "date-time" }),
      error: nullable("object", { required: ["reason", "message"], properties: { reason: { type: "string" }, message: { type: "string" } } }),
    },
  },
};
// ---- end of issue 9 ----

const ownerSummaryProperties: Record<string, Schema> = {
  id: { type: "string", description: "<host>/<login>", example: "github.com/etalab" },
  host: { type: "string" },
  login: { type: "string", description: "GitHub login, or GitLab full path of the group (may contain slashes)" },
  kind: nullable("string", { enum: ["organization", "user", "group", null], description: "null for a namespace known only through its repositories" }),
  name: nullable("string"),
  public_body: nullable("string", { description: "pso_id: the body's id in the French public-sector directory (lannuaire.service-public.fr)" }),
  public_body_name: nullable("string"),
  repositories: { type: "integer", description: "Live repositories" },
  stars: { type: "integer" },
  forks: { type: "integer" },
  last_activity_at: nullable("string", { format: "date-time" }),
};

const facetNamesInApi = ["language", "license", "host", "owner", "public_body", "topic", "archived", "fork", "has_license", "has_publiccode", "publiccode_valid", "category", "development_status", "software_type", "reused"];

const errorResponse = (description: string) => ({ description, content: json(ref("Error")) });

const cachedResponse = (description: string, schema: Schema) => ({
  description,
  headers: {
    ETag: { description: "Weak validator of the body: send it back in If-None-Match for a 304", schema: { type: "string" } },
    "Cache-Control": { schema: { type: "string", example: "public, max-age=300" } },
  },
  content: json(schema),
});

/** The query parameters, by name: the routes' lists (from the parsers) pick from them. */
const parameterComponents: Record<string, Schema> = {
  q: { name: "q", in: "query", description: textDescription, schema: { type: "string" }, example: "base adresse nationale" },
  language: listFilter("language", "Main language.", "Python"),
  license: listFilter("license", 'SPDX licence id, or "other".', "MIT"),
  host: listFilter("host", "Forge host.", "gitlab.com"),
  owner: listFilter("owner", "Owner id, <host>/<login>. A login alone (etalab) is completed with its host when one host has it; else 400 unknown_owner, or ambiguous_owner listing the hosts that have it.", "github.com/etalab"),
  public_body: listFilter("public_body", "Public body: the pso_id of the owner.", "d24d1af2-c506-4b10-82e8-ab92b8e959d2"),
  topic: listFilter("topic", "Topic.", "open-data"),
  archived: booleanFilter("archived", "true: archived repositories only; false: not archived."),
  fork: booleanFilter("fork", "true: forks only; false: no forks."),
  has_license: booleanFilter("has_license", 'true: repositories with a licence (including "other"); false: without.'),
  // Repository profiles (issue 9).
  has_publiccode: booleanFilter("has_publiccode", "true: repositories with a publiccode.yml; false: without."),
  publiccode_valid: booleanFilter("publiccode_valid", "true: a valid publiccode.yml; false: a publiccode.yml with errors (repositories without one match neither)."),
  category: listFilter("category", "publiccode.yml category.", "data-collection"),
  development_status: listFilter("development_status", "publiccode.yml developmentStatus: concept, development, beta, stable, obsolete.", "stable"),
  software_type: listFilter("software_type", "publiccode.yml softwareType.", "standalone/web"),
  // issue 10
  reused: booleanFilter("reused", "true: repositories reused by at least one other public body (reused_by_count above 0: forked, depended on or declared as a base by another body or owner, or users declared in publiccode.yml); false: the others."),
  active_since: { name: "active_since", in: "query", description: "Pushed (or updated, when the forge gives no push date) on or after this date, YYYY-MM-DD (UTC) or an ISO date-time.", schema: { type: "string", format: "date" }, example: "2024-01-01" },
  sort: {
    name: "sort",
    in: "query",
    description: "relevance (default; see the ranking formula), stars, forks (most first), activity (latest push first), name (alphabetical), reuse (highest reuse score first). Ties: by name.",
    schema: { type: "string", enum: [...sortKeys], default: "relevance" },
  },
  page: { name: "page", in: "query", description: "1-based", schema: { type: "integer", minimum: 1, default: 1 } },
  per_page: { name: "per_page", in: "query", schema: { type: "integer", minimum: 1, maximum: maxPerPage, default: defaultPerPage } },
  // Issue 13: ten facet values unless asked for more.
  facet_limit: { name: "facet_limit", in: "query", description: facetLimitDescription, schema: { type: "integer", minimum: 1, maximum: facetValueLimit, default: defaultFacetLimit } },
};

export function openApiDocument(): Schema {
  return {
    openapi: "3.1.0",
    info: {
      title: "Code Commun API",
      version: "1.0.0",
      summary: "The source code that public bodies publish, searchable.",
      description: `Every live repository harvested from the forge accounts of public bodies, with French and English full-text search, filters and facets, owners, statistics and bulk exports.

Conventions:
- Read-only (but POST /publiccode/validate, which stores nothing), no authentication. CORS is open (Access-Control-Allow-Origin: *).
- Responses carry a weak ETag and Cache-Control; send If-None-Match to get 304 Not Modified. The data changes after each harvest.
- Errors are JSON: {"error": "<human message>", "reason": "<stable code>"}, with reason invalid_parameter (400), unknown_parameter (400: a parameter the route does not read; the error also lists "parameters", "accepted" and a "suggestion"), unknown_owner and ambiguous_owner (400: an owner filter given as a login alone, see the owner parameter), not_found (404), method_not_allowed (405), headers_too_large (431: an address or headers too long); POST /publiccode/validate adds empty_body (400), payload_too_large (413) and unsupported_media_type (415); internal_error (500). Every route refuses parameters it does not read.
- Repositories are always given in the public record shape (schema Repository), the same as the exports. Removed repositories are never listed.
- Lists are paginated with page (1-based) and per_page (1 to ${maxPerPage}, default ${defaultPerPage}); page × per_page may not exceed ${maxResultsDepth}: use the exports for everything.

Ranking (sort=relevance):

${rankingDescription}

Reuse score:

${reuseScoreDescription}`,
      license: { name: "Data: Licence Ouverte 2.0", url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence" },
    },
    servers: [{ url: "/api/v1" }],
    tags: [
      { name: "repositories", description: "Search, one repository, exports" },
      { name: "owners", description: "Organisations, users and groups that own repositories" },
      { name: "catalogue", description: "Statistics and this description" },
      { name: "publiccode", description: "Validation of publiccode.yml files" },
      { name: "harvest", description: "How the last harvests went, per forge host and per account" },
      { name: "reuse", description: "Who forks, depends on and declares using whose code" },
    ],
    paths: {
      "/repositories": {
        get: {
          tags: ["repositories"],
          operationId: "searchRepositories",
          summary: "Search repositories, with filters and facets",
          description: `${textDescription}\n\n${facetsDescription}`,
          // The parser's own list (src/search/parseQuery.ts): a filter added there is described here once its component exists.
          parameters: searchParameters.filter((name) => name in parameterComponents).map(refParameter),
          responses: {
            "200": cachedResponse("A page of results with the facets", ref("SearchResponse")),
            "304": { description: "Not modified (If-None-Match matched the ETag)" },
            "400": errorResponse("A parameter is invalid (q never is), unknown, or an owner login is unknown or ambiguous: reason invalid_parameter, unknown_parameter, unknown_owner or ambiguous_owner"),
          },
        },
      },
      "/repositories/{id}": {
        get: {
          tags: ["repositories"],
          operationId: "getRepository",
          summary: "One live repository",
          description: "The id is \"<host>/<full_name>\" and contains slashes, written as they are: /api/v1/repositories/github.com/etalab/udata, /api/v1/repositories/gitlab.com/group/subgroup/project. Case-insensitive, as forges are.",
          parameters: [repositoryIdParameter],
          responses: {
            "200": cachedResponse("The repository, with its profile: README, publiccode.yml, community files, latest release, checks", ref("RepositoryDetail")),
            "304": { description: "Not modified" },
            "404": errorResponse("No live repository has this id: reason not_found"),
          },
        },
      },
      // issue 10: reuse
      "/repositories/{id}/dependents": reuseListPath("dependents", "Catalogue repositories that depend on this one (a package it publishes) or declare being based on it"),
      "/repositories/{id}/dependencies": reuseListPath("dependencies", "Catalogue repositories this one depends on or declares being based on"),
      "/repositories/{id}/forks": reuseListPath("forks", "Catalogue repositories that fork this one"),
      // issue 13: the similar repositories, with the reasons stored in the index
      "/repositories/{id}/similar": {
        get: {
          tags: ["repositories"],
          operationId: "listSimilarRepositories",
          summary: "The repositories most like this one, as its catalogue page lists them",
          description: "Up to 6, not archived, ranked by text similarity to its name, description and topics (the search's ranking), each with why: the topics both have (shared_topics) and the words of its name or description that this one also has (shared_words), at most 4 in all.",
          parameters: [repositoryIdParameter],
          responses: {
            "200": cachedResponse("The similar repositories, best first", ref("SimilarRepositories")),
            "304": { description: "Not modified" },
            "400": errorResponse("A parameter was given: reason unknown_parameter"),
            "404": errorResponse("No live repository has this id: reason not_found"),
          },
        },
      },
      "/packages": {
        get: {
          tags: ["reuse"],
          operationId: "getPackageUsage",
          summary: "Which catalogue repositories use a package, and which publishes it",
          description: "The package is named as in its manifests; the name is compared as its registry does (PyPI and Composer without case, Cargo with - for _...). publishers: the catalogue repositories (not forks) whose manifests declare it; several make it ambiguous, and its dependents are then linked to none. dependents: every catalogue repository whose manifests need it, paginated, by id.",
          parameters: [
            { name: "ecosystem", in: "query", required: true, schema: { type: "string", enum: [...ecosystems] }, example: "npm" },
            { name: "name", in: "query", required: true, description: "The package name, as the registry accepts it: 400 invalid_parameter otherwise", schema: { type: "string", maxLength: 300 }, example: "@gouvfr/dsfr" },
            refParameter("page"),
            refParameter("per_page"),
          ],
          responses: {
            "200": cachedResponse("The package's publishers and dependents", ref("PackageUsage")),
            "304": { description: "Not modified" },
            "400": errorResponse("No or an unknown ecosystem, no or an invalid name: reason invalid_parameter"),
          },
        },
      },
      "/repositories.json": {
        get: {
          tags: ["repositories"],
          operationId: "exportRepositoriesJson",
          summary: "The live repositories a search selects (all without parameters), as one JSON array",
          description: `Streamed (memory stays flat whatever the catalogue's size). Without parameters: every live repository, ordered by host then full name. With q, filters or sort: exactly the repositories of that search, in its order, all pages at once. Each record is a Repository plus public_body (the pso_id) and public_body_name. The ETag changes when the catalogue changes.`,
          parameters: ["q", ...filterParameters, "sort"].filter((name) => name in parameterComponents).map(refParameter),
          responses: {
            "200": { description: "A JSON array of ExportRecord", content: json({ type: "array", items: ref("ExportRecord") }) },
            "304": { description: "Not modified" },
            "400": errorResponse("A parameter is invalid or unknown"),
          },
        },
      },
      "/repositories.csv": {
        get: {
          tags: ["repositories"],
          operationId: "exportRepositoriesCsv",
          summary: "The live repositories a search selects (all without parameters), as CSV",
          description: `RFC 4180, UTF-8 with a byte-order mark (so that Excel reads the accents; bom=false leaves it out), a header row with these columns: ${exportRecordFields.join(", ")}. Separated by commas, or by semicolons with sep=semicolon (for French spreadsheets). Topics are joined by commas; a value starting with =, +, -, @, a tab or a carriage return is prefixed with ' so that spreadsheets do not run it. Same selection as the JSON export.`,
          parameters: [
            ...["q", ...filterParameters, "sort"].filter((name) => name in parameterComponents).map(refParameter),
            { name: "sep", in: "query", description: "comma (default) or semicolon", schema: { type: "string", enum: ["comma", "semicolon"], default: "comma" } },
            { name: "bom", in: "query", description: "false: no UTF-8 byte-order mark", schema: { type: "boolean", default: true } },
          ],
          responses: {
            "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } },
            "304": { description: "Not modified" },
            "400": errorResponse("A parameter is invalid or unknown"),
          },
        },
      },
      // --- issue 12: exports for data pipelines and other catalogues ---
      "/repositories.jsonl": {
        get: {
          tags: ["repositories"],
          operationId: "exportRepositoriesJsonLines",
          summary: "Every live repository, as JSON Lines",
          description: "One Repository per line (https://jsonlines.org), streamed, ordered by host then full name: read it line by line in a data pipeline. The ETag changes when the catalogue changes.",
          parameters: ["q", ...filterParameters, "sort"].filter((name) => name in parameterComponents).map(refParameter),
          responses: {
            "200": { description: "JSON Lines: one Repository a line", content: { "application/jsonl": { schema: { type: "string" } } } },
            "304": { description: "Not modified" },
          },
        },
      },
      "/code.json": {
        get: {
          tags: ["repositories"],
          operationId: "exportCodeJson",
          summary: "Every live repository, as a US code.json inventory",
          description:
            'The code.gov metadata schema 2.0.0 (https://github.com/GSA/code-gov-data/blob/master/schemas/schema-2.0.0.json): {version, agency, measurementType, releases}, one release per live repository, streamed. usageType is "openSource"; licenses names the SPDX licence with its spdx.org URL (null when the forge found none); organization is the public body, else the owner; contact.email is "" (forges publish none), contact.URL the owner on its forge; laborHours is 0 (not measured); status "Archival" marks archived repositories; dates are YYYY-MM-DD.',
          parameters: ["q", ...filterParameters, "sort"].filter((name) => name in parameterComponents).map(refParameter),
          responses: {
            "200": { description: "A code.json inventory", content: json({ type: "object", required: ["version", "agency", "measurementType", "releases"] }) },
            "304": { description: "Not modified" },
          },
        },
      },
      // issue 12 after issue 9: the publiccode.yml documents, for catalogues built on that standard
      "/publiccode.jsonl": {
        get: {
          tags: ["repositories"],
          operationId: "exportPubliccodeJsonLines",
          summary: "The valid publiccode.yml files of the live repositories a search selects, as JSON Lines",
          description:
            'One JSON object a line (https://jsonlines.org), streamed: {"id": "<host>/<full_name>", "url": the repository on its forge, "catalogue_url": its page in the catalogue, "publiccode": the parsed publiccode.yml (https://yml.publiccode.tools)}. Only repositories whose publiccode.yml is valid; an invalid file shows in the repository\'s record (GET /repositories/{id}) with its errors. Without parameters: every such repository, ordered by host then full name; with q, filters or sort: those of that search, in its order. The ETag changes when the catalogue or a profile changes.',
          parameters: ["q", ...filterParameters, "sort"].filter((name) => name in parameterComponents).map(refParameter),
          responses: {
            "200": { description: "JSON Lines: one publiccode.yml document a line, with its repository", content: { "application/jsonl": { schema: { type: "string" } } } },
            "304": { description: "Not modified" },
            "400": errorResponse("A parameter is invalid or unknown"),
          },
        },
      },
      // --- end issue 12 ---
      "/owners": {
        get: {
          tags: ["owners"],
          operationId: "listOwners",
          summary: "Owners with their repository counts",
          parameters: [
            { name: "sort", in: "query", description: "repositories: most live repositories first (default); name: by host then login", schema: { type: "string", enum: ["repositories", "name"], default: "repositories" } },
            refParameter("page"),
            refParameter("per_page"),
          ],
          responses: {
            "200": cachedResponse("A page of owners", ref("OwnersPage")),
            "304": { description: "Not modified" },
            "400": errorResponse("A parameter is invalid: reason invalid_parameter"),
          },
        },
      },
      "/owners/{id}": {
        get: {
          tags: ["owners"],
          operationId: "getOwner",
          summary: "One owner",
          description: "The id is \"<host>/<login>\"; a GitLab login is the group's full path and contains slashes, written as they are: /api/v1/owners/gitlab.com/group/subgroup. Case-insensitive. Its repositories: /api/v1/repositories?owner=<id>.",
          parameters: [{ name: "id", in: "path", required: true, description: "<host>/<login>, slashes included", schema: { type: "string" }, example: "github.com/etalab" }],
          responses: {
            "200": cachedResponse("The owner", ref("Owner")),
            "304": { description: "Not modified" },
            "404": errorResponse("No such owner: reason not_found"),
          },
        },
      },
      "/stats": {
        get: {
          tags: ["catalogue"],
          operationId: "getStats",
          summary: "Totals and counts by language, licence, forge, public body and owner",
          responses: { "200": cachedResponse("Statistics of the live catalogue", ref("Stats")), "304": { description: "Not modified" } },
        },
      },
      // publiccode.yml validation (issue 9): the one POST of the API.
      "/publiccode/validate": {
        post: {
          tags: ["publiccode"],
          operationId: "validatePubliccode",
          summary: "Validate a publiccode.yml",
          description: `The body is the content of a publiccode.yml (Content-Type text/yaml or application/yaml, at most ${publiccodeMaxBytes} bytes). It is validated as the reference validator (italia/publiccode-parser-go) does offline, for the versions it accepts ("0", 0.2 to 0.5 and 0.7 with their patch forms): required keys, types, enumerations, lengths, SPDX licence expressions, languages, countries, dates, URL syntax (no URL is fetched), unknown keys (errors) and deprecated keys (warnings). Relative logo and screenshot paths are checked for their form only, the files being out of reach. Each issue names its key path (description.en.shortDescription, maintenance.contractors[0].until) and its line and column in the body, 1-based (null for an issue about the whole file). The answer is 200 whether the file is valid or not; nothing is stored.`,
          requestBody: {
            required: true,
            content: Object.fromEntries(["text/yaml", "application/yaml"].map((type) => [type, { schema: { type: "string" }, example: 'publiccodeYmlVersion: "0"\nname: Example\n' }])),
          },
          responses: {
            "200": { description: "The validation result", content: json(ref("PubliccodeValidation")) },
            "400": errorResponse("empty_body: no body"),
            "413": errorResponse("payload_too_large: more than 1 MB"),
            "415": errorResponse("unsupported_media_type: the body is not sent as text/yaml or application/yaml"),
          },
        },
      },
      // Issue 8: the harvest status.
      "/status": {
        get: {
          tags: ["harvest"],
          operationId: "getStatus",
          summary: "Harvest status: per forge host and per account of the current sources",
          description:
            "Only the accounts of the current sources count: an account dropped from them no longer shows as failing; skipped accounts are listed with the sources' reason (unsupported_forge, ignored). Hosts come most failing first; accounts failures first, then skipped, pending (not harvested yet) and ok. The account list is filtered and paginated; hosts are always complete.",
          parameters: [
            { name: "host", in: "query", description: "Accounts of this forge host only.", schema: { type: "string", maxLength: 300 }, example: "gitlab.example.fr" },
            { name: "status", in: "query", description: "Accounts whose last result is this one.", schema: { type: "string", enum: ["failed", "skipped", "pending", "ok"] } },
            { name: "reason", in: "query", description: "Accounts whose last result has this reason.", schema: { type: "string", maxLength: 50 }, example: "network_error" },
            { name: "q", in: "query", description: "Words found in the host, login, reason or message (case-insensitive).", schema: { type: "string", maxLength: 200 } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
            { name: "per_page", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: {
            "200": { description: "The status", content: json(ref("HarvestStatus")) },
            "304": { description: "Not modified" },
            "400": { description: "Invalid parameter", content: json(ref("Error")) },
          },
        },
      },
      "/openapi.json": {
        get: {
          tags: ["catalogue"],
          operationId: "getOpenApi",
          summary: "This description (OpenAPI 3.1)",
          responses: { "200": { description: "OpenAPI document", content: json({ type: "object" }) } },
        },
      },
    },
    components: {
      parameters: parameterComponents,
      schemas: {
        ExportRecord: {
          type: "object",
          required: [...exportRecordFields],
          properties: {
            ...repositoryProperties,
            public_body: nullable("string", { description: "The pso_id of the owner in the sources (lannuaire.service-public.fr)" }),
            public_body_name: nullable("string", { description: "The body's name, when data/public-bodies.yml lists it" }),
          },
        },
        Repository: { type: "object", required: [...publicRepositoryFields], additionalProperties: false, properties: repositoryProperties },
        // issue 9
        RepositoryDetail: {
          type: "object",
          required: [...publicRepositoryFields, ...Object.keys(repositoryDetailProperties), "reuse"],
          additionalProperties: false,
          properties: { ...repositoryProperties, ...repositoryDetailProperties, reuse: reuseSchema },
        },
        // issue 13
        SimilarRepositories: {
          type: "object",
          required: ["repository", "items"],
          additionalProperties: false,
          properties: {
            repository: { type: "string", description: "The id asked about" },
            items: {
              type: "array",
              maxItems: 6,
              items: {
                type: "object",
                required: [...publicRepositoryFields, "shared_topics", "shared_words"],
                additionalProperties: false,
                properties: {
                  ...repositoryProperties,
                  shared_topics: { type: "array", items: { type: "string" }, description: "Topics both have, as the similar one writes them" },
                  shared_words: { type: "array", items: { type: "string" }, description: "Words of its name or description that the repository also has (same stem)" },
                },
              },
            },
          },
        },
        // issue 10
        ReuseEdgePage: reuseEdgePage,
        PackageUsage: {
          type: "object",
          required: ["ecosystem", "name", "publishers", "ambiguous", "dependents"],
          properties: {
            ecosystem: { type: "string", enum: [...ecosystems] },
            name: { type: "string", description: "The name as the registry compares it" },
            publishers: { type: "array", items: { type: "string" }, description: "Catalogue repositories declaring it; several: ambiguous" },
            ambiguous: { type: "boolean" },
            dependents: {
              type: "object",
              required: ["total", "page", "per_page", "items"],
              properties: {
                total: { type: "integer" },
                page: { type: "integer" },
                per_page: { type: "integer" },
                items: { type: "array", items: { type: "object", required: ["id", "scope"], properties: { id: { type: "string" }, scope: { type: "string" } } } },
              },
            },
          },
        },
        FacetValue: {
          type: "object",
          required: ["value", "count"],
          properties: {
            value: { type: "string", description: "The value to pass to the filter of the same name" },
            label: { type: "string", description: "Human name, for owners (their name) and public bodies (the body's name), when known" },
            count: { type: "integer", minimum: 0 },
          },
        },
        Facets: {
          type: "object",
          description: facetsDescription,
          required: facetNamesInApi,
          properties: Object.fromEntries(facetNamesInApi.map((name) => [name, { type: "array", items: ref("FacetValue") }])),
        },
        SearchResponse: {
          type: "object",
          required: ["total", "page", "per_page", "items", "facets", "unsearchable_query"],
          properties: {
            total: { type: "integer", description: "Repositories matching q and every filter" },
            page: { type: "integer" },
            per_page: { type: "integer" },
            items: { type: "array", items: ref("Repository") },
            facets: ref("Facets"),
            unsearchable_query: { type: "boolean", description: "true when q has text but not one searchable word (only emoji, a script the index does not cover, only stop words): nothing was searched, total is 0 and the facets are empty" },
          },
        },
        OwnerSummary: { type: "object", required: Object.keys(ownerSummaryProperties), properties: ownerSummaryProperties },
        Owner: {
          allOf: [
            ref("OwnerSummary"),
            {
              type: "object",
              properties: {
                description: nullable("string"),
                website: nullable("string", { format: "uri" }),
                location: nullable("string"),
                verified: nullable("boolean"),
                created_at: nullable("string", { format: "date-time" }),
                floss_policy: nullable("string", { format: "uri", description: "The body's policy on open source, from the sources" }),
                ospo_url: nullable("string", { format: "uri" }),
                archived_repositories: { type: "integer" },
                first_seen_at: nullable("string", { format: "date-time" }),
                last_seen_at: nullable("string", { format: "date-time" }),
              },
            },
          ],
        },
        OwnersPage: {
          type: "object",
          required: ["total", "page", "per_page", "items"],
          properties: { total: { type: "integer" }, page: { type: "integer" }, per_page: { type: "integer" }, items: { type: "array", items: ref("OwnerSummary") } },
        },
        CountEntry: {
          type: "object",
          required: ["value", "count"],
          properties: { value: nullable("string", { description: "null: repositories without a value" }), label: { type: "string" }, count: { type: "integer" } },
        },
        Stats: {
          type: "object",
          properties: {
            repositories: { type: "integer" },
            owners: { type: "integer", description: "Owners with at least one live repository" },
            forges: { type: "integer" },
            languages: { type: "integer" },
            stars: { type: "integer" },
            archived: { type: "integer" },
            by_language: { type: "array", items: ref("CountEntry") },
            by_license: { type: "array", items: ref("CountEntry") },
            by_forge: { type: "array", items: ref("CountEntry"), description: "By host" },
            by_public_body: { type: "array", items: ref("CountEntry") },
            by_owner: { type: "array", items: ref("CountEntry"), description: "The 100 owners with the most live repositories; value is the owner id" },
          },
        },
        // publiccode.yml validation (issue 9).
        PubliccodeIssue: {
          type: "object",
          required: ["key", "line", "column", "message"],
          properties: {
            key: { type: "string", description: 'Key path, as the reference validator names it: "legal.license", "description.en.shortDescription", "categories[0]"; "" for the whole file (YAML syntax, encoding)' },
            line: nullable("integer", { description: "1-based line of the key or item, null when the file has none to point at" }),
            column: nullable("integer", { description: "1-based column" }),
            message: { type: "string" },
          },
        },
        PubliccodeValidation: {
          type: "object",
          required: ["valid", "version", "errors", "warnings", "document"],
          properties: {
            valid: { type: "boolean", description: "true when there is no error (warnings allowed)" },
            version: nullable("string", { description: "publiccodeYmlVersion as written, when readable" }),
            errors: { type: "array", items: ref("PubliccodeIssue") },
            warnings: { type: "array", items: ref("PubliccodeIssue"), description: "Deprecated keys, lower-case country codes, versions older than 0.7" },
            document: nullable("object", { description: "The parsed YAML, when it is a mapping" }),
          },
        },
        // Issue 8: the harvest status.
        HostStatus: {
          type: "object",
          required: ["host", "forge", "accounts", "ok", "failed", "skipped", "pending", "last_success_at", "failures", "retries", "rate_limit_waits"],
          properties: {
            host: { type: "string", example: "gitlab.example.fr" },
            forge: nullable("string", { description: "github, gitlab, gitea, forgejo, gogs, or a type not supported yet", example: "gitlab" }),
            accounts: { type: "integer", description: "Accounts of the host in the sources" },
            ok: { type: "integer" },
            failed: { type: "integer" },
            skipped: { type: "integer" },
            pending: { type: "integer", description: "In the sources, not harvested yet" },
            last_success_at: nullable("string", { format: "date-time", description: "Latest complete harvest of an account of the host" }),
            failures: { type: "array", description: "Failing accounts by reason", items: { type: "object", required: ["reason", "count"], properties: { reason: { type: "string" }, count: { type: "integer" } } } },
            retries: { type: "integer", description: "Requests retried after a transient failure (5xx, 408, timeout, dropped connection) in the accounts' last runs" },
            rate_limit_waits: { type: "integer", description: "Waits for a rate limit in the accounts' last runs" },
          },
        },
        AccountStatus: {
          type: "object",
          required: ["host", "login", "status", "reason", "message", "attempts", "retries", "rate_limit_waits", "last_success_at", "run_id"],
          properties: {
            host: { type: "string" },
            login: { type: "string", description: '"" for a whole instance' },
            forge: nullable("string"),
            status: { type: "string", enum: ["ok", "failed", "skipped", "pending"] },
            reason: nullable("string", { description: "Stable code: not_found, unauthorized, rate_limited, server_error, timeout, network_error, invalid_response, unsupported, interrupted, internal_error; for a skipped account unsupported_forge or ignored" }),
            message: nullable("string", { description: "What the forge or the harvester said" }),
            attempts: { type: "integer", description: "Attempts in its last run: 2 when the run's second pass tried it again after a transient failure; 0 when never harvested" },
            first_reason: nullable("string", { description: "The first attempt's reason, when there were two" }),
            retries: { type: "integer", description: "Requests retried in its last run" },
            rate_limit_waits: { type: "integer" },
            last_success_at: nullable("string", { format: "date-time" }),
            last_run_at: nullable("string", { format: "date-time" }),
            run_id: nullable("integer"),
            repositories: { type: "integer", description: "Repositories seen by its last run" },
            live_repositories: { type: "integer", description: "Its repositories in the catalogue now" },
          },
        },
        HarvestStatus: {
          type: "object",
          required: ["scope", "last_run", "hosts", "accounts"],
          properties: {
            scope: { type: "string", enum: ["sources", "history"], description: "sources: the accounts of the current sources; history: every account ever harvested (the server has no sources file at hand)" },
            last_run: {
              type: ["object", "null"],
              properties: {
                id: { type: "integer" },
                trigger: { type: "string", enum: ["cli", "schedule", "startup", "demo", "on_demand"] },
                status: { type: "string", enum: ["running", "succeeded", "partial", "failed", "interrupted"] },
                started_at: { type: "string", format: "date-time" },
                finished_at: nullable("string", { format: "date-time" }),
                accounts: { type: "integer" },
                accounts_failed: { type: "integer" },
                accounts_skipped: { type: "integer" },
                repositories_seen: { type: "integer" },
                requests: { type: "integer" },
                rate_limit_waits: { type: "integer" },
              },
            },
            hosts: { type: "array", items: ref("HostStatus") },
            accounts: {
              type: "object",
              required: ["total", "page", "per_page", "items"],
              properties: { total: { type: "integer", description: "Accounts matching the filters" }, page: { type: "integer" }, per_page: { type: "integer" }, items: { type: "array", items: ref("AccountStatus") } },
            },
          },
        },
        Error: {
          type: "object",
          required: ["error", "reason"],
          properties: { error: { type: "string", description: "Human-readable message" }, reason: { type: "string", description: "Stable machine code", examples: ["invalid_parameter", "not_found"] } },
        },
      },
    },
  };
}

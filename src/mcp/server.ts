// The MCP server of the catalogue: six read-only tools and one resource
// template, declared with the official SDK. Both transports (Streamable HTTP
// at /mcp, stdio for `npm run mcp`) build it with createMcpServer; the answers
// come from CatalogueTools, i.e. the API's own parsers, engine and presenters.
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { z } from "zod";
import { defaultFacetLimit, maxResultsDepth } from "../search/parseQuery.ts";
import { facetValueLimit } from "../search/searchIndex.ts";
import { sortKeys } from "../search/types.ts";
import { listRecentRepositories } from "../store/catalog.ts";
import { listRepositoryIdsByPrefix } from "../store/agentLists.ts";
import { HttpError } from "../web/errors.ts";
import { CatalogueTools, publicBodiesLimits, safeDecode, searchLimits, type AgentRepository, type CatalogueToolsDeps, type SimilarAgentRepository } from "./catalogueTools.ts";

export const mcpServerInfo = { name: "code-commun", version: "1.0.0" } as const;
export const repositoryUriPrefix = "codecommun://repositories/";
/** Repositories the resource list names (the most recently active): the catalogue itself is searched, not listed. */
const resourcesListed = 50;
/** Repositories a search's text names; a page of 50 written twice, as text and as structured content, made tool calls slower (profiled). */
const textLinesShown = 10;
/** Suggestions of one completion; MCP allows 100. */
const completionsGiven = 20;

/**
 * One JSON Schema validator for every server: the SDK makes a new Ajv per
 * server otherwise, and /mcp makes a server per request (stateless), which
 * profiled at several milliseconds a request. Our tools never elicit input,
 * so it is only there because the SDK asks for one.
 */
const sharedValidator = new AjvJsonSchemaValidator();

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

// Input schemas. Bounds mirror the API's (src/search/parseQuery.ts) so that a
// schema refusal and an API refusal say the same thing.
const text = z.string().max(300);
const values = (what: string) =>
  z.union([text, z.array(text).max(50)]).optional().describe(`${what} One value or a list; a repository matches any of them. Case-insensitive.`);
const repositoryId = z
  .string()
  .min(1)
  .max(1000)
  .describe('The repository: its id "<host>/<full name>" (e.g. "github.com/etalab/udata", GitLab groups nest: "gitlab.com/group/sub/project"), its forge URL or its catalogue URL.');

// Object schemas built once: the SDK would wrap raw shapes into z.object() on
// every registration, i.e. on every request of the stateless HTTP endpoint.
const searchInput = z.object({
  query: z.string().max(2000).optional().describe("Free text, French or English (accents, case and inflection ignored; no query syntax). Matched against name, description, topics, owner, public body and language. Empty or absent: every repository, filtered."),
  language: values("Main language, e.g. Python."),
  license: values('SPDX licence id (e.g. MIT, AGPL-3.0), or "other".'),
  host: values("Forge host, e.g. github.com, gitlab.com."),
  owner: values('Owner id "<host>/<login>", e.g. github.com/etalab.'),
  public_body: values("Public body id (the pso_id of lannuaire.service-public.fr); see list_public_bodies."),
  topic: values("Topic, e.g. open-data."),
  archived: z.boolean().optional().describe("true: archived repositories only; false: not archived."),
  fork: z.boolean().optional().describe("true: forks only; false: no forks."),
  has_license: z.boolean().optional().describe("true: repositories with a licence; false: without."),
  // issue 10
  reused: z.boolean().optional().describe("true: repositories reused by at least one other public body (forked, depended on, declared as a base, or users declared in publiccode.yml); false: the others."),
  active_since: z.string().max(40).optional().describe("Pushed on or after this date: YYYY-MM-DD or an ISO date-time."),
  sort: z.enum(sortKeys).optional().describe("relevance (default: text match × reuse score), stars, forks, activity (latest push first), name, reuse (highest reuse score first: reuse by other public bodies, declared users, stars, recent activity, licence, README, publiccode.yml, contributing guide)."),
  limit: z.number().int().min(1).max(searchLimits.maxLimit).optional().describe(`Results per page, 1 to ${searchLimits.maxLimit}; default ${searchLimits.defaultLimit}.`),
  page: z.number().int().min(1).max(maxResultsDepth).optional().describe("1-based page of results; default 1."),
  include_facets: z.boolean().optional().describe("true: also count the results per language, licence, host, owner, public body, topic, archived, fork and has_license (as the API's facets). Default false."),
  facet_limit: z.number().int().min(1).max(facetValueLimit).optional().describe(`With include_facets: values listed per facet, most frequent first, 1 to ${facetValueLimit}; default ${defaultFacetLimit}.`),
});
const repositoryInput = z.object({ id: repositoryId });
const ownerInput = z.object({ id: z.string().min(1).max(1000).describe('The owner: "<host>/<login>", its forge URL or its catalogue URL.') });
const noInput = z.object({});
const publicBodiesInput = z.object({
  query: z.string().max(300).optional().describe("Words to find in the body's name or id (accents and case ignored)."),
  limit: z.number().int().min(1).max(publicBodiesLimits.maxLimit).optional().describe(`Bodies per page, 1 to ${publicBodiesLimits.maxLimit}; default ${publicBodiesLimits.defaultLimit}.`),
  page: z.number().int().min(1).max(10_000).optional().describe("1-based page; default 1."),
});

/** A tool's answer: the structured record, and a few lines for a model that reads text only. */
function answer(structured: object, summary: string): CallToolResult {
  return { content: [{ type: "text", text: summary }], structuredContent: structured as Record<string, unknown> };
}

/** A refusal the agent can act on: the API's reason and message, as a tool error (never a protocol error). */
function refusal(error: unknown): CallToolResult {
  if (error instanceof HttpError && error.status < 500) {
    return { content: [{ type: "text", text: `${error.reason}: ${error.message}` }], structuredContent: { error: error.message, reason: error.reason }, isError: true };
  }
  throw error;
}

function run(produce: () => CallToolResult): CallToolResult {
  try {
    return produce();
  } catch (error) {
    return refusal(error);
  }
}

/** A repository's line, kept with its record (catalogueTools.ts keeps records per store row and base URL, frozen). */
const lines = new WeakMap<AgentRepository, string>();

/** A similar repository's line, with what it shares. */
function similarLine(item: SimilarAgentRepository): string {
  const shared = [...item.shared_topics.map((topic) => `topic ${topic}`), ...item.shared_words];
  return shared.length > 0 ? `${line(item)} (shares: ${shared.join(", ")})` : line(item);
}

function line(item: AgentRepository): string {
  let text = lines.get(item);
  if (text === undefined) {
    const facts = [item.language, item.license, `${item.stars}★`].filter(Boolean).join(", ");
    lines.set(item, (text = `- ${item.id}${item.description ? `: ${item.description.slice(0, 160)}` : ""} (${facts}) ${item.catalogue_url}`));
  }
  return text;
}

export function createMcpServer(deps: CatalogueToolsDeps): McpServer {
  const tools = new CatalogueTools(deps);
  const server = new McpServer(mcpServerInfo, {
    capabilities: { tools: {}, resources: {}, completions: {} },
    jsonSchemaValidator: sharedValidator,
    instructions:
      "Code Commun catalogues the source code that French public bodies publish on GitHub, GitLab and their own forges. Search it before writing software a public body may already have: search_repositories (same search and ranking as /api/v1/repositories), then get_repository or find_similar_repositories; get_owner and list_public_bodies tell who publishes. Every repository carries its catalogue_url and forge_url.",
  });

  server.registerTool(
    "search_repositories",
    {
      title: "Search the catalogue",
      description:
        "Full-text search over every live repository of the catalogue, with the API's filters (OR within a filter, AND across filters), sorts and pages. Answers total, the page of repositories (public records with catalogue_url and forge_url), optionally facets, and the same search as a catalogue URL and an API URL. Same results and order as GET /api/v1/repositories with the same parameters.",
      inputSchema: searchInput,
      annotations: { title: "Search the catalogue", ...readOnly },
    },
    (args) =>
      run(() => {
        const found = tools.search(args);
        // A short text (issue 12's benchmark): the first lines only, the structured content has the page.
        const shown = found.items.slice(0, textLinesShown).map(line).join("\n");
        const more = found.items.length > textLinesShown ? `\n(${found.items.length - textLinesShown} more on this page in the structured content)` : "";
        return answer(found, `${found.total} repositories match${found.total > 0 ? ` (page ${found.page}, ${found.items.length} shown):\n${shown}${more}` : "."}`);
      }),
  );

  server.registerTool(
    "get_repository",
    {
      title: "One repository",
      description:
        "The full detail record of one repository, the same as GET /api/v1/repositories/{id}: description, licence, language, topics, stars, forks, dates, archived and fork flags; readme (name, plain-text excerpt, sanitised HTML), publiccode (the parsed publiccode.yml document, whether it is valid, its errors and warnings), files (the community files found: licence, contributing, code of conduct, security, changelog), latest_release, checks (what the repository could improve) and profile (when its files were read). readme, publiccode, files and latest_release are null when the catalogue has not read the repository's files or found none. Plus its owner and public body, catalogue_url and forge_url, and the Atom feed of its owner.",
      inputSchema: repositoryInput,
      // No outputSchema, like the other tools: the SDK's Client validates the structured
      // content of error results too, and our refusals carry {error, reason} there.
      annotations: { title: "One repository", ...readOnly },
    },
    ({ id }) =>
      run(() => {
        const repository = tools.repository(id);
        // The profile in a few words: the structured content carries all of it.
        const profile = [
          repository.publiccode ? `publiccode.yml ${repository.publiccode.valid ? "valid" : "invalid"}` : null,
          repository.latest_release ? `latest release ${repository.latest_release.name}` : null,
          repository.checks.length > 0 ? `${repository.checks.length} checks to improve` : null,
        ].filter(Boolean).join(", ");
        const readme = repository.readme ? `\nREADME: ${repository.readme.excerpt.slice(0, 300)}` : "";
        return answer(repository, `${repository.id}${repository.description ? `: ${repository.description}` : ""}\n${[repository.language, repository.license ?? "no licence", `${repository.stars} stars`, repository.archived ? "archived" : null].filter(Boolean).join(", ")}${profile ? `\n${profile}` : ""}${readme}\n${repository.catalogue_url}\n${repository.forge_url}`);
      }),
  );

  server.registerTool(
    "find_similar_repositories",
    {
      title: "Similar repositories",
      description: "Repositories like the given one, as on its catalogue page: ranked by text similarity to its name, description and topics (the search's ranking), not archived, up to 6, each with why (shared_topics, shared_words).",
      inputSchema: repositoryInput,
      annotations: { title: "Similar repositories", ...readOnly },
    },
    ({ id }) =>
      run(() => {
        const similar = tools.similar(id);
        return answer(similar, similar.items.length > 0 ? `Similar to ${similar.repository}:\n${similar.items.map(similarLine).join("\n")}` : `No similar repository found for ${similar.repository}.`);
      }),
  );

  server.registerTool(
    "get_owner",
    {
      title: "One owner",
      description: 'An organisation, user or GitLab group that publishes repositories: name, description, website, public body, counts of live and archived repositories, stars, latest activity, its most recently active repositories, catalogue, forge and feed URLs. The id is "<host>/<login>" (e.g. github.com/etalab; a GitLab group nests: gitlab.com/group/subgroup), or its forge or catalogue URL.',
      inputSchema: ownerInput,
      annotations: { title: "One owner", ...readOnly },
    },
    ({ id }) =>
      run(() => {
        const owner = tools.owner(id);
        return answer(owner, `${owner.name ?? owner.login} (${owner.id})${owner.public_body_name ? `, ${owner.public_body_name}` : ""}: ${owner.repositories} live repositories, ${owner.stars} stars.\n${owner.catalogue_url}`);
      }),
  );

  server.registerTool(
    "list_public_bodies",
    {
      title: "Public bodies",
      description: "The public bodies (ministries, agencies, local authorities...) that publish code in the catalogue, the most repositories first, with their owner accounts, counts, a catalogue URL of their repositories and their Atom feed. Pass public_body to search_repositories to search one body's code.",
      inputSchema: publicBodiesInput,
      annotations: { title: "Public bodies", ...readOnly },
    },
    (args) =>
      run(() => {
        const bodies = tools.publicBodies(args);
        return answer(bodies, `${bodies.total} public bodies${bodies.items.length > 0 ? `:\n${bodies.items.map((body) => `- ${body.name ?? body.public_body} (${body.public_body}): ${body.repositories} repositories`).join("\n")}` : "."}`);
      }),
  );

  server.registerTool(
    "catalogue_statistics",
    {
      title: "Catalogue statistics",
      description: "Totals of the catalogue (repositories, owners, forges, languages, stars, archived) and counts by language, licence, forge, public body and owner (the 100 largest), as GET /api/v1/stats.",
      inputSchema: noInput,
      annotations: { title: "Catalogue statistics", ...readOnly },
    },
    () =>
      run(() => {
        const stats = tools.statistics();
        const top = (entries: { value: string | null; count: number }[]) => entries.slice(0, 5).map((entry) => `${entry.value ?? "none"} ${entry.count}`).join(", ");
        return answer(stats, `${stats.repositories} repositories from ${stats.owners} owners on ${stats.forges} forges.\nLanguages: ${top(stats.by_language)}\nLicences: ${top(stats.by_license)}`);
      }),
  );

  server.registerResource(
    "repository",
    new ResourceTemplate(`${repositoryUriPrefix}{+id}`, {
      list: () => ({
        resources: listRecentRepositories(deps.db, resourcesListed).map((row) => ({
          uri: `${repositoryUriPrefix}${row.host}/${row.fullName}`,
          name: `${row.host}/${row.fullName}`,
          title: row.fullName,
          ...(row.description ? { description: row.description } : {}),
          mimeType: "application/json",
        })),
      }),
      complete: {
        // Ids starting with what was typed, then repositories the search finds for it (a name alone: "udata").
        id: (value) => {
          const typed = value.trim().slice(0, 300);
          const ids = listRepositoryIdsByPrefix(deps.db, typed, completionsGiven);
          if (ids.length < completionsGiven && typed !== "") {
            const found = deps.search.search({ q: typed, filters: {}, sort: "relevance", page: 1, perPage: completionsGiven, facets: false });
            for (const row of found.items) {
              const id = `${row.host}/${row.fullName}`;
              if (!ids.includes(id) && ids.length < completionsGiven) ids.push(id);
            }
          }
          return ids;
        },
      },
    }),
    {
      title: "Repository",
      description: "One repository of the catalogue as JSON (the get_repository record). The id is \"<host>/<full name>\", e.g. codecommun://repositories/github.com/etalab/udata.",
      mimeType: "application/json",
    },
    (uri, variables) => {
      const id = Array.isArray(variables.id) ? variables.id.join("/") : (variables.id ?? "");
      try {
        const repository = tools.repository(safeDecode(id));
        return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(repository) }] };
      } catch (error) {
        // -32002: the "resource not found" code of the MCP specification.
        if (error instanceof HttpError && error.status < 500) throw new McpError(error.status === 404 ? -32002 : ErrorCode.InvalidParams, error.message, { reason: error.reason, uri: uri.href });
        throw error;
      }
    },
  );
  return server;
}

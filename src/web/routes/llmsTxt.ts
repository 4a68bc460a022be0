// /llms.txt (https://llmstxt.org): a short plain-text guide for agents to the
// catalogue's machine interfaces: the MCP endpoint, the API, the exports and
// the feeds. Links are absolute, from PUBLIC_URL or the request's address.
import { Router } from "express";
import { bodyEtag, documentMaxAge, notModified } from "../api/http.ts";
import { requestBaseUrl } from "../baseUrl.ts";

export function llmsTxt(base: string): string {
  return `# Code Commun

> The open catalogue of the source code that French public bodies (ministries, agencies, local authorities) publish on GitHub, GitLab and their own forges: search it before writing software a public body may already have. Read-only, open, no key. Data under the Licence Ouverte 2.0.

Every repository has an id "<host>/<full name>" (e.g. github.com/etalab/udata; GitLab groups nest: gitlab.com/group/sub/project), a catalogue page ${base}/repositories/<id> and its forge URL.

## MCP server

- [MCP endpoint](${base}/mcp): Streamable HTTP, stateless, JSON responses, no sign-in. POST JSON-RPC 2.0 with "Accept: application/json, text/event-stream".
- Tools: search_repositories (query, filters language, license, host, owner, public_body, topic, archived, fork, has_license, active_since; sort relevance|stars|forks|activity|name; limit 1-50; page), get_repository (the full record: README, publiccode.yml, community files, latest release, checks), find_similar_repositories (ranked by text similarity, each with the topics and words it shares), get_owner, list_public_bodies, catalogue_statistics. Answers are structured content plus a short text; the same search and ranking as the API.
- Resources: codecommun://repositories/{+id}, with completion of the id.
- Local assistants: \`npm run mcp\` in a checkout runs the same server over stdio.

## API

- [OpenAPI 3.1 description](${base}/api/v1/openapi.json) and [reference](${base}/api)
- [Search](${base}/api/v1/repositories?q=gestion+des+salles): q (French or English free text), the filters above, sort, page, per_page (up to 100); answers total, items (public records) and facets.
- [One repository](${base}/api/v1/repositories/github.com/etalab/udata), [its similar repositories](${base}/api/v1/repositories/github.com/etalab/udata/similar) (each with the topics and words it shares), [owners](${base}/api/v1/owners), [statistics](${base}/api/v1/stats)
- Errors are {"error", "reason"} with a stable reason (invalid_parameter, not_found).

## Exports

- [JSON Lines](${base}/api/v1/repositories.jsonl): one public record a line, for pipelines.
- [code.json](${base}/api/v1/code.json): the US code.gov 2.0.0 inventory format.
- [publiccode.yml documents](${base}/api/v1/publiccode.jsonl): the parsed publiccode.yml of every repository whose file is valid, one {"id", "url", "catalogue_url", "publiccode"} a line.
- Every export takes the search's q, filters and sort (no pages): e.g. ${base}/api/v1/publiccode.jsonl?language=Python.
- [JSON](${base}/api/v1/repositories.json) and [CSV](${base}/api/v1/repositories.csv)

## Feeds (Atom 1.0)

- [New repositories](${base}/feeds/new.atom)
- Any search: ${base}/feeds/repositories.atom?<the query string of /api/v1/repositories>
- Per owner: ${base}/feeds/owners/<host>/<login>.atom; per public body: ${base}/feeds/public-bodies/<id>.atom
`;
}

export function llmsTxtRoutes(publicUrl: string | null): Router {
  const router = Router();
  router.get("/llms.txt", (req, res) => {
    const body = llmsTxt(requestBaseUrl(req, publicUrl));
    const etag = bodyEtag(body);
    res.set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": `public, max-age=${documentMaxAge}`, ETag: etag, "Access-Control-Allow-Origin": "*" });
    if (notModified(req, etag)) {
      res.status(304).end();
      return;
    }
    res.send(body);
  });
  return router;
}

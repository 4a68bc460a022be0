// The MCP server over Streamable HTTP at /mcp, through the SDK's own client,
// against the whole app on 127.0.0.1 with the real search index.
import { expect } from "chai";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { SearchResponse } from "../../src/web/api/present.ts";
import { servedFixture } from "../helpers/httpApp.ts";
import { startWebServer } from "../helpers/webServer.ts";
import { call, httpClient, text } from "./mcpClient.ts";
import { checkBadCalls, checkGoodCalls, checkResources, checkToolList } from "./toolContract.ts";

describe("MCP over Streamable HTTP", () => {
  const served = servedFixture();
  let client: Client;
  before(async () => {
    client = await httpClient(served.app.url);
  });
  after(async () => {
    await client.close();
    expect(served.app.logged).to.deep.equal([]);
  });

  it("lists six read-only tools with their input schemas", async () => {
    await checkToolList(client);
  });

  it("answers each tool with structured content and links from the request's address", async () => {
    await checkGoodCalls(client, served.app.url);
  });

  it("refuses bad arguments with tool errors that give the reason", async () => {
    await checkBadCalls(client);
  });

  it("serves repositories as resources, with list and completion", async () => {
    await checkResources(client);
  });

  it("answers search_repositories as GET /api/v1/repositories does for the same query", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ query: "données ouvertes", limit: 20 }, "q=donn%C3%A9es+ouvertes&per_page=20"],
      [{ query: "api", language: "Python", limit: 10, page: 2 }, "q=api&language=Python&per_page=10&page=2"],
      [{ language: ["Python", "JavaScript"], sort: "stars", limit: 50 }, "language=Python&language=JavaScript&sort=stars&per_page=50"],
      [{ query: "transport", archived: false, has_license: true, limit: 5 }, "q=transport&archived=false&has_license=true&per_page=5"],
      [{ owner: "github.com/etalab", active_since: "2025-01-01", sort: "activity", limit: 50 }, "owner=github.com/etalab&active_since=2025-01-01&sort=activity&per_page=50"],
      [{ query: "", topic: "open-data", sort: "name", limit: 50 }, "topic=open-data&sort=name&per_page=50"],
      [{ query: "gestion", limit: 50, include_facets: true }, "q=gestion&per_page=50"],
      // Issue 13: the API's facet_limit.
      [{ query: "", limit: 5, include_facets: true, facet_limit: 2 }, "per_page=5&facet_limit=2"],
    ];
    for (const [args, query] of cases) {
      const api = (await (await fetch(`${served.app.url}/api/v1/repositories?${query}`)).json()) as SearchResponse;
      const mcp = (await call(client, "search_repositories", args)).structuredContent as unknown as Omit<SearchResponse, "items"> & { api_url: string; items: Array<Record<string, unknown>> };
      expect(mcp.total, query).to.equal(api.total);
      expect([mcp.page, mcp.per_page], query).to.deep.equal([api.page, api.per_page]);
      expect(mcp.items.map((item) => item.id), query).to.deep.equal(api.items.map((item) => item.id));
      // The same records, with the two links added.
      expect(mcp.items.map(({ catalogue_url: _c, forge_url: _f, ...record }) => record), query).to.deep.equal(api.items);
      if (args.include_facets) expect(mcp.facets, query).to.deep.equal(api.facets);
      else expect(mcp.facets, query).to.equal(undefined);
      if (args.facet_limit !== undefined) expect(Math.max(...Object.values(mcp.facets!).map((values) => values.length)), query).to.equal(args.facet_limit);
      expect(api.total, query).to.be.above(0);
      // Its api_url is the same search.
      const again = (await (await fetch(mcp.api_url)).json()) as SearchResponse;
      expect(again.items.map((item) => item.id), query).to.deep.equal(api.items.map((item) => item.id));
    }
  });

  it("keeps the text of a search short: ten repositories, the structured content has the page", async () => {
    const found = await call(client, "search_repositories", { limit: 50 });
    const structured = found.structuredContent as { items: Array<{ id: string }> };
    expect(structured.items.length).to.be.above(10);
    const lines = text(found).split("\n").filter((each) => each.startsWith("- "));
    expect(lines.map((each) => each.slice(2).split(/[: ]/)[0])).to.deep.equal(structured.items.slice(0, 10).map((item) => item.id));
    expect(text(found)).to.contain(`${structured.items.length - 10} more on this page`);
  });

  it("serves 20 clients at once", async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => httpClient(served.app.url)));
    try {
      const queries = ["données", "api", "transport", "santé", "école"];
      const answers = await Promise.all(clients.map((each, i) => call(each, "search_repositories", { query: queries[i % queries.length], limit: 10 })));
      const alone = await Promise.all(queries.map((query) => call(client, "search_repositories", { query, limit: 10 })));
      answers.forEach((answer, i) => {
        expect(answer.isError, `client ${i}`).to.not.equal(true);
        expect(answer.structuredContent, `client ${i}`).to.deep.equal(alone[i % queries.length]!.structuredContent);
      });
    } finally {
      await Promise.all(clients.map((each) => each.close()));
    }
  });

  describe("HTTP manners", () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${served.app.url}/mcp`, { method: "POST", body, headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers } });
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });

    it("answers plain JSON, without a session", async () => {
      const response = await post(ping);
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.match(/^application\/json/);
      expect(response.headers.get("mcp-session-id")).to.equal(null);
      expect(await response.json()).to.deep.equal({ jsonrpc: "2.0", id: 1, result: {} });
    });

    it("refuses other hosts and other sites' origins (DNS rebinding)", async () => {
      // fetch() will not send another Host: a raw request does.
      const { request } = await import("node:http");
      const port = new URL(served.app.url).port;
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/mcp", method: "POST", headers: { Host: "evil.example", "Content-Type": "application/json", Accept: "application/json, text/event-stream" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(ping);
      });
      expect(status).to.equal(403);
      const foreign = await post(ping, { Origin: "https://evil.example" });
      expect(foreign.status).to.equal(403);
      expect(((await foreign.json()) as { error: { data: { reason: string } } }).error.data.reason).to.equal("origin_not_allowed");
      expect((await post(ping, { Origin: "null" })).status).to.equal(403);
      expect((await post(ping, { Origin: served.app.url })).status).to.equal(200);
    });

    // Issue 13: servers are reused from one request to the next; each answer keeps its own request's address.
    it("links each answer to its own request's host, when requests to two hosts overlap", async () => {
      const { request } = await import("node:http");
      const port = new URL(served.app.url).port;
      const call = (host: string, id: number, tool: string, args: Record<string, unknown>) =>
        new Promise<{ status: number; result: { isError?: boolean; structuredContent: Record<string, unknown> } }>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path: "/mcp", method: "POST", headers: { Host: `${host}:${port}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" } }, (res) => {
            let text = "";
            res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: res.statusCode ?? 0, ...(JSON.parse(text) as { result: { structuredContent: Record<string, unknown> } }) }));
          });
          req.on("error", reject);
          req.end(JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: args } }));
        });
      for (let round = 0; round < 2; round++) {
        const hosts = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? "localhost" : "127.0.0.1"));
        const answers = await Promise.all(hosts.map((host, i) => (i % 2 === 0 ? call(host, i, "search_repositories", { query: "données", limit: 5 }) : call(host, i, "list_public_bodies", { limit: 3 }))));
        answers.forEach((answer, i) => {
          expect(answer.status, `request ${i}`).to.equal(200);
          expect(answer.result.isError, `request ${i}`).to.not.equal(true);
          const links = JSON.stringify(answer.result.structuredContent).match(/https?:\/\/[^/"]+\//g) ?? [];
          const own = `http://${hosts[i]}:${port}/`;
          expect(links.filter((link) => link.includes(`:${port}/`)), `request ${i}`).to.not.be.empty;
          for (const link of links) if (link.includes(`:${port}/`)) expect(link, `request ${i}`).to.equal(own);
        });
      }
    });

    it("answers the host of PUBLIC_URL and MCP_ALLOWED_HOSTS, with links to the public address", async () => {
      const server = await startWebServer(() => {}, { publicUrl: "https://code.example.fr", mcpAllowedHosts: ["catalogue.internal"] });
      try {
        const { request } = await import("node:http");
        const port = new URL(server.url).port;
        const post = (host: string, body: string) =>
          new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = request({ host: "127.0.0.1", port, path: "/mcp", method: "POST", headers: { Host: host, "Content-Type": "application/json", Accept: "application/json, text/event-stream" } }, (res) => {
              let text = "";
              res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
            });
            req.on("error", reject);
            req.end(body);
          });
        const search = JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "search_repositories", arguments: { query: "x" } } });
        const publicHost = await post("code.example.fr", search);
        expect(publicHost.status).to.equal(200);
        expect((JSON.parse(publicHost.body) as { result: { structuredContent: { api_url: string } } }).result.structuredContent.api_url).to.equal("https://code.example.fr/api/v1/repositories?q=x&per_page=10");
        expect((await post("catalogue.internal:8080", search)).status).to.equal(200);
        expect((await post("other.example.fr", search)).status).to.equal(403);
      } finally {
        await server.close();
      }
    });

    it("answers malformed JSON, other methods and other media types with JSON-RPC errors", async () => {
      const malformed = await post("{not json");
      expect(malformed.status).to.equal(400);
      expect(((await malformed.json()) as { error: { code: number } }).error.code).to.equal(-32700);
      const get = await fetch(`${served.app.url}/mcp`);
      expect([get.status, get.headers.get("allow")]).to.deep.equal([405, "POST"]);
      const form = await post(ping, { "Content-Type": "text/plain" });
      expect(form.status).to.equal(415);
      const huge = await post(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping", params: { pad: "x".repeat(100_000) } }));
      expect(huge.status).to.equal(413);
    });
  });
});

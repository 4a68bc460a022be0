// The MCP server over stdio (src/bin/mcp.ts, what `npm run mcp` runs), spawned
// on a temporary store with its search index, through the SDK's own client.
import { expect } from "chai";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { SearchResponse } from "../../src/web/api/present.ts";
import { rootDir } from "../helpers/searchFixture.ts";
import { servedFixture } from "../helpers/httpApp.ts";
import { call, stdioClient } from "./mcpClient.ts";
import { checkBadCalls, checkGoodCalls, checkResources, checkToolList } from "./toolContract.ts";

const publicUrl = "https://code.example.fr";

describe("MCP over stdio (npm run mcp)", function () {
  // Spawning tsx and loading the index take a few seconds on a loaded machine.
  this.timeout(60_000);
  // The web app on the same store and index: the API to compare with.
  const served = servedFixture();
  let client: Client;
  before(async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    client = await stdioClient(process.execPath, ["--import", "tsx", "src/bin/mcp.ts"], { ...env, DATABASE_PATH: served.fixture.file, PUBLIC_URL: publicUrl, HARVEST_CRON: "" }, rootDir);
  });
  after(async () => {
    await client?.close();
  });

  it("lists the same tools", async () => {
    await checkToolList(client);
  });

  it("answers each tool, with links to the configured public address", async () => {
    await checkGoodCalls(client, publicUrl);
  });

  it("refuses bad arguments with tool errors", async () => {
    await checkBadCalls(client);
  });

  it("serves the repository resources", async () => {
    await checkResources(client);
  });

  it("searches as the API does, on the same store and index", async () => {
    for (const [args, query] of [
      [{ query: "données ouvertes", limit: 20 }, "q=donn%C3%A9es+ouvertes&per_page=20"],
      [{ query: "python api", sort: "stars", limit: 50 }, "q=python+api&sort=stars&per_page=50"],
      [{ public_body: "a515667c-6dc0-4544-a1a8-2cf13d7da23b", limit: 50, page: 1 }, "public_body=a515667c-6dc0-4544-a1a8-2cf13d7da23b&per_page=50"],
    ] as const) {
      const api = (await (await fetch(`${served.app.url}/api/v1/repositories?${query}`)).json()) as SearchResponse;
      const mcp = (await call(client, "search_repositories", args)).structuredContent as unknown as SearchResponse;
      expect(api.total, query).to.be.above(0);
      expect(mcp.total, query).to.equal(api.total);
      expect(mcp.items.map((item) => item.id), query).to.deep.equal(api.items.map((item) => item.id));
    }
  });
});

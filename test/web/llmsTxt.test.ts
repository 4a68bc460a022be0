// /llms.txt: a plain-text guide whose every link answers.
import { expect } from "chai";
import { servedFixture } from "../helpers/httpApp.ts";
import { startWebServer } from "../helpers/webServer.ts";

describe("/llms.txt", () => {
  const served = servedFixture();

  it("guides agents to the MCP endpoint, the API, the exports and the feeds, with links that answer", async () => {
    const response = await fetch(`${served.app.url}/llms.txt`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("text/plain; charset=utf-8");
    const text = await response.text();
    expect(text.startsWith("# Code Commun\n\n> ")).to.equal(true);
    for (const name of ["search_repositories", "get_repository", "find_similar_repositories", "get_owner", "list_public_bodies", "catalogue_statistics", "codecommun://repositories/{+id}", "npm run mcp"]) expect(text).to.contain(name);
    const links = [...text.matchAll(/\]\((http[^)]+)\)/g)].map((match) => match[1]!);
    expect(links).to.include.members([`${served.app.url}/mcp`, `${served.app.url}/api/v1/code.json`, `${served.app.url}/api/v1/repositories.jsonl`, `${served.app.url}/feeds/new.atom`]);
    for (const link of links) {
      if (link.endsWith("/mcp")) continue; // POST only: the MCP tests call it
      const answer = await fetch(link);
      await answer.arrayBuffer();
      expect(answer.status, link).to.equal(200);
    }
  });

  it("writes the configured public address", async () => {
    const server = await startWebServer(() => {}, { publicUrl: "https://code.example.fr" });
    try {
      const text = await (await fetch(`${server.url}/llms.txt`)).text();
      expect(text).to.contain("[MCP endpoint](https://code.example.fr/mcp)");
      expect(text).not.to.contain("127.0.0.1");
    } finally {
      await server.close();
    }
  });
});

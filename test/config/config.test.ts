import path from "node:path";
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config/config.ts";

describe("configuration", () => {
  it("has defaults for everything", () => {
    const config = loadConfig({}, "/srv/cc");
    expect(config).to.include({ port: 3000, databasePath: path.resolve("/srv/cc/data/catalog.db"), sourcesPath: path.resolve("/srv/cc/data/sources.yml"), harvestOnStart: true });
    expect(config.harvestCron).to.equal("17 3 * * *");
    expect(config.tokens).to.deep.equal({});
  });

  it("reads tokens per host", () => {
    const config = loadConfig({ GITHUB_TOKEN: "gh", GITLAB_TOKEN: "gl", FORGE_TOKENS: "gitlab.example.fr=a, git.other.fr = b" });
    expect(config.tokens).to.deep.equal({ "github.com": "gh", "gitlab.com": "gl", "gitlab.example.fr": "a", "git.other.fr": "b" });
  });

  it("refuses bad values with a clear message", () => {
    expect(() => loadConfig({ PORT: "http" })).to.throw(ConfigError, /PORT must be a whole number/);
    expect(() => loadConfig({ PORT: "70000" })).to.throw(ConfigError, /PORT must be between/);
    expect(() => loadConfig({ HARVEST_CRON: "every day" })).to.throw(ConfigError, /HARVEST_CRON is not a valid cron expression/);
    expect(() => loadConfig({ HARVEST_ON_START: "maybe" })).to.throw(ConfigError, /true or false/);
    expect(() => loadConfig({ FORGE_TOKENS: "no-equals-sign" })).to.throw(ConfigError, /FORGE_TOKENS must read host=token/);
  });

  it("lets HARVEST_CRON be empty to disable the schedule", () => {
    expect(loadConfig({ HARVEST_CRON: "" }).harvestCron).to.equal("");
  });
});

// --- agents (MCP server, feeds): issue 12 ---
describe("configuration of the agents' interfaces", () => {
  it("reads the public URL without its trailing slash, and the hosts /mcp answers", () => {
    const config = loadConfig({ PUBLIC_URL: "https://code.example.fr/catalogue/", MCP_ALLOWED_HOSTS: "Code.Example.fr, [::1]" });
    expect(config.publicUrl).to.equal("https://code.example.fr/catalogue");
    expect(config.mcpAllowedHosts).to.deep.equal(["code.example.fr", "[::1]"]);
    expect(loadConfig({}).publicUrl).to.equal(null);
    expect(loadConfig({}).mcpAllowedHosts).to.deep.equal([]);
  });

  it("refuses a public URL that is not http(s) and hosts with ports", () => {
    expect(() => loadConfig({ PUBLIC_URL: "ftp://code.example.fr" })).to.throw(ConfigError, /PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: "not a url" })).to.throw(ConfigError, /PUBLIC_URL/);
    expect(() => loadConfig({ MCP_ALLOWED_HOSTS: "code.example.fr:443" })).to.throw(ConfigError, /MCP_ALLOWED_HOSTS/);
  });
});

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

  // --- Production (issue 13) ---
  it("reads the production settings, with defaults", () => {
    const defaults = loadConfig({}, "/srv/cc");
    expect(defaults).to.include({ trustProxy: "loopback", logLevel: "info", metricsToken: null, exportConcurrency: 4, backupKeep: 7, backupCron: "47 4 * * *" });
    expect(defaults.backupDir).to.equal(path.resolve("/srv/cc/data/backups"));
    expect(defaults.rateLimits).to.deep.equal({ windowMs: 60_000, api: 300, mcp: 120, feeds: 60 });
    expect(defaults.webWorkers).to.be.at.least(1);
    const set = loadConfig({ TRUST_PROXY: "10.0.0.0/8, loopback", LOG_LEVEL: "DEBUG", METRICS_TOKEN: "t", WEB_WORKERS: "3", RATE_LIMIT_API: "0", BACKUP_DIR: "/var/backups/cc", BACKUP_KEEP: "30", BACKUP_CRON: "" });
    expect(set).to.include({ trustProxy: "10.0.0.0/8, loopback", logLevel: "debug", metricsToken: "t", webWorkers: 3, backupDir: "/var/backups/cc", backupKeep: 30, backupCron: "" });
    expect(set.rateLimits.api).to.equal(0);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: "false" }).trustProxy).to.equal(false);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).to.throw(ConfigError, /LOG_LEVEL must be one of/);
    expect(() => loadConfig({ TRUST_PROXY: "$(rm -rf)" })).to.throw(ConfigError, /TRUST_PROXY/);
    expect(() => loadConfig({ WEB_WORKERS: "0" })).to.throw(ConfigError, /WEB_WORKERS must be between/);
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

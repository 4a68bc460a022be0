// The harvest status page and GET /api/v1/status over 400 accounts (issues 8 and 14).
import { expect } from "chai";
import { startWebServer, type WebServer } from "../helpers/webServer.ts";
import { seedStatus, statusPlan } from "../helpers/statusFixture.ts";
import { decode, get } from "./http.ts";

interface StatusBody {
  scope: string;
  last_run: { id: number; trigger: string; status: string } | null;
  hosts: Array<{ host: string; forge: string | null; accounts: number; ok: number; failed: number; skipped: number; pending: number; last_success_at: string | null; failures: Array<{ reason: string; count: number }>; retries: number; rate_limit_waits: number }>;
  accounts: { total: number; page: number; per_page: number; items: Array<Record<string, unknown>> };
}

const rows = (html: string) => [...html.matchAll(/<tr id="account-([^"]+)"/g)].map((m) => decode(m[1] as string));

describe("harvest status over the current sources", function () {
  let web: WebServer;
  before(async () => {
    web = await startWebServer((database) => seedStatus(database.db), { harvestPlan: () => statusPlan() });
  });
  after(() => web.close());

  describe("GET /api/v1/status", () => {
    const status = async (query = "") => {
      const response = await get(web.url, `/api/v1/status${query}`);
      expect(response.status, response.html).to.equal(200);
      return JSON.parse(response.html) as StatusBody;
    };

    it("counts only the accounts of the sources, per host with its type, failures by reason, retries and waits", async () => {
      const body = await status();
      expect(body.scope).to.equal("sources");
      expect(body.last_run).to.include({ trigger: "startup", status: "partial" });
      expect(body.accounts.total).to.equal(400);
      const hosts = Object.fromEntries(body.hosts.map((h) => [h.host, h]));
      expect(body.hosts.map((h) => h.host)).to.deep.equal(["gitlab.example.fr", "github.com", "git.mairie.fr", "forge.example.org"]);
      expect(hosts["gitlab.example.fr"]).to.deep.include({ forge: "gitlab", accounts: 91, ok: 60, failed: 30, skipped: 1, pending: 0, failures: [{ reason: "network_error", count: 30 }], retries: 8 });
      expect(hosts["github.com"]).to.deep.include({ forge: "github", accounts: 300, failed: 12, failures: [{ reason: "not_found", count: 12 }], retries: 8 * 8, rate_limit_waits: 1 });
      expect(hosts["github.com"]?.last_success_at).to.equal("2026-03-01T03:17:00.000Z");
      expect(hosts["git.mairie.fr"]).to.deep.include({ forge: "gitea", failed: 1, rate_limit_waits: 12, failures: [{ reason: "rate_limited", count: 1 }] });
      expect(hosts["forge.example.org"]).to.deep.include({ forge: "sourcehut", skipped: 1, last_success_at: null });
      // Dropped from the sources: its failure no longer counts.
      expect(JSON.stringify(body)).not.to.include("ministere-supprime");
    });

    it("lists skipped accounts with the sources' reason, and each account's attempts and retries", async () => {
      const skipped = await status("?status=skipped");
      expect(skipped.accounts.items.map((a) => [a.host, a.login, a.reason, a.message])).to.deep.equal([
        ["forge.example.org", "", "unsupported_forge", 'forge type "sourcehut" is not supported yet'],
        ["gitlab.example.fr", "ancien-groupe", "ignored", "ignored since 2025-01-01"],
      ]);
      const retried = await status("?host=github.com&q=organisme-003");
      expect(retried.accounts.items).to.have.length(1);
      expect(retried.accounts.items[0]).to.include({ login: "organisme-003", status: "ok", attempts: 2, first_reason: "server_error", retries: 8, forge: "github" });
    });

    it("filters by host, result, reason and words, and paginates", async () => {
      const failed = await status("?status=failed&per_page=10&page=2");
      expect(failed.accounts).to.include({ total: 43, page: 2, per_page: 10 });
      expect(failed.accounts.items).to.have.length(10);
      expect((await status("?reason=network_error")).accounts.total).to.equal(30);
      expect((await status("?host=git.mairie.fr")).accounts.total).to.equal(8);
      expect((await status("?q=ENOTFOUND")).accounts.total).to.equal(29);
    });

    it("answers 400 with a reason to a bad parameter", async () => {
      for (const query of ["?status=broken", "?page=0", "?per_page=5000", "?reason=Not%20a%20code", "?status=ok&status=failed"]) {
        const response = await get(web.url, `/api/v1/status${query}`);
        expect(response.status, query).to.equal(400);
        expect(JSON.parse(response.html)).to.include({ reason: "invalid_parameter" });
      }
    });

    it("is described in the OpenAPI document", async () => {
      const document = JSON.parse((await get(web.url, "/api/v1/openapi.json")).html) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
      expect(document.paths).to.have.property("/status");
      expect(document.components.schemas).to.include.keys("HarvestStatus", "HostStatus", "AccountStatus");
    });
  });

  describe("the status page", () => {
    it("shows 50 accounts a page, failures first, with pages to the others", async () => {
      const { status, html } = await get(web.url, "/status?lang=en");
      expect(status).to.equal(200);
      expect(rows(html)).to.have.length(50);
      expect(rows(html).slice(0, 3)).to.deep.equal(["git.mairie.fr/mairie-0", "github.com/organisme-007", "github.com/organisme-032"]);
      expect(html).to.include("400 accounts match");
      expect(decode(html)).to.include('href="/status?page=8"');
      const last = await get(web.url, "/status?page=8&lang=en");
      expect(rows(last.html)).to.have.length(0 + 400 - 7 * 50);
      expect((await get(web.url, "/status?page=9")).status).to.equal(404);
    });

    it("searches and filters by host and result, keeping the filters across pages", async () => {
      const gitlab = await get(web.url, "/status?host=gitlab.example.fr&status=failed&lang=en");
      expect(gitlab.html).to.include("30 accounts match");
      expect(rows(gitlab.html).every((row) => row.startsWith("gitlab.example.fr/"))).to.equal(true);
      expect(gitlab.html).to.include('<option value="gitlab.example.fr" selected>');
      const ok = await get(web.url, "/status?host=github.com&status=ok&lang=en");
      expect(ok.html).to.include("288 accounts match");
      expect(decode(ok.html)).to.include('href="/status?host=github.com&status=ok&page=2"');
      const search = await get(web.url, "/status?q=organisme-003&lang=en");
      expect(rows(search.html)).to.deep.equal(["github.com/organisme-003"]);
      expect(search.html).to.include("succeeded at the second attempt, after: Forge server error");
    });

    it("lists the forges with their type, failures by reason and waits, and never the dropped account", async () => {
      const { html } = await get(web.url, "/status?lang=en");
      expect(decode(html)).to.include('<a href="/status?host=gitlab.example.fr">gitlab.example.fr</a>');
      expect(html).to.include("Forge unreachable: 30");
      expect(decode(html)).to.include('<span class="cc-figures__value">2</span> <a href="/status?status=skipped">skipped accounts</a>');
      expect(html).not.to.include("ministere-supprime");
      const skipped = await get(web.url, "/status?status=skipped&lang=en");
      expect(rows(skipped.html)).to.deep.equal(["forge.example.org/", "gitlab.example.fr/ancien-groupe"]);
      expect(skipped.html).to.include("ignored since 2025-01-01");
    });

    it("shows on a run's page each account's attempts and what the second pass did", async () => {
      const { status, html } = await get(web.url, "/status/runs/2?lang=en");
      expect(status).to.equal(200);
      expect(html).to.include("failed at both attempts (first: Forge unreachable)");
      expect(html).to.include("succeeded at the second attempt, after: Forge server error");
      expect(html).to.include("2 (8 requests retried)");
    });

    it("refuses a bad filter with a 400", async () => {
      for (const query of ["?status=broken", "?page=abc", "?host=" + "x".repeat(400)]) {
        expect((await get(web.url, `/status${query}`)).status, query).to.equal(400);
      }
    });
  });
});

// The demo's sources (issue 14): the local authorities' GitLab groups do not
// inherit a ministry from their instance; each top-level group has its own body.
import { expect } from "chai";
import { startDemoForges } from "../../scripts/lib/demoForges.ts";
import { parseSources, planHarvest } from "../../src/sources/sources.ts";
import { readPublicBodies } from "../../src/sources/publicBodies.ts";
import { rootDir } from "../helpers/webServer.ts";
import path from "node:path";

describe("demo sources", function () {
  this.timeout(30_000);

  it("give the local authorities' groups no ministry, and the other groups their own", async () => {
    const forges = await startDemoForges();
    try {
      const plan = planHarvest(parseSources(forges.sources), new Set(["github", "gitlab"]), "2026-01-01");
      const gitlab = plan.accounts.filter((account) => account.forge.host === "forge.demo.code-commun.example");
      expect(gitlab.map((account) => account.login).sort()).to.deep.equal(["academies", "collectivites", "recherche"]);
      const directory = readPublicBodies(path.join(rootDir, "data", "public-bodies.yml"));
      const ministryOf = (login: string) => {
        const psoId = gitlab.find((account) => account.login === login)!.psoId;
        return psoId ? (directory.body(psoId)?.ministryId ?? psoId) : null;
      };
      expect(ministryOf("collectivites")).to.equal(null);
      expect(ministryOf("recherche")).not.to.equal(ministryOf("academies"));
      expect(ministryOf("recherche")).to.be.a("string");
    } finally {
      await forges.stop();
    }
  });
});

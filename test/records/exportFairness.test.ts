// Exports share the process with every other request (issue 13): at 50,000
// repositories one JSON export read without compression made a concurrent API
// call wait 3.5 s, and every compressed export logged MaxListenersExceededWarning.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import compression from "compression";
import express from "express";
import { expect } from "chai";
import { recordsPerTurn, writeExport } from "../../src/records/export.ts";
import type { PublicRepository } from "../../src/records/repository.ts";

const record: PublicRepository = {
  id: "github.com/etalab/udata", forge: "github", host: "github.com", owner: "etalab", name: "udata", full_name: "etalab/udata",
  url: "https://github.com/etalab/udata", description: "Customizable and skinnable social platform dedicated to (open) data.", homepage: null,
  language: "Python", license: "AGPL-3.0", topics: ["open-data"], stars: 1, forks: 1, open_issues: 0, archived: false, fork: false,
  template: false, default_branch: "main", created_at: null, updated_at: null, pushed_at: null,
  first_seen_at: "2026-01-01T00:00:00.000Z", last_seen_at: "2026-01-01T00:00:00.000Z", has_publiccode: false, publiccode_valid: null, reuse_score: null, reused_by_count: null,
};

function* records(count: number): Generator<PublicRepository> {
  for (let i = 0; i < count; i++) yield { ...record, id: `github.com/etalab/r${i}`, name: `r${i}`, stars: i };
}

describe("exports and the other requests", () => {
  for (const format of ["json", "csv"] as const) {
    it(`lets other work run while a ${format} export writes to a client that never pushes back`, async () => {
      // A destination that accepts everything at once, as a fast client without compression does.
      let written = 0;
      const out = new Writable({
        highWaterMark: 1 << 30,
        write(chunk: Buffer, _encoding, callback) {
          written += chunk.length;
          callback();
        },
      });
      let recordsWhenOtherWorkRan = -1;
      let exported = 0;
      const total = 20 * recordsPerTurn;
      function* counted() {
        for (const item of records(total)) {
          exported++;
          yield item;
        }
      }
      const exporting = writeExport(counted(), format, out);
      // Queued as the export starts: it must run before the export ends.
      setImmediate(() => (recordsWhenOtherWorkRan = exported));
      expect(await exporting).to.equal(total);
      expect(written).to.be.greaterThan(0);
      expect(recordsWhenOtherWorkRan).to.be.within(1, recordsPerTurn);
    });
  }

  it("compresses a large export without MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const app = express();
    app.use(compression());
    app.get("/export.json", async (_req, res) => {
      res.type("json");
      await writeExport(records(20_000), "json", res);
      res.end();
    });
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/export.json`, { headers: { "Accept-Encoding": "gzip" } });
      expect(response.headers.get("content-encoding")).to.equal("gzip");
      const parsed = (await response.json()) as PublicRepository[];
      expect(parsed).to.have.length(20_000);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.name)).to.not.include("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
      server.closeAllConnections();
      server.close();
    }
  });
});

// An export whose destination closes mid-way (an HTTP client that went away)
// must stop, so that its source (a database cursor) is released.
import { PassThrough } from "node:stream";
import { expect } from "chai";
import { ExportAbortedError, writeExport } from "../../src/records/export.ts";
import type { PublicRepository } from "../../src/records/repository.ts";

const record: PublicRepository = {
  id: "github.com/etalab/udata", forge: "github", host: "github.com", owner: "etalab", name: "udata", full_name: "etalab/udata",
  url: "https://github.com/etalab/udata", description: "x".repeat(200), homepage: null, language: "Python", license: "AGPL-3.0",
  topics: [], stars: 1, forks: 1, open_issues: 0, archived: false, fork: false, template: false, default_branch: "main",
  created_at: null, updated_at: null, pushed_at: null, first_seen_at: "2026-01-01T00:00:00.000Z", last_seen_at: "2026-01-01T00:00:00.000Z",
  has_publiccode: false, publiccode_valid: null, reuse_score: null, reused_by_count: null,
};

describe("export to a destination that closes", () => {
  // jsonl goes through writeJsonLines, which publiccode.jsonl shares (issue 12).
  for (const format of ["json", "csv", "jsonl"] as const) {
    it(`stops a ${format} export with ExportAbortedError, and closes its source`, async () => {
      // Nobody reads: the stream fills up and the export waits for "drain", which never comes.
      const out = new PassThrough({ highWaterMark: 1024 });
      let sourceClosed = false;
      function* records() {
        try {
          for (let i = 0; i < 10_000; i++) yield record;
        } finally {
          sourceClosed = true;
        }
      }
      const exporting = writeExport(records(), format, out);
      setTimeout(() => out.destroy(), 20);
      let failure: unknown;
      await exporting.catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(ExportAbortedError);
      expect(sourceClosed).to.equal(true);
    });
  }
});

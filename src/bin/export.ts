// npm run export -- --format json|csv|jsonl [--out FILE]: every live repository in the public record shape.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.ts";
import { exportFormats, writeExport, type ExportFormat } from "../records/export.ts";
import { toPublicRepository } from "../records/repository.ts";
import { iterateLiveRepositories } from "../store/catalog.ts";
import { openDatabase } from "../store/database.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { format: { type: "string", default: "json" }, out: { type: "string" } } });
  const format = values.format as ExportFormat;
  if (!exportFormats.includes(format)) throw new Error(`--format must be one of ${exportFormats.join(", ")}, got "${values.format}"`);
  const db = openDatabase(loadConfig().databasePath);
  // Write beside the target, then rename: a failed export never leaves half a file.
  const temporary = values.out ? `${values.out}.tmp-${process.pid}` : null;
  const out = temporary ? fs.createWriteStream(temporary) : process.stdout;
  try {
    const records = (function* () {
      for (const row of iterateLiveRepositories(db)) yield toPublicRepository(row);
    })();
    const count = await writeExport(records, format, out);
    if (temporary && values.out) {
      await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())));
      fs.renameSync(temporary, values.out);
      process.stderr.write(`exported ${count} repositories to ${values.out}\n`);
    }
  } catch (error) {
    if (temporary) fs.rmSync(temporary, { force: true });
    throw error;
  } finally {
    db.$client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

// npm run export -- --format json|csv|jsonl [--out FILE]: every live repository in the public record shape.
// npm run export -- --format sources [--out FILE]: every harvested account (the sources file's and the
// approved declarations, issue 11) in code.gouv.fr's format.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.ts";
import { exportFormats, writeExport, type ExportFormat } from "../records/export.ts";
import { toPublicRepository } from "../records/repository.ts";
import { iterateLiveRepositories } from "../store/catalog.ts";
import { openDatabase } from "../store/database.ts";
import { declaredSources, mergeSources } from "../declarations/declaredSources.ts";
import { readSources } from "../sources/sources.ts";
import { formatSources } from "../sources/writeSources.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { format: { type: "string", default: "json" }, out: { type: "string" } } });
  if (values.format === "sources") return exportSources(values.out);
  const format = values.format as ExportFormat;
  if (!exportFormats.includes(format)) throw new Error(`--format must be one of ${exportFormats.join(", ")}, got "${values.format}" (--format sources: the list of accounts)`);
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

/** Declarations (issue 11): the list of accounts itself as open data. */
function exportSources(out: string | undefined): void {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    const sources = mergeSources(readSources(config.sourcesPath), declaredSources(db));
    const text = formatSources(sources);
    if (!out) {
      process.stdout.write(text);
      return;
    }
    const temporary = `${out}.tmp-${process.pid}`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, out);
    const accounts = sources.reduce((sum, forge) => sum + (forge.owners?.length ?? 1), 0);
    process.stderr.write(`exported ${accounts} accounts to ${out}\n`);
  } finally {
    db.$client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

// Building the index from the store, on this thread or on a worker thread, and
// the fingerprint that tells whether a persisted index is still current.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { parsePublicBodies, type PublicBodyDirectory } from "../sources/publicBodies.ts";
import { iterateLiveRepositories } from "../store/catalog.ts";
import { catalogVersion } from "../store/catalogVersion.ts";
import { profileSearchFields } from "../store/profiles.ts";
import type { Db } from "../store/database.ts";
import { buildIndexData } from "./buildIndex.ts";
import type { IndexData } from "./indexData.ts";
import { writeIndexFile } from "./indexFile.ts";

/**
 * Bump when the analysis, the fields, their boosts or the ranking change: an
 * index persisted by an older version is then rebuilt at start.
 */
export const indexVersion = 6; // 2: profile fields and facets (issue 9); 3: reuse score, sort and filter (issue 10); 4: similar docs (issue 13); 5: their reasons (issue 13); 6: the vocabulary (issue 13)

export interface StoreBuildOptions {
  indexDir: string;
  /** data/public-bodies.yml: names indexed with each pso_id; a missing file means ids only. */
  publicBodiesFile?: string | undefined;
  builtAt: Date;
}

function publicBodiesSource(file: string | undefined): string | null {
  if (!file) return null;
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function fingerprint(db: Db, publicBodies: string | null): string {
  return createHash("sha1").update(`${indexVersion}\n${catalogVersion(db)}\n`).update(publicBodies ?? "").digest("hex");
}

/** What an index is built from: the catalogue's version, the public bodies file, the index version. */
export function indexFingerprint(db: Db, publicBodiesFile: string | undefined): string {
  return fingerprint(db, publicBodiesSource(publicBodiesFile));
}

/**
 * Reads every live repository and builds the index, then writes it to disk.
 * The fingerprint and the rows are read in one transaction, so they describe
 * the same state even while a harvest writes.
 */
export function buildIndexFromStore(db: Db, options: StoreBuildOptions): { data: IndexData; file: string } {
  const source = publicBodiesSource(options.publicBodiesFile);
  const publicBodies: PublicBodyDirectory | null = source === null ? null : parsePublicBodies(source, options.publicBodiesFile);
  const client = db.$client;
  client.exec("BEGIN");
  let data: IndexData;
  try {
    data = buildIndexData(iterateLiveRepositories(db), {
      publicBodies,
      builtAt: options.builtAt,
      fingerprint: fingerprint(db, source),
      profileOf: (pk) => profileSearchFields(db, pk),
    });
  } finally {
    client.exec("COMMIT");
  }
  return { data, file: writeIndexFile(options.indexDir, data) };
}

export interface WorkerBuildRequest {
  databaseFile: string;
  indexDir: string;
  publicBodiesFile?: string | undefined;
  /** ISO date. */
  builtAt: string;
}

/**
 * Runs buildIndexFromStore on a worker thread, with its own read-only
 * connection, so the server keeps answering while lunr works (about 15 s of
 * CPU at 100,000 repositories). Resolves with the path of the written file.
 * The worker loads TypeScript through tsx, as the rest of the application.
 */
export function buildInWorker(request: WorkerBuildRequest, onStart?: (worker: Worker) => void): Promise<string> {
  const entry = new URL("./buildWorker.ts", import.meta.url).href;
  // The ES module entry of tsx's API, found from its package (require.resolve would give the CommonJS one).
  const tsxPackage = createRequire(import.meta.url).resolve("tsx/package.json");
  const tsx = pathToFileURL(path.join(path.dirname(tsxPackage), "dist", "esm", "api", "index.mjs")).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: request });
    onStart?.(worker);
    let file: string | null = null;
    worker.once("message", (message: { file: string }) => (file = message.file));
    worker.once("error", reject);
    worker.once("exit", (exitCode) => {
      if (file !== null) resolve(file);
      else reject(new Error(`the index build worker stopped (exit code ${exitCode}) before writing the index`));
    });
  });
}

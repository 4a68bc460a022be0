// Worker thread entry (see buildInWorker): builds and writes the index, posts the file's path.
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { openReadOnlyDatabase } from "../store/readOnly.ts";
import { buildIndexFromStore, type WorkerBuildRequest } from "./storeBuild.ts";

// A build is seconds of CPU: it yields the cores to the threads answering
// requests. On Linux, setpriority of "0" names the calling thread only, so
// this lowers the build thread, not the server it runs in (issue 13). Where
// the platform refuses, the build simply runs at normal priority.
try {
  os.setPriority(10);
} catch {
  // not permitted here: nothing to do
}

const request = workerData as WorkerBuildRequest;
const db = openReadOnlyDatabase(request.databaseFile);
try {
  const { file } = buildIndexFromStore(db, { indexDir: request.indexDir, publicBodiesFile: request.publicBodiesFile, builtAt: new Date(request.builtAt) });
  parentPort!.postMessage({ file });
} finally {
  db.$client.close();
}

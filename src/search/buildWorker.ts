// Worker thread entry (see buildInWorker): builds and writes the index, posts the file's path.
import { parentPort, workerData } from "node:worker_threads";
import { openReadOnlyDatabase } from "../store/readOnly.ts";
import { buildIndexFromStore, type WorkerBuildRequest } from "./storeBuild.ts";

const request = workerData as WorkerBuildRequest;
const db = openReadOnlyDatabase(request.databaseFile);
try {
  const { file } = buildIndexFromStore(db, { indexDir: request.indexDir, publicBodiesFile: request.publicBodiesFile, builtAt: new Date(request.builtAt) });
  parentPort!.postMessage({ file });
} finally {
  db.$client.close();
}

// The whole web application on an ephemeral port of 127.0.0.1, for tests that go through real HTTP.
import type { AddressInfo } from "node:net";
import { listen } from "../../src/server/httpServer.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureNow } from "../fixtures/catalogue.ts";
import { publicBodies, rootDir, searchFixture, type SearchFixture } from "./searchFixture.ts";
import { testHttpLimits } from "./webServer.ts";

export interface RunningApp {
  /** e.g. http://127.0.0.1:43210 */
  url: string;
  /** Errors the app logged (500s). */
  logged: string[];
  close(): Promise<void>;
}

export async function startApp(fixture: SearchFixture): Promise<RunningApp> {
  const logged: string[] = [];
  const app = createApp({ db: fixture.db, search: fixture.engine, rootDir, publicBodies, now: () => fixtureNow, log: (line) => logged.push(line) });
  // As the production server listens (src/server/httpServer.ts): its limits, its request and response classes, its client-error answers.
  const server = await listen(app, 0, "127.0.0.1", testHttpLimits);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logged,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ServedFixture {
  readonly fixture: SearchFixture;
  readonly app: RunningApp;
}

/** Registers mocha hooks that build the search fixture and serve it for the enclosing describe(). */
export function servedFixture(): ServedFixture {
  const served = {} as { fixture: SearchFixture; app: RunningApp };
  before(async () => {
    served.fixture = await searchFixture();
    served.app = await startApp(served.fixture);
  });
  after(async () => {
    await served.app.close();
    served.fixture.close();
  });
  return served;
}

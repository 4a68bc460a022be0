// The whole declaration setting on 127.0.0.1 (issue 11): fake GitHub and
// GitLab forges, a real OpenID provider, the real app with sign-in set up
// over a temporary database and sources file, and a recording harvester.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { AuthConfig } from "../../src/config/config.ts";
import type { SearchEngine } from "../../src/search/types.ts";
import { createApp, type AppDeps } from "../../src/web/app.ts";
import { FakeGitHub } from "../fake-forge/fakeGitHub.ts";
import { FakeGitLab } from "../fake-forge/fakeGitLab.ts";
import { startFakeIdp, type FakeIdp } from "../fake-idp/oidcProvider.ts";
import { fixtureSearchEngine } from "./fixtureSearchEngine.ts";
import { tempDatabase, type TempDatabase } from "./tempDatabase.ts";
import { rootDir } from "./webServer.ts";
import { recordingHarvester } from "./recordingHarvester.ts";

export interface HarvestRequest {
  accounts?: Array<{ host: string; login: string }>;
  hosts?: string[];
}

export interface DeclarationsSetting {
  url: string;
  github: FakeGitHub;
  gitlab: FakeGitLab;
  idp: FakeIdp;
  database: TempDatabase;
  search: SearchEngine & { rebuilds: number };
  sourcesPath: string;
  auth: AuthConfig;
  /** What approval asked the on-demand harvester. */
  harvestRequests: HarvestRequest[];
  logged: string[];
  close(): Promise<void>;
}

/** github.com-like fake as "github.test", a GitLab as "gitlab.test", both in the sources file. */
export async function startDeclarationsSetting(options: { deps?: Partial<AppDeps>; auth?: boolean } = {}): Promise<DeclarationsSetting> {
  const github = await new FakeGitHub().start();
  const gitlab = await new FakeGitLab().start();
  github.addOrg("listed-org", { name: "Already listed" });
  github.addRepo("listed-org", { name: "listed-tool" });
  github.addOrg("ville-exemple", { name: "Ville d'Exemple" });
  github.addRepos("ville-exemple", 3, () => ({}), "outil");
  github.addUser("agent-dev", { name: "Agent Dev" });
  github.addRepo("agent-dev", { name: "script" });
  gitlab.addGroup({ path: "collectivite", name: "Collectivité" });
  gitlab.addGroup({ path: "services", parent: "collectivite", name: "Services" });
  gitlab.addProject({ namespace: "collectivite", path: "portail" });
  gitlab.addProject({ namespace: "collectivite/services", path: "guichet" });

  const database = tempDatabase();
  const sourcesPath = path.join(database.dir, "sources.yml");
  fs.writeFileSync(sourcesPath, `github.test:\n  forge: github\n  api: ${github.url}\n  owners:\n    listed-org:\n      pso_id: db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8\ngitlab.test:\n  forge: gitlab\n  api: ${gitlab.url}\n  owners:\n    someone-else:\n`);

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp = await startFakeIdp({ redirectUris: () => ({ redirect: [`${url}/auth/callback`], postLogout: [`${url}/`] }) });
  const auth: AuthConfig = {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    publicUrl: url,
    sessionSecret: "test-session-secret-0123456789abcdef",
    moderators: ["moderateur@demo.gouv.fr", "unverified@demo.gouv.fr"],
    scopes: "openid email given_name usual_name siret",
  };
  const harvestRequests: HarvestRequest[] = [];
  const logged: string[] = [];
  const engine = fixtureSearchEngine(database.db);
  const search = Object.assign(engine, { rebuilds: 0 });
  const rebuild = engine.rebuild.bind(engine);
  search.rebuild = async () => {
    search.rebuilds++;
    await rebuild();
  };
  const app = createApp({
    db: database.db,
    search,
    rootDir,
    log: (message) => logged.push(message),
    pageCacheTtlMs: 0,
    auth: options.auth === false ? null : auth,
    sourcesPath,
    allowInsecureForgeApi: true,
    forgeConfig: { tokens: {}, httpTimeoutMs: 5_000 },
    harvester: recordingHarvester(harvestRequests),
    ...options.deps,
  });
  server.on("request", app);
  return {
    url,
    github,
    gitlab,
    idp,
    database,
    search,
    sourcesPath,
    auth,
    harvestRequests,
    logged,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await idp.stop();
      await github.stop();
      await gitlab.stop();
      database.close();
    },
  };
}

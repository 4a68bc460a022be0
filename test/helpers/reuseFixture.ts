// A small reuse graph (issue 10): repositories seeded through the harvester's
// store functions, and hand-made reuse inputs for them (what loadReuseInputs
// would read once manifests are harvested), rebuilt with the real rebuildReuse.
//
//   body-a  github.com/alpha    alpha/lib (publishes npm alpha-lib), alpha/app (needs alpha-lib, dup)
//   body-b  github.com/beta     beta/site (needs alpha-lib, lodash; publishes dup), beta/lib-fork (fork of alpha/lib),
//                               beta/linux (fork of github.com/torvalds/linux, outside the catalogue)
//   (none)  gitlab.com/gamma    gamma/tool (needs alpha-lib as dev, lodash; publishes dup; publiccode isBasedOn alpha/lib, usedBy)
import type { Db } from "../../src/store/database.ts";
import type { ReuseRepositoryInput } from "../../src/reuse/graph.ts";
import { rebuildReuse, type ReuseRebuildResult } from "../../src/reuse/rebuild.ts";
import { saveProfile } from "../../src/store/profiles.ts";
import { seedOwner } from "./catalogueFixture.ts";
import { profileFrom } from "./profileFixture.ts";

export const reuseNow = new Date("2025-06-15T10:00:00Z");

export const reuseIds = {
  lib: "github.com/alpha/lib",
  app: "github.com/alpha/app",
  site: "github.com/beta/site",
  libFork: "github.com/beta/lib-fork",
  linux: "github.com/beta/linux",
  tool: "gitlab.com/gamma/tool",
} as const;

function input(id: string, partial: Partial<ReuseRepositoryInput> & { forgeId: string; publicBodyId: string | null }): ReuseRepositoryInput {
  const [host, owner, name] = id.split("/") as [string, string, string];
  return {
    id,
    host,
    fullName: `${owner}/${name}`,
    ownerId: `${host}/${owner}`,
    fork: false,
    forkParent: null,
    publishes: [],
    dependencies: [],
    declared: null,
    ...partial,
  };
}

/** The reuse inputs of the fixture; `without` leaves some repositories out (a later harvest). */
export function reuseInputs(without: readonly string[] = []): ReuseRepositoryInput[] {
  const all = [
    input(reuseIds.lib, { forgeId: "101", publicBodyId: "body-a", publishes: [{ ecosystem: "npm", name: "alpha-lib" }] }),
    input(reuseIds.app, {
      forgeId: "102",
      publicBodyId: "body-a",
      dependencies: [
        { ecosystem: "npm", name: "alpha-lib", scope: "runtime", requirement: "^1.0.0" },
        { ecosystem: "npm", name: "dup", scope: "runtime", requirement: null },
      ],
    }),
    input(reuseIds.site, {
      forgeId: "201",
      publicBodyId: "body-b",
      publishes: [{ ecosystem: "npm", name: "dup" }],
      dependencies: [
        { ecosystem: "npm", name: "alpha-lib", scope: "dev", requirement: null },
        { ecosystem: "npm", name: "alpha-lib", scope: "runtime", requirement: "^1.2.0" },
        { ecosystem: "npm", name: "lodash", scope: "runtime", requirement: "^4.17.0" },
      ],
    }),
    input(reuseIds.libFork, { forgeId: "202", publicBodyId: "body-b", fork: true, forkParent: { host: "github.com", forgeId: "101", fullName: null } }),
    input(reuseIds.linux, { forgeId: "203", publicBodyId: "body-b", fork: true, forkParent: { host: "github.com", forgeId: null, fullName: "torvalds/linux" } }),
    input(reuseIds.tool, {
      forgeId: "301",
      publicBodyId: null,
      publishes: [{ ecosystem: "npm", name: "dup" }],
      dependencies: [
        { ecosystem: "npm", name: "alpha-lib", scope: "dev", requirement: null },
        { ecosystem: "npm", name: "lodash", scope: "runtime", requirement: null },
      ],
      declared: { usedBy: ["Ville de Lyon"], isBasedOn: ["https://github.com/alpha/lib.git"], dependsOn: [] },
    }),
  ];
  return all.filter((item) => !without.includes(item.id));
}

/** Seeds the repositories (alpha/lib: 1,000 stars, MIT, pushed a year before reuseNow, README and CONTRIBUTING; gamma/tool not in the table). */
export function seedReuseRepositories(db: Db): void {
  seedOwner(db, {
    host: "github.com",
    login: "alpha",
    psoId: "body-a",
    repositories: [
      { name: "lib", forgeId: "101", stars: 1000, license: "MIT", pushedAt: "2024-06-15T10:00:00Z", description: "Bibliothèque partagée" },
      { name: "app", forgeId: "102", description: "Application" },
    ],
  });
  seedOwner(db, {
    host: "github.com",
    login: "beta",
    psoId: "body-b",
    repositories: [
      { name: "site", forgeId: "201", description: "Site" },
      { name: "lib-fork", forgeId: "202", fork: true, description: "Fourche de lib" },
      { name: "linux", forgeId: "203", fork: true, description: "Noyau" },
    ],
  });
  const pk = (db.$client.prepare("SELECT pk FROM repositories WHERE full_name = 'alpha/lib'").get() as { pk: number }).pk;
  saveProfile(db, pk, profileFrom("https://github.com/alpha/lib", { "README.md": "# lib", "CONTRIBUTING.md": "PRs welcome" }), "2024-06-15T10:00:00Z", "2025-06-14T03:20:00Z");
}

export function seedReuse(db: Db, now = reuseNow): ReuseRebuildResult {
  seedReuseRepositories(db);
  return rebuildReuse(db, reuseInputs(), now);
}

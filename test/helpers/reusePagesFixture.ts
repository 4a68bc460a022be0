// A hand-made reuse graph over a small catalogue (issue 10), for the pages'
// tests: the repositories are written through the harvester's store functions,
// then the graph is built by the real rebuild from inputs written by hand, so
// that every edge the pages show is known in advance.
//
//   etalab (body etalab)     github.com/etalab/ui-kit publishes npm "@etalab/ui-kit"
//                            github.com/etalab/udata
//   betagouv (body betagouv) github.com/betagouv/ui-kit   fork of etalab/ui-kit
//                            github.com/betagouv/app-b    needs @etalab/ui-kit, react, left-pad
//                            github.com/betagouv/linux    fork of github.com/torvalds/linux (outside)
//   dinum (body dinum)       gitlab.com/dinum/app-c       needs @etalab/ui-kit, react, requests (pypi);
//                                                         publiccode: usedBy, isBasedOn etalab/udata
//                            gitlab.com/dinum/linux       fork of github.com/torvalds/linux (outside)
//   etalab-labs (body etalab) github.com/etalab-labs/kit-fork  fork of etalab/ui-kit: same body, no reuse
//   hostile (no body)        github.com/h4ck<b>/<script>…  needs @etalab/ui-kit and a hostile package name
//   betagouv/formulaires and dinum/formulaires both publish npm "formulaires-communs": ambiguous
//   etalab-apps (body etalab) github.com/etalab-apps/app-01…12  need pypi "udata" (published by etalab/udata):
//                            a list longer than a page shows, within one body (no reuse)
import type { ReuseRepositoryInput } from "../../src/reuse/graph.ts";
import { rebuildReuse } from "../../src/reuse/rebuild.ts";
import type { Dependency } from "../../src/reuse/types.ts";
import type { Db } from "../../src/store/database.ts";
import { bodies, seedOwner } from "./catalogueFixture.ts";
import { hostileLogin, hostileRepository, payloads } from "./hostileFixture.ts";

export const reuseIds = {
  uiKit: "github.com/etalab/ui-kit",
  udata: "github.com/etalab/udata",
  betaFork: "github.com/betagouv/ui-kit",
  appB: "github.com/betagouv/app-b",
  betaLinux: "github.com/betagouv/linux",
  appC: "gitlab.com/dinum/app-c",
  dinumLinux: "gitlab.com/dinum/linux",
  labsFork: "github.com/etalab-labs/kit-fork",
  hostile: `github.com/${hostileLogin}/${hostileRepository}`,
  twinA: "github.com/betagouv/formulaires",
  twinB: "gitlab.com/dinum/formulaires",
} as const;

/** etalab's own applications that need udata's package: more than a page shows. */
export const udataDependents = Array.from({ length: 12 }, (_, i) => `github.com/etalab-apps/app-${String(i + 1).padStart(2, "0")}`);

/** A declared user whose name is markup. */
export const hostileUser = payloads.script;
/** A package name that is markup (manifests are anyone's text). */
export const hostilePackage = `<img src=x onerror="window.__pwned=1">`;

export const reuseDays = { first: new Date("2025-06-13T03:30:00Z"), second: new Date("2025-06-14T03:30:00Z") };

const npm = (name: string, scope: Dependency["scope"] = "runtime"): Dependency => ({ ecosystem: "npm", name, scope, requirement: "^1.0.0" });

function input(id: string, partial: Partial<ReuseRepositoryInput> & { publicBodyId: string | null }): ReuseRepositoryInput {
  const [host, ...rest] = id.split("/");
  const fullName = rest.join("/");
  return {
    id,
    host: host!,
    forgeId: null,
    fullName,
    ownerId: `${host}/${rest[0]}`.toLowerCase(),
    fork: false,
    forkParent: null,
    publishes: [],
    dependencies: [],
    declared: null,
    ...partial,
  };
}

export function reuseInputs(): ReuseRepositoryInput[] {
  return [
    input(reuseIds.uiKit, { publicBodyId: bodies.etalab, publishes: [{ ecosystem: "npm", name: "@etalab/ui-kit" }], dependencies: [npm("react")] }),
    input(reuseIds.udata, { publicBodyId: bodies.etalab, publishes: [{ ecosystem: "pypi", name: "udata" }] }),
    ...udataDependents.map((id) => input(id, { publicBodyId: bodies.etalab, dependencies: [{ ecosystem: "pypi", name: "udata", scope: "runtime", requirement: null }] })),
    input(reuseIds.betaFork, { publicBodyId: bodies.betagouv, fork: true, forkParent: { host: "github.com", forgeId: null, fullName: "etalab/ui-kit" }, publishes: [{ ecosystem: "npm", name: "@etalab/ui-kit" }] }),
    input(reuseIds.appB, { publicBodyId: bodies.betagouv, dependencies: [npm("@etalab/ui-kit"), npm("react"), npm("left-pad", "dev")] }),
    input(reuseIds.betaLinux, { publicBodyId: bodies.betagouv, fork: true, forkParent: { host: "github.com", forgeId: null, fullName: "torvalds/linux" } }),
    // Two repositories that are not forks declare the same package: ambiguous, no edge guessed.
    input(reuseIds.twinA, { publicBodyId: bodies.betagouv, publishes: [{ ecosystem: "npm", name: "formulaires-communs" }] }),
    input(reuseIds.twinB, { publicBodyId: bodies.dinum, publishes: [{ ecosystem: "npm", name: "formulaires-communs" }] }),
    input(reuseIds.appC, {
      publicBodyId: bodies.dinum,
      dependencies: [npm("@etalab/ui-kit"), npm("react"), { ecosystem: "pypi", name: "requests", scope: "runtime", requirement: null }],
      declared: { usedBy: ["Ville de Lyon", hostileUser], isBasedOn: ["https://github.com/etalab/udata", "javascript:alert(1)", "https://example.org/other/project"], dependsOn: ["PostgreSQL"] },
    }),
    input(reuseIds.dinumLinux, { publicBodyId: bodies.dinum, fork: true, forkParent: { host: "github.com", forgeId: null, fullName: "torvalds/linux" } }),
    input(reuseIds.labsFork, { publicBodyId: bodies.etalab, fork: true, forkParent: { host: "github.com", forgeId: null, fullName: "etalab/ui-kit" } }),
    input(reuseIds.hostile, { publicBodyId: null, dependencies: [npm("@etalab/ui-kit"), npm(hostilePackage)] }),
  ];
}

/** The catalogue rows of the graph's repositories. */
export function seedReuseCatalogue(db: Db): void {
  seedOwner(db, {
    host: "github.com",
    login: "etalab",
    owner: { name: "Etalab" },
    psoId: bodies.etalab,
    repositories: [
      { name: "ui-kit", description: "Composants d’interface de l’État", stars: 120, license: "MIT" },
      { name: "udata", description: "Plateforme de données ouvertes", stars: 1250, license: "AGPL-3.0" },
    ],
  });
  seedOwner(db, {
    host: "github.com",
    login: "betagouv",
    owner: { name: "beta.gouv.fr" },
    psoId: bodies.betagouv,
    repositories: [{ name: "ui-kit", fork: true }, { name: "app-b", description: "Application B" }, { name: "linux", fork: true }, { name: "formulaires" }],
  });
  seedOwner(db, { host: "gitlab.com", login: "dinum", owner: { name: "DINUM" }, psoId: bodies.dinum, repositories: [{ name: "app-c", description: "Application C" }, { name: "linux", fork: true }, { name: "formulaires" }] });
  seedOwner(db, { host: "github.com", login: "etalab-apps", psoId: bodies.etalab, repositories: udataDependents.map((id) => ({ name: id.split("/")[2]! })) });
  seedOwner(db, { host: "github.com", login: "etalab-labs", owner: { name: "Etalab Labs" }, psoId: bodies.etalab, repositories: [{ name: "kit-fork", fork: true }] });
  seedOwner(db, {
    host: "github.com",
    login: hostileLogin,
    owner: { name: payloads.script },
    repositories: [{ name: hostileRepository, fullName: `${hostileLogin}/${hostileRepository}`, description: payloads.img }],
  });
}

/**
 * The catalogue and two rebuilds a day apart: the first without dinum's
 * application (history has two points), the second with everything.
 */
export function seedReuse(db: Db): void {
  seedReuseCatalogue(db);
  rebuildReuse(db, reuseInputs().filter((repo) => repo.id !== reuseIds.appC), reuseDays.first);
  rebuildReuse(db, reuseInputs(), reuseDays.second);
}

// A small, varied catalogue written through the harvester's own store
// functions, so the pages read exactly what a harvest leaves behind: nested
// GitLab groups, a whole self-hosted instance, owners with and without a
// public body, archived repositories and forks, failed and skipped accounts.
import type { HarvestedOwner, HarvestedRepository } from "../../src/forges/forge.ts";
import type { Db } from "../../src/store/database.ts";
import { ensureAccount, recordAccountResult, upsertForge, upsertOwner, upsertRepositories } from "../../src/store/harvestStore.ts";
import { finishRun, recordRunAccount, startRun, type RunStatus } from "../../src/store/runs.ts";

/** The fixture's "today": pages compute nothing from the real clock. */
export const fixtureNow = new Date("2025-06-15T10:00:00Z");

export const bodies = {
  etalab: "db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8",
  betagouv: "c21fa08e-f09e-4312-a6d8-400e812454c4",
  ecologyMinistry: "05f90b6a-e3d9-4a41-a919-2e2f2d77e517",
  dinum: "d1a97841-b4bf-46df-a089-1003e4e266b4",
  /** An id the public bodies file does not list. */
  unlisted: "11111111-2222-4333-8444-555555555555",
  /** The placeholder the official sources use for "unknown". */
  nil: "00000000-0000-0000-0000-000000000000",
} as const;

export interface OwnerSeed {
  host: string;
  forge?: string;
  login: string;
  /** The account harvested; defaults to the owner's login ("" for a whole instance). */
  accountLogin?: string;
  owner?: Partial<HarvestedOwner> | null;
  psoId?: string;
  flossPolicy?: string;
  repositories: (Partial<HarvestedRepository> & { name: string })[];
}

let forgeIds = 0;

function repository(seed: OwnerSeed, partial: Partial<HarvestedRepository> & { name: string }): HarvestedRepository {
  const fullName = partial.fullName ?? `${seed.login}/${partial.name}`;
  return {
    forgeId: partial.forgeId ?? String(++forgeIds),
    owner: partial.owner ?? seed.login,
    name: partial.name,
    fullName,
    url: partial.url ?? `https://${seed.host}/${fullName}`,
    description: partial.description ?? null,
    homepage: partial.homepage ?? null,
    language: partial.language === undefined ? null : partial.language,
    license: partial.license === undefined ? null : partial.license,
    topics: partial.topics ?? [],
    stars: partial.stars ?? 0,
    forks: partial.forks ?? 0,
    openIssues: partial.openIssues ?? 0,
    archived: partial.archived ?? false,
    fork: partial.fork ?? false,
    template: partial.template ?? false,
    defaultBranch: partial.defaultBranch ?? "main",
    createdAt: partial.createdAt ?? "2019-03-01T09:00:00Z",
    updatedAt: partial.updatedAt ?? partial.pushedAt ?? "2024-01-10T09:00:00Z",
    pushedAt: partial.pushedAt ?? "2024-01-10T09:00:00Z",
  };
}

/** Writes an owner (unless `owner: null`) and its repositories as one successful account harvest. */
export function seedOwner(db: Db, seed: OwnerSeed, at = "2025-06-14T03:17:00Z"): void {
  const forge = seed.forge ?? (seed.host.includes("gitlab") ? "gitlab" : "github");
  upsertForge(db, { host: seed.host, type: forge, apiUrl: `https://${seed.host}/api` }, at);
  const accountId = ensureAccount(db, seed.host, seed.accountLogin ?? seed.login);
  let ownerId: number | null = null;
  if (seed.owner !== null) {
    const owner: HarvestedOwner = {
      login: seed.login,
      forgeId: null,
      kind: forge === "gitlab" ? "group" : "organization",
      name: null,
      description: null,
      website: null,
      email: null,
      location: null,
      avatarUrl: null,
      verified: null,
      createdAt: "2016-05-02T08:00:00Z",
      ...seed.owner,
    };
    ownerId = upsertOwner(db, seed.host, owner, { psoId: seed.psoId, flossPolicy: seed.flossPolicy }, at);
  }
  upsertRepositories(
    db,
    { host: seed.host, forge, accountId, ownerIds: (login) => (login.toLowerCase() === seed.login.toLowerCase() ? ownerId : null) },
    seed.repositories.map((partial) => repository(seed, partial)),
    new Map(),
    at,
  );
  recordAccountResult(db, accountId, { runId: 0, status: "ok", reason: null, error: null, at });
}

const languages = ["Python", "TypeScript", "Java", "PHP", "JavaScript", "Go", null] as const;
const licenses = ["MIT", "AGPL-3.0", "EUPL-1.2", "Apache-2.0", "other", null] as const;
const themes = ["cartographie", "open-data", "accessibilite", "impots", "sante", "education"] as const;

/** 30 generated repositories of an owner, varied enough to facet, sort and paginate. */
function generated(prefix: string, count: number, offset = 0): OwnerSeed["repositories"] {
  return Array.from({ length: count }, (_, index) => {
    const i = index + offset;
    const year = 2015 + (i % 11);
    return {
      name: `${prefix}-${String(i).padStart(2, "0")}`,
      description: `Outil numéro ${i} pour les services publics (${themes[i % themes.length]})`,
      language: languages[i % languages.length],
      license: licenses[i % licenses.length],
      topics: [themes[i % themes.length]!, ...(i % 4 === 0 ? ["france"] : [])],
      stars: (i * 37) % 200,
      forks: (i * 13) % 40,
      openIssues: i % 9,
      archived: i % 10 === 9,
      fork: i % 12 === 11,
      createdAt: `${year - 1}-0${1 + (i % 9)}-12T10:00:00Z`,
      pushedAt: `${year}-0${1 + (i % 9)}-1${i % 10}T10:00:00Z`,
    };
  });
}

export interface RunSeed {
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  results: { host: string; login: string; status: "ok" | "failed" | "skipped"; reason?: string; message?: string; repositories?: number }[];
}

export function seedRun(db: Db, run: RunSeed): number {
  const runId = startRun(db, "schedule", run.startedAt);
  let failed = 0;
  let skipped = 0;
  for (const result of run.results) {
    recordRunAccount(db, runId, {
      host: result.host,
      login: result.login,
      status: result.status,
      reason: result.reason ?? null,
      message: result.message ?? null,
      repositories: result.repositories ?? 0,
      durationMs: 1200,
    });
    if (result.status === "failed") failed++;
    if (result.status === "skipped") skipped++;
    if (result.status !== "skipped") {
      const accountId = ensureAccount(db, result.host, result.login);
      recordAccountResult(db, accountId, { runId, status: result.status, reason: result.reason ?? null, error: result.message ?? null, at: run.finishedAt });
    }
  }
  finishRun(db, runId, run.status, {
    accountsTotal: run.results.length,
    accountsFailed: failed,
    accountsSkipped: skipped,
    repositoriesSeen: run.results.reduce((n, r) => n + (r.repositories ?? 0), 0),
    repositoriesAdded: 3,
    repositoriesUpdated: 5,
    repositoriesRemoved: 1,
    requests: 120,
    notModified: 80,
    rateLimitWaits: 0,
  }, run.finishedAt);
  return runId;
}

/** The standard fixture: `seededRepositories` live repositories, 7 owner rows on 3 forges, 2 runs. */
export function seedCatalogue(db: Db): void {
  seedOwner(db, {
    host: "github.com",
    login: "etalab",
    owner: { name: "Etalab", description: "Département de la DINUM", website: "https://www.etalab.gouv.fr", location: "Paris", verified: true },
    psoId: bodies.etalab,
    flossPolicy: "https://code.gouv.fr/fr/politique",
    repositories: [
      {
        name: "udata",
        description: "Plateforme de données ouvertes, moteur de data.gouv.fr",
        homepage: "https://udata.readthedocs.io",
        language: "Python",
        license: "AGPL-3.0",
        topics: ["open-data", "plateforme", "france"],
        stars: 1250,
        forks: 410,
        openIssues: 42,
        createdAt: "2013-11-05T10:00:00Z",
        pushedAt: "2025-06-10T08:30:00Z",
      },
      {
        name: "api-adresse",
        description: "Géocodage des adresses françaises",
        language: "JavaScript",
        license: "MIT",
        topics: ["cartographie", "adresse"],
        stars: 300,
        forks: 95,
        pushedAt: "2025-05-20T08:30:00Z",
      },
      ...generated("etalab-outil", 16),
    ],
  });
  seedOwner(db, {
    host: "github.com",
    login: "betagouv",
    owner: { name: "beta.gouv.fr", description: "Incubateur de services numériques" },
    psoId: bodies.betagouv,
    repositories: [
      { name: "mon-entreprise", description: "Simulateur de cotisations et d’impôts", language: "TypeScript", license: "MIT", topics: ["impots", "simulateur"], stars: 620, forks: 120, pushedAt: "2025-06-12T08:30:00Z" },
      { name: "ancien-site", description: "Ancien site, archivé", language: "Ruby", license: "MIT", archived: true, stars: 12, forks: 3, pushedAt: "2017-02-01T08:30:00Z" },
      ...generated("beta-service", 12, 16),
    ],
  });
  seedOwner(db, {
    host: "github.com",
    login: "MTES-MCT",
    owner: { name: "Ministère de la Transition écologique" },
    psoId: bodies.ecologyMinistry,
    repositories: [{ name: "carte-eau", description: "Carte de la qualité de l’eau", language: "Python", license: "EUPL-1.2", topics: ["cartographie", "eau"], stars: 40, forks: 8, pushedAt: "2025-03-03T08:30:00Z" }],
  });
  seedOwner(db, {
    host: "gitlab.com",
    login: "dinum/outils",
    owner: { name: "Outils DINUM", kind: "group" },
    psoId: bodies.dinum,
    repositories: [
      { name: "gabarit", fullName: "dinum/outils/gabarit", description: "Gabarit de projet", language: "Go", license: "MIT", topics: ["gabarit"], stars: 5, forks: 1, template: true, pushedAt: "2024-11-03T08:30:00Z" },
      { name: "formulaires", fullName: "dinum/outils/sous-groupe/formulaires", owner: "dinum/outils/sous-groupe", description: "Formulaires accessibles", language: "TypeScript", license: "EUPL-1.2", topics: ["accessibilite"], stars: 9, forks: 2, pushedAt: "2025-01-15T08:30:00Z" },
    ],
  });
  // A whole self-hosted instance: one account (login ""), owners found by walking it.
  seedOwner(db, {
    host: "gitlab.example.fr",
    login: "sig/cartes",
    accountLogin: "",
    owner: { name: "SIG – cartes", kind: "group" },
    psoId: bodies.unlisted,
    repositories: [
      { name: "fonds-de-carte", fullName: "sig/cartes/fonds-de-carte", description: "Fonds de carte vectoriels", language: "JavaScript", license: "other", topics: ["cartographie"], stars: 2, forks: 0, pushedAt: "2023-09-01T08:30:00Z" },
    ],
  });
  seedOwner(db, {
    host: "github.com",
    login: "ville-exemple",
    owner: { name: "Ville d’Exemple" },
    repositories: [
      { name: "budget", description: "Budget de la ville en données ouvertes", language: "R", license: null, topics: ["open-data"], stars: 3, forks: 1, pushedAt: "2022-04-01T08:30:00Z" },
      { name: "fork-de-udata", description: "Notre copie de udata", language: "Python", license: "AGPL-3.0", fork: true, stars: 0, forks: 0, pushedAt: "2021-04-01T08:30:00Z" },
    ],
  });
  seedOwner(db, {
    host: "github.com",
    login: "inconnu",
    owner: { name: null },
    psoId: bodies.nil,
    repositories: [{ name: "script", description: null, language: "Shell", license: null, stars: 0, forks: 0, pushedAt: "2020-01-01T08:30:00Z" }],
  });

  seedRun(db, {
    status: "succeeded",
    startedAt: "2025-06-13T03:17:00Z",
    finishedAt: "2025-06-13T03:21:30Z",
    results: [
      { host: "github.com", login: "etalab", status: "ok", repositories: 18 },
      { host: "github.com", login: "betagouv", status: "ok", repositories: 14 },
    ],
  });
  seedRun(db, {
    status: "partial",
    startedAt: "2025-06-14T03:17:00Z",
    finishedAt: "2025-06-14T03:19:05Z",
    results: [
      { host: "github.com", login: "etalab", status: "ok", repositories: 18 },
      { host: "github.com", login: "betagouv", status: "ok", repositories: 14 },
      { host: "github.com", login: "MTES-MCT", status: "ok", repositories: 1 },
      { host: "gitlab.com", login: "dinum/outils", status: "ok", repositories: 2 },
      { host: "gitlab.example.fr", login: "", status: "ok", repositories: 1 },
      { host: "github.com", login: "ministere-disparu", status: "failed", reason: "not_found", message: "GET /orgs/ministere-disparu: 404 Not Found" },
      { host: "forge.example.org", login: "", status: "skipped", reason: "unsupported_forge", message: "forge type \"gitea\" is not supported yet" },
    ],
  });
}

/** How many live repositories seedCatalogue writes. */
export const seededRepositories = 18 + 14 + 1 + 2 + 1 + 2 + 1;

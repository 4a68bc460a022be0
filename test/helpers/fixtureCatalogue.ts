// Writes the fixture catalogue (test/fixtures/catalogue.ts) through the
// harvester's own store functions, as a harvest would: forges, accounts,
// owners with their pso_id, repositories, then removals.
import { ensureAccount, loadKnownRepositories, markRemoved, upsertForge, upsertOwner, upsertRepositories } from "../../src/store/harvestStore.ts";
import type { HarvestedRepository } from "../../src/forges/forge.ts";
import type { Db } from "../../src/store/database.ts";
import { fixtureNow, fixtureOwners, fixtureRepositories, type FixtureOwner, type FixtureRepository } from "../fixtures/catalogue.ts";

export function forgeOf(host: string): "github" | "gitlab" {
  return host === "github.com" ? "github" : "gitlab";
}

export function toHarvested(repository: FixtureRepository, forgeId: string): HarvestedRepository {
  const fullName = `${repository.owner}/${repository.name}`;
  const pushedAt = repository.pushedAt === undefined ? "2025-01-01T00:00:00.000Z" : repository.pushedAt === null ? null : new Date(`${repository.pushedAt}T10:00:00Z`).toISOString();
  return {
    forgeId,
    owner: repository.owner,
    name: repository.name,
    fullName,
    url: `https://${repository.host}/${fullName}`,
    description: repository.description,
    homepage: null,
    language: repository.language,
    license: repository.license,
    topics: repository.topics ?? [],
    stars: repository.stars ?? 0,
    forks: repository.forks ?? 0,
    openIssues: 0,
    archived: repository.archived ?? false,
    fork: repository.fork ?? false,
    template: false,
    defaultBranch: "main",
    createdAt: "2015-06-01T00:00:00.000Z",
    updatedAt: pushedAt,
    pushedAt,
  };
}

/** Writes owners and repositories (default: the whole fixture) into `db`; returns the live count. */
export function loadFixtureCatalogue(
  db: Db,
  owners: FixtureOwner[] = fixtureOwners,
  repositories: FixtureRepository[] = fixtureRepositories,
  now = fixtureNow.toISOString(),
): number {
  db.$client.transaction(() => {
    for (const host of new Set(owners.map((owner) => owner.host))) {
      upsertForge(db, { host, type: forgeOf(host), apiUrl: `https://${host}/api` }, now);
    }
    for (const owner of owners) {
      // A user namespace without an owner row comes from harvesting its whole instance (login "").
      const accountId = ensureAccount(db, owner.host, owner.hasRow === false ? "" : owner.login);
      const ownerId =
        owner.hasRow === false
          ? null
          : upsertOwner(
              db,
              owner.host,
              { login: owner.login, forgeId: `owner-${owner.login}`, kind: owner.kind, name: owner.name, description: null, website: null, email: null, location: null, avatarUrl: null, verified: null, createdAt: null },
              { psoId: owner.psoId },
              now,
            );
      const mine = repositories.filter((repository) => repository.host === owner.host && repository.owner === owner.login);
      // The forge id must be unique per host, also across calls (a later "harvest" adds to the catalogue).
      const batch = mine.map((repository) => toHarvested(repository, `${repository.owner}/${repository.name}`));
      upsertRepositories(db, { host: owner.host, forge: forgeOf(owner.host), accountId, ownerIds: () => ownerId }, batch, new Map(), now);
      const present = new Set(batch.filter((_, i) => !mine[i]!.removed).map((repository) => repository.forgeId));
      markRemoved(db, accountId, present, loadKnownRepositories(db, owner.host, accountId), now);
    }
  })();
  return repositories.filter((repository) => !repository.removed).length;
}

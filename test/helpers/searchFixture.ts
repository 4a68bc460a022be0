// The fixture catalogue in a temporary database, with a search engine over it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openSearchEngine, type IndexedSearchEngine, type SearchEngineOptions } from "../../src/search/engine.ts";
import type { SearchFilters, SearchQuery, SimilarMatch } from "../../src/search/types.ts";
import { readPublicBodies } from "../../src/sources/publicBodies.ts";
import { fixtureNow } from "../fixtures/catalogue.ts";
import { loadFixtureCatalogue } from "./fixtureCatalogue.ts";
import type { ReuseRepositoryInput } from "../../src/reuse/graph.ts";
import { rebuildReuse } from "../../src/reuse/rebuild.ts";
import type { Db } from "../../src/store/database.ts";
import { loadReuseInputs } from "../../src/store/reuseInputs.ts";
import { tempDatabase, type TempDatabase } from "./tempDatabase.ts";

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const publicBodiesFile = path.join(rootDir, "data", "public-bodies.yml");
export const publicBodies = readPublicBodies(publicBodiesFile);

export interface SearchFixture extends TempDatabase {
  engine: IndexedSearchEngine;
  indexDir: string;
  /** Options to open another engine on the same database and index folder. */
  options: SearchEngineOptions;
}

/** Builds on the calling thread unless told otherwise: the worker path has its own tests. */
export async function searchFixture(overrides: Partial<SearchEngineOptions> = {}): Promise<SearchFixture> {
  const temp = tempDatabase();
  loadFixtureCatalogue(temp.db);
  // Issue 10: ranking and the reuse sort and filter read the stored reuse graph.
  rebuildReuse(temp.db, fixtureReuseInputs(temp.db), fixtureNow);
  const indexDir = path.join(temp.dir, "index");
  const options: SearchEngineOptions = { db: temp.db, indexDir, publicBodiesFile, now: () => fixtureNow, buildIn: "process", ...overrides };
  const engine = await openSearchEngine(options);
  return { ...temp, engine, indexDir, options };
}

export function query(q: string, filters: SearchFilters = {}, more: Partial<SearchQuery> = {}): SearchQuery {
  return { q, filters, sort: "relevance", page: 1, perPage: 100, ...more };
}

/** "<host>/<full name>" of each item. */
export function ids(items: { host: string; fullName: string }[]): string[] {
  return items.map((item) => `${item.host}/${item.fullName}`);
}

/** The ids of similar repositories (findSimilar, storedSimilar), without their reasons. */
export function similarIds(matches: SimilarMatch[]): string[] {
  return ids(matches.map((match) => match.row));
}

/**
 * The fixture's reuse evidence (issue 10), as the harvest would store it:
 * codeursenliberte/udata forks etalab/udata; udata publishes the PyPI package
 * udata, which udata-front (same owner) and ville-de-paris/paris-open-data-scripts
 * need; IGNF/geoportal-access-lib publishes an npm package used by IGNF's
 * cartes.gouv.fr and Loire-Atlantique's transport-scolaire; decidim-app
 * declares two users in its publiccode.yml.
 */
export function fixtureReuseInputs(db: Db): ReuseRepositoryInput[] {
  const more: Record<string, Partial<ReuseRepositoryInput>> = {
    "github.com/codeursenliberte/udata": { fork: true, forkParent: { host: "github.com", forgeId: null, fullName: "etalab/udata" } },
    "github.com/etalab/udata": { publishes: [{ ecosystem: "pypi", name: "udata" }] },
    "github.com/etalab/udata-front": { dependencies: [{ ecosystem: "pypi", name: "udata", scope: "runtime", requirement: ">=9" }] },
    "github.com/ville-de-paris/paris-open-data-scripts": { dependencies: [{ ecosystem: "pypi", name: "udata", scope: "runtime", requirement: null }, { ecosystem: "pypi", name: "requests", scope: "runtime", requirement: null }] },
    "github.com/IGNF/geoportal-access-lib": { publishes: [{ ecosystem: "npm", name: "geoportal-access-lib" }] },
    "github.com/IGNF/cartes.gouv.fr": { dependencies: [{ ecosystem: "npm", name: "geoportal-access-lib", scope: "runtime", requirement: "^3.0.0" }] },
    "github.com/departement-loire-atlantique/transport-scolaire": { dependencies: [{ ecosystem: "npm", name: "geoportal-access-lib", scope: "runtime", requirement: null }] },
    "gitlab.com/incubateur-territoires/communs/decidim-app": { declared: { usedBy: ["Ville de Lyon", "Région Bretagne"], isBasedOn: [], dependsOn: [] } },
  };
  return loadReuseInputs(db).map((input) => ({ ...input, ...more[input.id] }));
}

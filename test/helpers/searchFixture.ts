// The fixture catalogue in a temporary database, with a search engine over it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openSearchEngine, type IndexedSearchEngine, type SearchEngineOptions } from "../../src/search/engine.ts";
import type { SearchFilters, SearchQuery } from "../../src/search/types.ts";
import { readPublicBodies } from "../../src/sources/publicBodies.ts";
import { fixtureNow } from "../fixtures/catalogue.ts";
import { loadFixtureCatalogue } from "./fixtureCatalogue.ts";
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

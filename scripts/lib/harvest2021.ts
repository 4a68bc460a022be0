// Reads the last open-data harvest of French public-sector repositories
// (../shared/data/codegouvfr/harvest-2021-11-15, Licence Ouverte 2.0): 9,157
// repositories with real names and descriptions, for benchmarks and opt-in
// tests only. Never copied into the project; absent on a fresh clone.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HarvestedRepository } from "../../src/forges/forge.ts";
import type { Db } from "../../src/store/database.ts";
import { ensureAccount, upsertForge, upsertOwner, upsertRepositories } from "../../src/store/harvestStore.ts";
import { parseCsvRecords } from "./csv.ts";

export const harvest2021Dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/data/codegouvfr/harvest-2021-11-15");

export interface Harvest2021Repository extends Omit<HarvestedRepository, "forgeId" | "changeMarker"> {
  host: string;
  forge: "github" | "gitlab";
}

export interface Harvest2021Organization {
  host: string;
  login: string;
  name: string | null;
}

// The 2021 files name licences as GitHub displays them; the catalogue keeps SPDX ids.
const spdx: Record<string, string> = {
  "MIT License": "MIT",
  Other: "other",
  "GNU General Public License v3.0": "GPL-3.0",
  "GNU Affero General Public License v3.0": "AGPL-3.0",
  "Apache License 2.0": "Apache-2.0",
  "GNU Lesser General Public License v2.1": "LGPL-2.1",
  'BSD 3-Clause "New" or "Revised" License': "BSD-3-Clause",
  "GNU General Public License v2.0": "GPL-2.0",
  "GNU Lesser General Public License v3.0": "LGPL-3.0",
  "Eclipse Public License 2.0": "EPL-2.0",
  "Eclipse Public License 1.0": "EPL-1.0",
  "Mozilla Public License 2.0": "MPL-2.0",
  "European Union Public License 1.2": "EUPL-1.2",
  'BSD 2-Clause "Simplified" License': "BSD-2-Clause",
  "ISC License": "ISC",
  "Creative Commons Attribution Share Alike 4.0 International": "CC-BY-SA-4.0",
  "Creative Commons Attribution 4.0 International": "CC-BY-4.0",
  "The Unlicense": "Unlicense",
  "Creative Commons Zero v1.0 Universal": "CC0-1.0",
  "European Union Public License 1.1": "EUPL-1.1",
  "Do What The Fuck You Want To Public License": "WTFPL",
  "CeCILL Free Software License Agreement v2.1": "CECILL-2.1",
  "PostgreSQL License": "PostgreSQL",
  "BSD Zero Clause License": "0BSD",
};

const date = (value: string | undefined) => (value ? new Date(value).toISOString() : null);
const text = (value: string | undefined) => (value && value.trim() !== "" ? value.trim() : null);
const count = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : 0);

/** The harvest's repositories and organisations, or null when the folder is absent. */
export function readHarvest2021(dir = harvest2021Dir): { repositories: Harvest2021Repository[]; organizations: Harvest2021Organization[] } | null {
  const csv = path.join(dir, "repositories_csv_all.csv");
  if (!fs.existsSync(csv)) return null;
  const repositories: Harvest2021Repository[] = [];
  for (const row of parseCsvRecords(fs.readFileSync(csv, "utf8"))) {
    const url = new URL(row.repository_url!);
    const segments = url.pathname.split("/").filter(Boolean);
    if (segments.length < 2) continue;
    const owner = segments.slice(0, -1).join("/");
    const name = segments[segments.length - 1]!;
    repositories.push({
      host: url.host,
      forge: url.host === "github.com" ? "github" : "gitlab",
      owner,
      name,
      fullName: `${owner}/${name}`,
      url: url.href,
      description: text(row.description),
      homepage: text(row.homepage),
      language: text(row.language),
      license: row.license ? (spdx[row.license] ?? "other") : null,
      topics: (row.topics ?? "").split(",").map((topic) => topic.trim().toLowerCase()).filter(Boolean),
      stars: count(row.stars_count),
      forks: count(row.forks_count),
      openIssues: count(row.open_issues_count),
      archived: row.is_archived === "True",
      fork: row.is_fork === "True",
      template: false,
      defaultBranch: null,
      createdAt: date(row.creation_date),
      updatedAt: date(row.last_update),
      pushedAt: date(row.last_modification || row.last_update),
    });
  }
  const organizations = (JSON.parse(fs.readFileSync(path.join(dir, "organizations_json_all.json"), "utf8")) as { login: string; name: string | null; organization_url: string }[]).map((org) => {
    const url = new URL(org.organization_url);
    return { host: url.host, login: org.login, name: org.name };
  });
  return { repositories, organizations };
}

/**
 * Writes the harvest as it is into a catalogue database, through the store
 * functions: one account and owner per owner path, names from the
 * organisations file. Duplicate ids (the files list a few twice) are kept once.
 */
export function loadHarvest2021(db: Db, harvest: NonNullable<ReturnType<typeof readHarvest2021>>, now: string): number {
  const names = new Map(harvest.organizations.map((org) => [`${org.host}/${org.login}`.toLowerCase(), org.name]));
  const byOwner = new Map<string, Harvest2021Repository[]>();
  const seen = new Set<string>();
  for (const repository of harvest.repositories) {
    const id = `${repository.host}/${repository.fullName}`.toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    const key = `${repository.host}/${repository.owner}`;
    byOwner.set(key, [...(byOwner.get(key) ?? []), repository]);
  }
  db.$client.transaction(() => {
    for (const host of new Set(harvest.repositories.map((repository) => repository.host))) {
      upsertForge(db, { host, type: host === "github.com" ? "github" : "gitlab", apiUrl: `https://${host}/api` }, now);
    }
    for (const repositories of byOwner.values()) {
      const { host, owner, forge } = repositories[0]!;
      const accountId = ensureAccount(db, host, owner);
      const ownerId = upsertOwner(
        db,
        host,
        { login: owner, forgeId: null, kind: forge === "github" ? "organization" : "group", name: names.get(`${host}/${owner}`.toLowerCase()) ?? null, description: null, website: null, email: null, location: null, avatarUrl: null, verified: null, createdAt: null },
        {},
        now,
      );
      const batch = repositories.map(({ host: _host, forge: _forge, ...fields }) => ({ ...fields, forgeId: fields.fullName }));
      upsertRepositories(db, { host, forge, accountId, ownerIds: () => ownerId }, batch, new Map(), now);
    }
  })();
  return seen.size;
}

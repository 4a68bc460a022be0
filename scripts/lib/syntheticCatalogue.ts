// Fills a catalogue database with N realistic repositories, for benchmarks.
// With ../shared/data present, it resamples and mutates the 2021 harvest (real
// names, descriptions, languages, licences, topics, stars and dates, owners
// reused with suffixes); without it, it writes generated French and English
// text. Owners get pso_ids: the ids of data/public-bodies.yml and made-up
// ones. Written through the harvester's store functions, like a harvest.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { HarvestedRepository } from "../../src/forges/forge.ts";
import { mulberry32 as seededRandom } from "../../test/fake-forge/random.ts";
import type { Db } from "../../src/store/database.ts";
import { ensureAccount, upsertForge, upsertOwner, upsertRepositories } from "../../src/store/harvestStore.ts";
import { readHarvest2021, type Harvest2021Repository } from "./harvest2021.ts";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface SyntheticCatalogueOptions {
  /** Live repositories to write. */
  count: number;
  seed?: number;
  /** The 2021 harvest to resample; null for generated text. Default: read from ../shared/data when present. */
  harvest?: ReturnType<typeof readHarvest2021>;
  /** Dates are never after it. */
  now?: Date;
}

export interface SyntheticCatalogue {
  repositories: number;
  owners: number;
  source: "harvest-2021" | "generated";
}


/** The pso_ids data/public-bodies.yml names (ministries and bodies). */
function directoryIds(): string[] {
  const file = path.join(rootDir, "data", "public-bodies.yml");
  if (!fs.existsSync(file)) return [];
  const data = parse(fs.readFileSync(file, "utf8")) as { ministries?: Record<string, unknown>; bodies?: Record<string, unknown> };
  return [...Object.keys(data.ministries ?? {}), ...Object.keys(data.bodies ?? {})];
}

function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// Generated text, when the 2021 harvest is absent: the words public-sector repositories use.
const vocabulary = {
  frThings: ["Application", "Outil", "Plateforme", "Service", "Module", "Bibliothèque", "Tableau de bord", "API", "Portail", "Script", "Site", "Extension", "Connecteur", "Simulateur", "Moteur de recherche"],
  frActions: ["de gestion", "de suivi", "de publication", "de visualisation", "de saisie", "d'analyse", "de collecte", "de signalement", "de cartographie", "de traitement", "d'archivage", "de réservation"],
  frObjects: ["des données ouvertes", "des demandes de subvention", "des marchés publics", "des équipements sportifs", "des déchets", "des adresses", "des établissements scolaires", "des rendez-vous", "des dossiers administratifs", "des arrêtés municipaux", "de la qualité de l'air", "des transports en commun", "des délibérations", "des offres d'emploi", "des élections", "des aides sociales", "du cadastre", "des risques naturels"],
  frAudiences: ["pour les collectivités territoriales", "pour les agents publics", "des services de l'État", "pour les communes", "des préfectures", "des hôpitaux", "pour les citoyens", "des universités", "pour les associations", "des académies"],
  enThings: ["Tool", "Library", "Platform", "Dashboard", "Service", "API client", "Command-line tool", "Plugin", "Framework", "Data pipeline"],
  enActions: ["to manage", "to publish", "to visualise", "to collect", "to analyse", "to validate", "to geocode", "to search", "to archive", "to monitor"],
  enObjects: ["open data", "public procurement", "addresses", "air quality measurements", "public transport timetables", "election results", "health data", "administrative forms", "land registry data", "research datasets", "satellite images", "legal texts"],
  enAudiences: ["for local authorities", "for public servants", "for researchers", "for citizens", "for ministries", "for hospitals"],
  nameHeads: ["api", "app", "outil", "portail", "data", "geo", "suivi", "gestion", "carto", "open", "simulateur", "tableau", "lib", "client", "scripts"],
  nameTails: ["adresses", "marches", "dechets", "subventions", "elections", "transport", "sante", "education", "emploi", "cadastre", "risques", "air", "budget", "rh", "archives"],
  languages: ["Python", "Python", "JavaScript", "JavaScript", "TypeScript", "Java", "PHP", "R", "Jupyter Notebook", "Go", "Ruby", "C++", "Shell", "HTML", "Vue", null, null],
  licenses: ["MIT", "MIT", "AGPL-3.0", "GPL-3.0", "Apache-2.0", "EUPL-1.2", "LGPL-3.0", "BSD-3-Clause", "other", null, null, null, null],
  topics: ["open-data", "python", "api", "dataviz", "cartographie", "collectivites", "sante", "education", "transport", "environnement", "r", "javascript", "machine-learning", "accessibilite"],
  hosts: ["github.com", "github.com", "github.com", "gitlab.com", "gitlab.inria.fr", "forgemia.inra.fr", "gitlab.huma-num.fr", "forge.apps.education.fr"],
};

type Base = Omit<Harvest2021Repository, "owner" | "fullName" | "url">;

function generatedBase(next: () => number): Base {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const v = vocabulary;
  const french = next() < 0.65;
  const description = french ? `${pick(v.frThings)} ${pick(v.frActions)} ${pick(v.frObjects)} ${pick(v.frAudiences)}` : `${pick(v.enThings)} ${pick(v.enActions)} ${pick(v.enObjects)} ${pick(v.enAudiences)}`;
  const host = pick(v.hosts);
  const pushed = Date.UTC(2014, 0, 1) + next() * (Date.UTC(2026, 10, 1) - Date.UTC(2014, 0, 1));
  return {
    host,
    forge: host === "github.com" ? "github" : "gitlab",
    name: `${pick(v.nameHeads)}-${pick(v.nameTails)}`,
    description: next() < 0.1 ? null : description,
    homepage: null,
    language: pick(v.languages),
    license: pick(v.licenses),
    topics: [...new Set(Array.from({ length: Math.floor(next() ** 2 * 4) }, () => pick(v.topics)))],
    stars: Math.floor(next() ** 6 * 500),
    forks: Math.floor(next() ** 7 * 150),
    openIssues: Math.floor(next() ** 5 * 40),
    archived: next() < 0.05,
    fork: next() < 0.07,
    template: false,
    defaultBranch: "main",
    createdAt: new Date(pushed - next() * 3 * 365 * 86_400_000).toISOString(),
    updatedAt: new Date(pushed).toISOString(),
    pushedAt: new Date(pushed).toISOString(),
  };
}

/** A real repository, lightly changed: another one's description now and then, dates moved. */
function resampledBase(real: Harvest2021Repository[], next: () => number, now: number): Base {
  const pick = () => real[Math.floor(next() * real.length)]!;
  const { owner: _owner, fullName: _fullName, url: _url, ...base } = pick();
  const roll = next();
  let description = base.description;
  if (roll < 0.15) description = pick().description;
  else if (roll < 0.3 && description) description = `${description} ${(pick().description ?? "").split(/\s+/).slice(0, 8).join(" ")}`.trim();
  const shift = (iso: string | null) => (iso ? new Date(Math.min(now, Date.parse(iso) + (next() - 0.3) * 2 * 365 * 86_400_000)).toISOString() : null);
  return {
    ...base,
    description,
    language: next() < 0.1 ? pick().language : base.language,
    createdAt: shift(base.createdAt),
    updatedAt: shift(base.updatedAt),
    pushedAt: shift(base.pushedAt),
  };
}

export function fillSyntheticCatalogue(db: Db, options: SyntheticCatalogueOptions): SyntheticCatalogue {
  const next = seededRandom(options.seed ?? 2021);
  const now = (options.now ?? new Date()).getTime();
  const nowIso = new Date(now).toISOString();
  const harvest = options.harvest === undefined ? readHarvest2021() : options.harvest;
  const real = harvest?.repositories ?? [];
  const psoIds = [...directoryIds(), ...Array.from({ length: 200 }, () => uuid(next))];

  // Owners: real ones (host, login, name) reused with a suffix when more are needed; about 8 repositories each, skewed.
  const ownerCount = Math.max(10, Math.round(options.count / 8));
  const realOwners = harvest ? [...new Map(real.map((r) => [`${r.host}/${r.owner}`, { host: r.host, login: r.owner }])).values()] : [];
  const names = new Map(harvest?.organizations.map((org) => [`${org.host}/${org.login}`.toLowerCase(), org.name]) ?? []);
  const owners = Array.from({ length: ownerCount }, (_, i) => {
    const model = realOwners.length > 0 ? realOwners[i % realOwners.length]! : { host: vocabulary.hosts[i % vocabulary.hosts.length]!, login: `organisme-${i}` };
    const round = realOwners.length > 0 ? Math.floor(i / realOwners.length) : 0;
    const login = round === 0 ? model.login : `${model.login}-${round + 1}`;
    return { host: model.host, login, name: names.get(`${model.host}/${model.login}`.toLowerCase()) ?? null, psoId: next() < 0.85 ? psoIds[Math.floor(next() * psoIds.length)]! : undefined, repositories: [] as HarvestedRepository[] };
  });

  const taken = new Set<string>();
  for (let i = 0; i < options.count; i++) {
    // Squaring skews towards the first owners: a few publish a lot, most a little.
    const owner = owners[Math.floor(next() ** 2 * owners.length)]!;
    const base = real.length > 0 ? resampledBase(real, next, now) : generatedBase(next);
    let name = base.name;
    for (let n = 2; taken.has(`${owner.host}/${owner.login}/${name}`.toLowerCase()); n++) name = `${base.name}-${n}`;
    taken.add(`${owner.host}/${owner.login}/${name}`.toLowerCase());
    const { host: _host, forge: _forge, ...fields } = base;
    owner.repositories.push({ ...fields, forgeId: `synthetic-${i}`, owner: owner.login, name, fullName: `${owner.login}/${name}`, url: `https://${owner.host}/${owner.login}/${name}` });
  }

  db.$client.transaction(() => {
    for (const host of new Set(owners.map((owner) => owner.host))) {
      upsertForge(db, { host, type: host === "github.com" ? "github" : "gitlab", apiUrl: `https://${host}/api` }, nowIso);
    }
    for (const owner of owners) {
      const accountId = ensureAccount(db, owner.host, owner.login);
      const ownerId = upsertOwner(
        db,
        owner.host,
        { login: owner.login, forgeId: null, kind: owner.host === "github.com" ? "organization" : "group", name: owner.name, description: null, website: null, email: null, location: null, avatarUrl: null, verified: null, createdAt: null },
        { psoId: owner.psoId },
        nowIso,
      );
      upsertRepositories(db, { host: owner.host, forge: owner.host === "github.com" ? "github" : "gitlab", accountId, ownerIds: () => ownerId }, owner.repositories, new Map(), nowIso);
    }
  })();
  return { repositories: options.count, owners: owners.length, source: harvest ? "harvest-2021" : "generated" };
}

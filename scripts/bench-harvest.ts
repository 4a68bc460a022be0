// Harvest benchmark: large fake forges harvested into a fresh database, then
// harvested again. One scenario per forge:
//   github           2,000 accounts and 60,000 repositories (heavy-tailed account
//                    sizes): a first run, then an unchanged run (ETags, 304s);
//   gitlab-groups    the top-level groups of an instance of 20,000 projects as
//                    group accounts, each with two levels of subgroups;
//   gitlab-instance  the same instance harvested whole (keyset pagination);
// the GitLab scenarios run a third time after 1% of the projects had activity;
//   gitea            500 accounts and 15,000 repositories on a fake Gitea whose
//                    pages are capped at 50 (issue 8);
//   gitea-burst      the same, with 10 % of the pages answering 502 three times
//                    before they answer (in every run): retries must lose nothing;
// the Gitea scenarios run a third time after 1% of the repositories were pushed.
// Every run also reports its data completeness: live repositories in the
// catalogue / repositories on the fake forge (must be 100 %).
// Reports, per run: wall and CPU time, repositories per second, requests (per
// repository, answered 304), rows written, peak RSS and heap (sampled).
//
// Profiles (issue 9): the fakes carry root files (README, LICENSE,
// publiccode.yml...), releases and tags for most repositories, and the harvest
// fetches each repository's profile when new or pushed. The profile requests
// are counted apart (profile req/repo): a first run, then none on an
// unchanged run. --no-profiles measures the listing alone, as before.
// Issue 10: the root files include package manifests in the shares public
// repositories have them (package.json on a third, requirements.txt, pom.xml,
// composer.json...), read in the same pass; GitHub's forks (15 %) name their
// parent in the GraphQL batch with a token, else cost one request more each
// (GET /repos/{owner}/{repo}).
// Each run also breaks the profile requests down by endpoint (a second table),
// 304s apart. The GitHub harvest has a token, so the latest releases come
// through GraphQL in batches; --no-token measures the REST path (one
// releases/latest per repository), as without GITHUB_TOKEN; --before serves
// the fakes without what spares profile requests since: GitHub and GitLab
// answer 404 to GraphQL (the REST fallback, a release request per
// repository), Gitea's listing has no `empty` nor `release_counter` (an older
// Gitea). With --no-token, the cost before on every forge.
//
//   npm run bench:harvest -- [--forge github|gitlab|all] [--accounts 2000] [--repositories 60000]
//                            [--projects 20000] [--groups 20] [--gitea-accounts 500]
//                            [--gitea-repositories 15000] [--concurrency 4] [--seed 1]
//                            [--no-profiles] [--no-token] [--before] [--out artifacts/bench-harvest.json]
//
// --accounts and --repositories shape the GitHub; --projects and --groups the
// GitLab instance (and so its group accounts). --forge also takes a scenario
// name (gitlab-instance). The table goes to stdout, progress to stderr, the
// report to --out.
//
// The fake forge runs in a child process: its data and rendering stay out of
// the memory figures, and it gets the second core as a real forge would be
// elsewhere.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/config.ts";
import { defaultRegistry } from "../src/forges/forgeTypes.ts";
import { runHarvest, type RunSummary } from "../src/harvest/harvester.ts";
import type { ForgeSource } from "../src/sources/sources.ts";
import { openDatabase } from "../src/store/database.ts";
import type { FakeHttpServer } from "../test/fake-forge/fakeHttp.ts";
import { FakeGitHub, type FakeRepoFields } from "../test/fake-forge/fakeGitHub.ts";
import { FakeGitea, type FakeGiteaRepoFields } from "../test/fake-forge/fakeGitea.ts";
import { FakeGitLab, populateInstance } from "../test/fake-forge/fakeGitLab.ts";
import { countLiveRepositories } from "../src/store/catalog.ts";
import { mulberry32 } from "../test/fake-forge/random.ts";

interface BenchOptions {
  /** GitHub accounts. */
  accounts: number;
  /** GitHub repositories, over all accounts. */
  repositories: number;
  /** GitLab projects, over the whole instance. */
  projects: number;
  /** GitLab top-level groups: the group accounts of gitlab-groups. */
  groups: number;
  /** Gitea accounts and repositories (issue 8). */
  giteaAccounts: number;
  giteaRepositories: number;
  /** Share of the Gitea pages answering 502 three times before answering (gitea-burst). */
  burstShare: number;
  concurrency: number;
  seed: number;
  /** Fetch repository profiles (issue 9). */
  profiles: boolean;
  /** Harvest the fake GitHub with a token (GraphQL batches of latest releases); false: the REST path. */
  token: boolean;
  /** --before: no GraphQL on the fakes (404), no `empty`/`release_counter` in the fake Gitea's listing. */
  before: boolean;
}

interface RunFigures {
  run: string;
  status: string;
  wallMs: number;
  cpuMs: number;
  repositories: number;
  repositoriesPerSecond: number;
  requests: number;
  requestsPerRepository: number;
  notModified: number;
  written: number;
  removed: number;
  failedAccounts: number;
  /** Live repositories in the catalogue / repositories on the fake forge, in %. */
  completeness: number;
  /** Requests retried after a transient failure. */
  retries: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** issue 9: profiles fetched, failed, and the requests they cost (counted by the fake). */
  profilesFetched: number;
  profilesFailed: number;
  profileRequests: number;
  profileRequestsPerRepository: number;
  /** Profile requests by endpoint ("root listing", "README and publiccode.yml", "graphql"...; 304s as "<endpoint> 304"), per repository. */
  profileEndpoints: Record<string, number>;
}

interface ScenarioResult {
  scenario: string;
  forge: FakeForge;
  /** Accounts of the source; null: the whole instance, as in the sources. */
  accounts: number | null;
  /** Repositories on the fake forge, harvested or not. */
  repositories: number;
  /** What the fake holds, for the reader: pages, groups, users. */
  fake: Record<string, number>;
  runs: RunFigures[];
}

// ---- deterministic GitHub data --------------------------------------------------

/**
 * Repository counts of `accounts` accounts summing to `total`, heavy-tailed
 * like the real list: most public bodies publish a handful, a few hundreds,
 * one or two thousands (several pages, some exactly full).
 */
function accountSizes(accounts: number, total: number, rand: () => number): number[] {
  const bands: [share: number, min: number, max: number][] = [
    [0.02, 0, 0],
    [0.48, 1, 10],
    [0.3, 11, 50],
    [0.15, 51, 150],
    [0.045, 151, 600],
    [0.005, 601, 3_000],
  ];
  const raw = Array.from({ length: accounts }, () => {
    let pick = rand();
    for (const [share, min, max] of bands) {
      if ((pick -= share) <= 0) return min + Math.floor(rand() * (max - min + 1));
    }
    return 1;
  });
  const sum = raw.reduce((a, b) => a + b, 0) || 1;
  const sizes = raw.map((n) => Math.floor((n * total) / sum));
  // Rounding leaves a remainder: the largest account takes it.
  const largest = sizes.indexOf(Math.max(...sizes));
  sizes[largest] = (sizes[largest] ?? 0) + total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

const licences = ["MIT", "Apache-2.0", "AGPL-3.0", "EUPL-1.2", "GPL-3.0", "NOASSERTION", null];
const languages = ["Python", "JavaScript", "TypeScript", "Java", "PHP", "Go", "R", "Shell", null];
const topics = ["open-data", "api", "gouv", "geo", "python", "django", "react", "accessibility", "santé", "éducation"];

function repoFields(rand: () => number, index: number): Partial<FakeRepoFields> {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;
  return {
    description: rand() < 0.85 ? `Outil numérique n°${index} pour les services publics — ${pick(topics)}` : null,
    homepage: rand() < 0.2 ? `https://outil-${index}.example.gouv.fr` : null,
    language: pick(languages),
    license: pick(licences),
    topics: Array.from({ length: Math.floor(rand() * 4) }, () => pick(topics)),
    stars: Math.floor(rand() ** 3 * 2_000),
    forks: Math.floor(rand() ** 3 * 300),
    openIssues: Math.floor(rand() * 20),
    archived: rand() < 0.1,
    fork: rand() < 0.15,
  };
}

// ---- repository content, for profiles (issue 9) --------------------------------

// One README text shared by every repository (the fake hashes it per request, as a forge would serve it).
const readmeText = ["# Outil numérique", "", "Un outil développé par un service public pour ses usagers.", "", "## Installation", "", "```sh\nnpm ci && npm start\n```", "", "## Licence", "", "Voir [LICENSE](LICENSE).", "", ...Array.from({ length: 40 }, (_, i) => `Paragraphe ${i} de la documentation, avec un [lien](docs/page-${i}.md) et du **texte**.`)].join("\n");
const publiccodeText = `publiccodeYmlVersion: "0.4"\nname: Outil\nurl: https://example.gouv.fr/outil\nplatforms: [web]\ncategories: [data-collection]\ndevelopmentStatus: stable\nsoftwareType: standalone/web\ndescription:\n  fr:\n    shortDescription: Un outil public\n    longDescription: Un outil développé par un service public pour ses usagers, réutilisable par d’autres administrations qui ont le même besoin et veulent partager les coûts.\n    features: [Saisie, Export]\nlegal:\n  license: EUPL-1.2\nmaintenance:\n  type: internal\n  contacts: [{ name: Équipe }]\nlocalisation:\n  localisationReady: true\n  availableLanguages: [fr]\n`;

/**
 * Root files of a repository as public-sector repositories have them: 5 %
 * empty, else a README for 85 %, a licence file for 65 %, publiccode.yml for
 * 6 % (a few as publiccode.yaml), contributing and changelog for some.
 */
function repoContent(rand: () => number): { files: Record<string, string>; release: boolean; tag: boolean } {
  if (rand() < 0.05) return { files: {}, release: false, tag: false };
  const files: Record<string, string> = { "src/": "", ".gitignore": "node_modules" };
  if (rand() < 0.85) files["README.md"] = readmeText;
  if (rand() < 0.65) files.LICENSE = "Licence text";
  if (rand() < 0.12) files["CONTRIBUTING.md"] = "Contributions welcome";
  if (rand() < 0.15) files["CHANGELOG.md"] = "## 1.0.0";
  const publiccode = rand();
  if (publiccode < 0.05) files["publiccode.yml"] = publiccodeText;
  else if (publiccode < 0.06) files["publiccode.yaml"] = publiccodeText;
  // Issue 10: package manifests, each in the share of repositories that has it.
  for (const [name, share] of manifestShares) if (rand() < share) files[name] = manifestTexts[name] ?? "";
  return { files, release: rand() < 0.2, tag: rand() < 0.15 };
}

// Issue 10: manifests as public-sector repositories have them at the root (a third are JavaScript; a few Python ones have a dev file too).
const manifestShares: [string, number][] = [
  ["package.json", 0.35], ["requirements.txt", 0.12], ["requirements-dev.txt", 0.03], ["pyproject.toml", 0.05], ["pom.xml", 0.08],
  ["composer.json", 0.06], ["go.mod", 0.03], ["Gemfile", 0.03], ["Cargo.toml", 0.01],
];
const manifestTexts: Record<string, string> = {
  "package.json": JSON.stringify({ name: "@organisme/outil", version: "1.2.0", dependencies: { react: "^18.2.0", "react-dom": "^18.2.0", express: "^4.19.0", "@gouvfr/dsfr": "^1.11.0" }, devDependencies: { typescript: "^5.4.0", vite: "^5.2.0", eslint: "^8.57.0" } }, null, 2),
  "requirements.txt": "Django>=4.2,<5\ndjangorestframework==3.15.1\npsycopg[binary]>=3.1\nrequests\ngunicorn\n",
  "requirements-dev.txt": "pytest\npytest-django\nruff\n",
  "pyproject.toml": '[project]\nname = "outil-public"\nversion = "1.0.0"\ndependencies = ["fastapi>=0.110", "sqlalchemy>=2", "pydantic>=2"]\n\n[project.optional-dependencies]\ndev = ["pytest", "ruff"]\n',
  "pom.xml": '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>fr.gouv.outil</groupId><artifactId>outil</artifactId><version>1.0.0</version><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId><version>3.2.5</version></dependency><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.10.2</version><scope>test</scope></dependency></dependencies></project>\n',
  "composer.json": JSON.stringify({ name: "organisme/outil", require: { php: ">=8.2", "symfony/framework-bundle": "^7.0", "doctrine/orm": "^3.1" }, "require-dev": { "phpunit/phpunit": "^11.0" } }, null, 2),
  "go.mod": "module github.com/organisme/outil\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgolang.org/x/text v0.14.0 // indirect\n)\n",
  Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'pg'\ngroup :development, :test do\n  gem 'rspec-rails'\nend\n",
  "Cargo.toml": '[package]\nname = "outil"\nversion = "0.1.0"\n\n[dependencies]\nserde = { version = "1", features = ["derive"] }\ntokio = "1"\n',
};

/** Paths of the profile requests, to count them apart from the listing's. */
const profilePaths: Record<FakeForge, RegExp> = {
  github: /^\/repos\/|^\/graphql$/,
  gitlab: /^\/api\/v4\/projects\/\d+\/(repository|releases)|^\/api\/graphql$/,
  gitea: /^\/api\/v1\/repos\/[^/]+\/[^/]+\/(contents|raw|releases|tags)/,
  "gitea-burst": /^\/api\/v1\/repos\/[^/]+\/[^/]+\/(contents|raw|releases|tags)/,
};

// Issue 10's manifests, told apart from the profile files by the file's name (the last path segment).
const manifestFile = /(^|\/|%2F)(package\.json|composer\.json|requirements[^/]*\.txt|pyproject\.toml|pom\.xml|go\.mod|Gemfile|Cargo\.toml)(\/raw)?$/;

/** The endpoint of a profile request, for the breakdown. */
function profileEndpoint(path: string): string {
  if (path === "/graphql") return "graphql (latest releases, fork parents)";
  // GitHub's repository detail: a fork's parent through REST (issue 10).
  if (/^\/repos\/[^/]+\/[^/]+$/.test(path)) return "repository (fork parent)";
  if (manifestFile.test(path) && /\/contents\/|\/repository\/files\/|\/raw\//.test(path)) return "files (manifests)";
  if (/\/releases\/latest$/.test(path)) return "releases/latest";
  if (path === "/api/graphql") return "graphql (latest releases)";
  if (/\/(releases)$/.test(path)) return "releases";
  if (/\/(repository\/)?tags$/.test(path)) return "tags";
  if (/\/repository\/tree$/.test(path) || /\/contents\/?$/.test(path)) return "root listing";
  if (/\/repository\/files\//.test(path) || /\/contents\/.+/.test(path) || /\/raw\//.test(path)) return "files (README, publiccode.yml)";
  return "other";
}

// ---- fake forges, each served from a child process ------------------------------

type FakeForge = "github" | "gitlab" | "gitea" | "gitea-burst";

/** What the child serving a fake forge tells the parent once it listens. */
interface FakeReady {
  url: string;
  /** The accounts to harvest: GitHub logins, or the full paths of GitLab's top-level groups. */
  logins: string[];
  repositories: number;
  /** GitLab: the projects of groups, all the group accounts can reach. */
  groupRepositories?: number;
  fake: Record<string, number>;
}

type ToFake = { type: "touch"; share: number } | { type: "profileRequests" } | { type: "stop" };
type FromFake = { type: "ready"; ready: FakeReady } | { type: "touched"; count: number } | { type: "profileRequests"; count: number; endpoints: Record<string, number> };

interface BuiltFake {
  server: FakeHttpServer;
  ready: Omit<FakeReady, "url">;
  /** Gives new activity to `share` of the repositories; returns how many. */
  touch?(share: number): number;
}

function buildFakeGitHub(options: BenchOptions): BuiltFake {
  const rand = mulberry32(options.seed);
  // The budget of a GitHub App installation on an enterprise: the benchmark measures the harvester, not the waits.
  const fake = new FakeGitHub({ rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } });
  fake.graphqlDisabled = options.before;
  const sizes = accountSizes(options.accounts, options.repositories, rand);
  // Its own sequence, so that the repositories are the same with or without content.
  const contentRand = mulberry32(options.seed + 1);
  const ids: number[] = [];
  const logins: string[] = [];
  let pages = 0;
  let index = 0;
  sizes.forEach((size, i) => {
    const organization = rand() < 0.7;
    const login = `${organization ? "org" : "user"}-${String(i).padStart(4, "0")}`;
    if (organization) fake.addOrg(login, { name: `Organisme ${i}`, description: "Un organisme public", blog: "www.example.gouv.fr", verified: rand() < 0.5 });
    else fake.addUser(login, { name: `Agent ${i}`, bio: "Agent public", location: "Paris" });
    for (let n = 0; n < size; n++) {
      const fields = repoFields(rand, index++);
      // Issue 10: GitHub names a fork's parent in the repository's detail (REST) and in GraphQL, never in lists.
      if (fields.fork) fields.parent = { id: 50_000_000 + index, fullName: `upstream-${index % 500}/projet` };
      const id = fake.addRepo(login, { name: `projet-${String(n).padStart(4, "0")}`, ...fields }).id;
      ids.push(id);
      if (options.profiles) {
        const content = repoContent(contentRand);
        fake.setFiles(id, content.files);
        if (content.release) fake.setReleases(id, [{ name: "Version 1.2", tag: "v1.2.0", date: "2024-05-01T10:00:00Z" }]);
        // Tags without a release: GraphQL gives the latest (with its date), REST does not.
        if (content.tag) fake.setTags(id, [{ name: "v1.1.0", tag: "v1.1.0", date: "2024-01-01T10:00:00Z" }]);
      }
    }
    logins.push(login);
    // As the adapter walks them: a full page is followed by one more.
    pages += Math.floor(size / 100) + 1;
  });
  return {
    server: fake,
    ready: { logins, repositories: index, fake: { pages } },
    touch: (share) => {
      // A push: pushed_at moves, so the profile is fetched again.
      const step = Math.max(1, Math.round(1 / share));
      let count = 0;
      for (let i = 0; i < ids.length; i += step, count++) fake.updateRepo(ids[i] as number, { pushedAt: new Date(Date.UTC(2026, 0, 1) + count * 1000).toISOString().replace(".000Z", "Z") });
      return count;
    },
  };
}

function buildFakeGitLab(options: BenchOptions): BuiltFake {
  const fake = new FakeGitLab();
  fake.graphqlDisabled = options.before;
  const instance = populateInstance(fake, {
    projects: options.projects,
    topGroups: options.groups,
    subgroupsPerGroup: 3,
    depth: 2,
    users: 50,
    userShare: 0.05,
    seed: options.seed,
  });
  if (options.profiles) {
    const contentRand = mulberry32(options.seed + 1);
    for (const id of instance.projectIds) {
      const content = repoContent(contentRand);
      fake.setFiles(id, content.files);
      if (content.release) fake.setReleases(id, [{ name: "Version 1.2", tag: "v1.2.0", date: "2024-05-01T10:00:00Z" }]);
      if (content.tag) fake.setTags(id, [{ name: "v1.1.0", tag: "v1.1.0", date: "2024-01-01T10:00:00Z" }]);
    }
  }
  return {
    server: fake,
    ready: {
      logins: instance.topGroups,
      repositories: instance.projectIds.length,
      // The group accounts do not cover users' projects: their completeness is measured against the groups' own.
      groupRepositories: instance.projectIds.filter((id) => fake.project(id).namespace.kind === "group").length,
      fake: { groups: instance.groups.length, users: instance.users.length },
    },
    touch: (share) => {
      // Every n-th project: spread over groups and pages, as real activity is.
      const step = Math.max(1, Math.round(1 / share));
      let count = 0;
      for (let i = 0; i < instance.projectIds.length; i += step, count++) fake.touchProject(instance.projectIds[i] as number, { stars: count });
      fake.clearLog();
      return count;
    },
  };
}

const giteaLicences = [["MIT"], ["EUPL-1.2"], ["AGPL-3.0-only"], [], ["MIT", "Apache-2.0"]];

function giteaRepoFields(rand: () => number, index: number): Partial<FakeGiteaRepoFields> {
  const fields = repoFields(rand, index);
  return {
    description: fields.description ?? "",
    website: fields.homepage ?? "",
    language: fields.language ?? "",
    licenses: giteaLicences[Math.floor(rand() * giteaLicences.length)] ?? [],
    topics: fields.topics ?? [],
    stars: fields.stars ?? 0,
    forks: fields.forks ?? 0,
    archived: fields.archived ?? false,
    mirror: rand() < 0.05,
  };
}

/** 500 accounts of a Gitea whose pages are capped at 50; with `burst`, a share of the pages answers 502 three times first. */
function buildFakeGitea(burst: boolean): (options: BenchOptions) => BuiltFake {
  return (options) => {
    const rand = mulberry32(options.seed);
    const fake = new FakeGitea({ maxPageSize: 50, repoCounters: !options.before });
    const contentRand = mulberry32(options.seed + 1);
    const ids: number[] = [];
    const sizes = accountSizes(options.giteaAccounts, options.giteaRepositories, rand);
    const logins: string[] = [];
    let index = 0;
    let pages = 0;
    sizes.forEach((size, i) => {
      const organization = rand() < 0.8;
      const login = `${organization ? "mairie" : "agent"}-${String(i).padStart(4, "0")}`;
      if (organization) fake.addOrg(login, { fullName: `Collectivité ${i}`, website: "www.example.fr" });
      else fake.addUser(login, { fullName: `Agent ${i}` });
      for (let n = 0; n < size; n++) {
        const id = fake.addRepo(login, { name: `projet-${String(n).padStart(4, "0")}`, ...giteaRepoFields(rand, index++) }).id;
        ids.push(id);
        // issue 9: the same content model as GitHub and GitLab, from its own sequence.
        if (options.profiles) {
          const content = repoContent(contentRand);
          fake.setFiles(id, content.files);
          if (content.release) fake.setReleases(id, [{ name: "Version 1.2", tag: "v1.2.0", date: "2024-05-01T10:00:00Z" }]);
          // On Gitea a release is made on a tag: its tag is listed too.
          const tags = [...(content.release ? [{ name: "v1.2.0", tag: "v1.2.0", date: "2024-05-01T10:00:00Z" }] : []), ...(content.tag ? [{ name: "v1.1.0", tag: "v1.1.0", date: "2024-01-01T10:00:00Z" }] : [])];
          if (tags.length) fake.setTags(id, tags);
        }
      }
      logins.push(login);
      pages += Math.max(1, Math.ceil(size / 50));
    });
    let flaky = 0;
    if (burst) {
      // Which pages are flaky is decided by a hash of the page, so every run meets the same ones; each answers 502 three times, then normally, again and again.
      const seen = new Map<string, number>();
      const threshold = Math.round(options.burstShare * 1_000);
      const isFlaky = (key: string) => {
        let hash = options.seed;
        for (let c = 0; c < key.length; c++) hash = (Math.imul(hash, 31) + key.charCodeAt(c)) | 0;
        return Math.abs(hash) % 1_000 < threshold;
      };
      fake.injectWhen((request) => {
        if (!request.path.endsWith("/repos")) return null;
        const key = `${request.path}?${request.query.get("page") ?? "1"}`;
        if (!isFlaky(key)) return null;
        const count = seen.get(key) ?? 0;
        seen.set(key, count + 1);
        return count % 4 < 3 ? { kind: "status", status: 502, body: "<html><body>502 Bad Gateway</body></html>" } : null;
      });
      flaky = Math.round(pages * options.burstShare);
    }
    return {
      server: fake,
      ready: { logins, repositories: index, fake: { pages, ...(burst ? { "flaky pages (about)": flaky } : {}) } },
      touch: (share) => {
        // A push: Gitea moves updated_at (it has no pushed_at), so the profile is fetched again.
        const step = Math.max(1, Math.round(1 / share));
        let count = 0;
        for (let i = 0; i < ids.length; i += step, count++) fake.updateRepo(ids[i] as number, { updatedAt: new Date(Date.UTC(2026, 0, 1) + count * 1000).toISOString().replace(".000Z", "Z") });
        return count;
      },
    };
  };
}

const fakeBuilders: Record<FakeForge, (options: BenchOptions) => BuiltFake> = {
  github: buildFakeGitHub,
  gitlab: buildFakeGitLab,
  gitea: buildFakeGitea(false),
  "gitea-burst": buildFakeGitea(true),
};

/** The child's side: builds the fake, serves it, and answers the parent's commands until "stop". */
async function serveFake(forge: FakeForge, options: BenchOptions): Promise<void> {
  const built = fakeBuilders[forge](options);
  // Requests are counted, not kept: a first run with profiles makes hundreds of thousands.
  let profileRequests = 0;
  let endpoints: Record<string, number> = {};
  const pattern = profilePaths[forge];
  built.server.requests.push = (...requests) => {
    for (const request of requests) {
      if (!pattern.test(request.path)) continue;
      profileRequests++;
      const endpoint = `${profileEndpoint(request.path)}${request.status === 304 ? " 304" : ""}`;
      endpoints[endpoint] = (endpoints[endpoint] ?? 0) + 1;
    }
    return 0;
  };
  await built.server.start();
  const send = (message: FromFake) => process.send?.(message);
  send({ type: "ready", ready: { url: built.server.url, ...built.ready } });
  process.on("message", (command: ToFake) => {
    if (command.type === "touch") {
      if (!built.touch) throw new Error(`the fake ${forge} cannot touch repositories`);
      send({ type: "touched", count: built.touch(command.share) });
    } else if (command.type === "profileRequests") {
      send({ type: "profileRequests", count: profileRequests, endpoints });
      profileRequests = 0;
      endpoints = {};
    } else {
      void built.server.stop().then(() => process.exit(0));
    }
  });
}

/** The parent's handle on a fake forge served by a child process. */
interface FakeProcess {
  ready: FakeReady;
  touch(share: number): Promise<number>;
  /** Profile requests the fake answered since the last call, and by endpoint. */
  profileRequests(): Promise<{ count: number; endpoints: Record<string, number> }>;
  stop(): Promise<void>;
}

/** The child's next message of type `type`; rejects if it exits first. */
function reply<T extends FromFake["type"]>(child: ChildProcess, type: T): Promise<Extract<FromFake, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromFake) => {
      if (message.type !== type) return;
      settle();
      resolve(message as Extract<FromFake, { type: T }>);
    };
    const onExit = (code: number | null) => {
      settle();
      reject(new Error(`the fake forge exited with code ${code}`));
    };
    const settle = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

async function startFake(forge: FakeForge, options: BenchOptions): Promise<FakeProcess> {
  // fork() reuses process.execArgv, so the child runs under tsx like this process.
  const child = fork(import.meta.filename, ["--serve-fake", forge, "--options", JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { ready } = await reply(child, "ready");
  const send = (command: ToFake) => child.send(command);
  return {
    ready,
    touch: async (share) => {
      const touched = reply(child, "touched");
      send({ type: "touch", share });
      return (await touched).count;
    },
    profileRequests: async () => {
      const counted = reply(child, "profileRequests");
      send({ type: "profileRequests" });
      const { count, endpoints } = await counted;
      return { count, endpoints };
    },
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        send({ type: "stop" });
      }),
  };
}

/** Runs `work` against a fresh fake forge, stopped afterwards whatever happens. */
async function withFake<T>(forge: FakeForge, options: BenchOptions, work: (fake: FakeProcess) => Promise<T>): Promise<T> {
  const fake = await startFake(forge, options);
  try {
    return await work(fake);
  } finally {
    await fake.stop();
  }
}

// ---- measuring --------------------------------------------------------------------

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

async function measure(run: string, harvest: () => Promise<RunSummary>, completeness: () => number, profileRequests: () => Promise<{ count: number; endpoints: Record<string, number> }>): Promise<RunFigures> {
  let peakRss = 0;
  let peakHeap = 0;
  // Sampled: process.resourceUsage().maxRSS only grows over the whole process, so it cannot tell one run's peak.
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  sample();
  // Every 20 ms: a page takes a few ms, so a 20 ms sampler sees the heap's saw-tooth well enough.
  const sampler = setInterval(sample, 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let summary: RunSummary;
  try {
    summary = await harvest();
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  sample();
  const repositories = summary.repositoriesSeen;
  const { count: profileCount, endpoints } = await profileRequests();
  const perRepository = (count: number) => (repositories ? Math.round((count / repositories) * 10_000) / 10_000 : 0);
  return {
    run,
    status: summary.status,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((user + system) / 1000),
    repositories,
    repositoriesPerSecond: Math.round(repositories / (wallMs / 1000)),
    requests: summary.requests,
    requestsPerRepository: repositories ? Math.round((summary.requests / repositories) * 10_000) / 10_000 : 0,
    notModified: summary.notModified,
    written: summary.repositoriesAdded + summary.repositoriesUpdated,
    removed: summary.repositoriesRemoved,
    failedAccounts: summary.accountsFailed,
    completeness: completeness(),
    retries: summary.retries,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
    profilesFetched: summary.profiles.fetched,
    profilesFailed: summary.profiles.failed,
    profileRequests: profileCount,
    profileRequestsPerRepository: perRepository(profileCount),
    profileEndpoints: Object.fromEntries(Object.entries(endpoints).sort().map(([endpoint, count]) => [endpoint, perRepository(count)])),
  };
}

/**
 * Harvests `source` into a fresh database as many times as `runs` asks, each
 * run measured; returns the figures in order. The database is deleted after.
 */
async function harvestRuns(source: ForgeSource, options: BenchOptions, fake: FakeProcess, onForge: number, runs: (run: (label: string) => Promise<void>) => Promise<void>): Promise<RunFigures[]> {
  const concurrency = options.concurrency;
  const config = loadConfig();
  const registry = defaultRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-commun-bench-"));
  const db = openDatabase(path.join(dir, "catalog.db"));
  const figures: RunFigures[] = [];
  const harvest = () =>
    runHarvest({
      db,
      sources: [source],
      registry,
      // A token for GitHub (GraphQL batches), none elsewhere: as the default sources of a real harvest would have.
      config: { tokens: source.type === "github" && options.token ? { [source.host]: "bench-token" } : {}, httpTimeoutMs: config.httpTimeoutMs, maxRateLimitWaitMs: config.maxRateLimitWaitMs, harvestConcurrency: concurrency },
      trigger: "cli",
      profiles: options.profiles,
      reporter: { log: (message) => process.stderr.write(`${message}\n`) },
    });
  try {
    await runs(async (label) => {
      const run = await measure(label, harvest, () => Math.round((countLiveRepositories(db) / onForge) * 10_000) / 100, () => fake.profileRequests());
      figures.push(run);
      process.stderr.write(`  ${label}: ${run.status}, ${(run.wallMs / 1000).toFixed(1)} s, ${run.repositoriesPerSecond} repositories/s, ${run.requests} requests (${run.profileRequests} for ${run.profilesFetched} profiles)\n`);
    });
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

// ---- scenarios ----------------------------------------------------------------------

/** Share of the repositories given new activity before the last run of a scenario. */
const touchedShare = 0.01;

function githubScenario(options: BenchOptions): Promise<ScenarioResult> {
  return withFake("github", options, async (fake) => {
    const { ready } = fake;
    const source: ForgeSource = { host: "github.com", type: "github", api: ready.url, owners: ready.logins.map((login, i) => ({ login, line: i + 4 })), line: 1 };
    const runs = await harvestRuns(source, options, fake, ready.repositories, async (run) => {
      await run("first (empty database)");
      await run("second (unchanged)");
      const count = await fake.touch(touchedShare);
      await run(`third (${count} pushed, ${touchedShare * 100} %)`);
    });
    return { scenario: "github", forge: "github", accounts: ready.logins.length, repositories: ready.repositories, fake: ready.fake, runs };
  });
}

/** The top-level groups of the instance as accounts, or the whole instance as one. */
function gitlabScenario(kind: "groups" | "instance"): (options: BenchOptions) => Promise<ScenarioResult> {
  // A fresh fake per scenario, so that the instance harvest starts from the same data as the groups one.
  return (options) =>
    withFake("gitlab", options, async (fake) => {
      const { ready } = fake;
      const owners = kind === "groups" ? ready.logins.map((login, i) => ({ login, line: i + 4 })) : null;
      const source: ForgeSource = { host: "gitlab.bench.example", type: "gitlab", api: ready.url, owners, line: 1 };
      const reachable = kind === "groups" ? (ready.groupRepositories ?? ready.repositories) : ready.repositories;
      const runs = await harvestRuns(source, options, fake, reachable, async (run) => {
        await run("first (empty database)");
        await run("second (unchanged)");
        const count = await fake.touch(touchedShare);
        await run(`third (${count} touched, ${touchedShare * 100} %)`);
      });
      return { scenario: `gitlab-${kind}`, forge: "gitlab", accounts: owners?.length ?? null, repositories: ready.repositories, fake: ready.fake, runs };
    });
}

/** Issue 8: a Gitea of 500 accounts, calm or in a burst of 502s. */
function giteaScenario(kind: "gitea" | "gitea-burst"): (options: BenchOptions) => Promise<ScenarioResult> {
  return (options) =>
    withFake(kind, options, async (fake) => {
      const { ready } = fake;
      const source: ForgeSource = { host: "git.bench.example", type: "gitea", api: `${ready.url}/api/v1`, owners: ready.logins.map((login, i) => ({ login, line: i + 4 })), line: 1 };
      const runs = await harvestRuns(source, options, fake, ready.repositories, async (run) => {
        await run("first (empty database)");
        await run("second (unchanged)");
        const count = await fake.touch(touchedShare);
        await run(`third (${count} pushed, ${touchedShare * 100} %)`);
      });
      return { scenario: kind, forge: kind, accounts: ready.logins.length, repositories: ready.repositories, fake: ready.fake, runs };
    });
}

const scenarios: Record<string, (options: BenchOptions) => Promise<ScenarioResult>> = {
  github: githubScenario,
  "gitlab-groups": gitlabScenario("groups"),
  "gitlab-instance": gitlabScenario("instance"),
  gitea: giteaScenario("gitea"),
  "gitea-burst": giteaScenario("gitea-burst"),
};

/** "all", a forge (every scenario of it) or one scenario's name. */
function selectScenarios(forge: string): [name: string, scenario: (options: BenchOptions) => Promise<ScenarioResult>][] {
  const all = Object.entries(scenarios);
  const selected = forge === "all" ? all : all.filter(([name]) => name === forge || name.startsWith(`${forge}-`));
  if (selected.length === 0) {
    const known = new Set(["all", ...Object.keys(fakeBuilders), ...Object.keys(scenarios)]);
    throw new Error(`no benchmark scenario for --forge ${forge} (known: ${[...known].join(", ")})`);
  }
  return selected;
}

// ---- report ---------------------------------------------------------------------------

function table(results: ScenarioResult[]): string {
  const header = ["scenario", "run", "status", "wall s", "CPU s", "repos", "repos/s", "requests", "req/repo", "304s", "retries", "written", "removed", "complete", "peak RSS MB", "peak heap MB"];
  const rows = results.flatMap((result) =>
    result.runs.map((run) => [
      result.scenario,
      run.run,
      run.status,
      (run.wallMs / 1000).toFixed(1),
      (run.cpuMs / 1000).toFixed(1),
      String(run.repositories),
      String(run.repositoriesPerSecond),
      String(run.requests),
      run.requestsPerRepository.toFixed(4),
      `${run.notModified} (${run.requests ? Math.round((run.notModified / run.requests) * 100) : 0} %)`,
      String(run.retries),
      String(run.written),
      String(run.removed),
      `${run.completeness} %`,
      run.peakRssMb.toFixed(1),
      run.peakHeapMb.toFixed(1),
    ]),
  );
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Profile requests per repository, by endpoint, for each run that made some. */
function profileTable(results: ScenarioResult[]): string {
  const lines = ["profile requests per repository, by endpoint (304: answered Not Modified):"];
  for (const result of results) {
    for (const run of result.runs) {
      const parts = Object.entries(run.profileEndpoints).map(([endpoint, perRepo]) => `${endpoint} ${perRepo.toFixed(4)}`);
      lines.push(`  ${result.scenario}, ${run.run}: ${run.profileRequestsPerRepository.toFixed(4)}${parts.length ? ` = ${parts.join(" + ")}` : ""}`);
    }
  }
  return lines.join("\n");
}

function describe(result: ScenarioResult): string {
  const accounts = result.accounts === null ? "the whole instance" : `${result.accounts} accounts`;
  const fake = Object.entries(result.fake).map(([what, count]) => `${count} ${what}`);
  return `${result.scenario}: ${accounts}; the fake holds ${[`${result.repositories} repositories`, ...fake].join(", ")}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      forge: { type: "string", default: "all" },
      accounts: { type: "string", default: "2000" },
      repositories: { type: "string", default: "60000" },
      projects: { type: "string", default: "20000" },
      groups: { type: "string", default: "20" },
      "gitea-accounts": { type: "string", default: "500" },
      "gitea-repositories": { type: "string", default: "15000" },
      "burst-share": { type: "string", default: "0.1" },
      concurrency: { type: "string" },
      seed: { type: "string", default: "1" },
      "no-profiles": { type: "boolean", default: false },
      "no-token": { type: "boolean", default: false },
      before: { type: "boolean", default: false },
      out: { type: "string", default: "artifacts/bench-harvest.json" },
      "serve-fake": { type: "string" },
      options: { type: "string" },
    },
  });
  if (values["serve-fake"]) {
    const forge = values["serve-fake"];
    if (!(forge in fakeBuilders)) throw new Error(`no fake server for forge "${forge}"`);
    await serveFake(forge as FakeForge, JSON.parse(values.options ?? "{}") as BenchOptions);
    return;
  }

  const options: BenchOptions = {
    accounts: Number(values.accounts),
    repositories: Number(values.repositories),
    projects: Number(values.projects),
    groups: Number(values.groups),
    giteaAccounts: Number(values["gitea-accounts"]),
    giteaRepositories: Number(values["gitea-repositories"]),
    burstShare: Number(values["burst-share"]),
    concurrency: Number(values.concurrency ?? loadConfig().harvestConcurrency),
    seed: Number(values.seed),
    profiles: !values["no-profiles"],
    token: !values["no-token"],
    before: values.before,
  };
  const selected = selectScenarios(values.forge);
  // What the process holds before any harvest (tsx, octokit, gitbeaker, drizzle, SQLite loaded): the floor of the peaks below.
  const baselineRssMb = mb(process.memoryUsage.rss());
  const results: ScenarioResult[] = [];
  for (const [name, scenario] of selected) {
    process.stderr.write(`${name}: concurrency ${options.concurrency}...\n`);
    results.push(await scenario(options));
  }

  const report = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, options, baselineRssMb, results };
  console.log(table(results));
  if (options.profiles) console.log(profileTable(results));
  for (const result of results) console.log(describe(result));
  console.log(`baseline RSS before any harvest: ${baselineRssMb} MB; concurrency ${options.concurrency}; node ${process.version}, ${report.cpus} cores`);
  fs.mkdirSync(path.dirname(values.out), { recursive: true });
  fs.writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${JSON.stringify(report)}`);
  console.log(`written to ${values.out}`);
}

await main();

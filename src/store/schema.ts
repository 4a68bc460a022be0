// The catalogue's tables. Migrations are generated from this file by drizzle-kit
// (`npm run db:generate`) into ./migrations and are never edited by hand.
// Dates are ISO-8601 UTC strings: sortable, readable, and what the forges send.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A forge host declared in the sources (github.com, gitlab.com, a self-hosted GitLab...). */
export const forges = sqliteTable("forges", {
  host: text("host").primaryKey(),
  type: text("type").notNull(), // github | gitlab | gitea | ...
  apiUrl: text("api_url"),
  psoId: text("pso_id"),
  updatedAt: text("updated_at").notNull(),
});

/**
 * An account of the sources: one owner on a forge (login set), or a whole
 * self-hosted instance (login ""). It is the unit of harvest and of failure.
 */
export const accounts = sqliteTable(
  "accounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    host: text("host").notNull(),
    login: text("login").notNull(), // "" for a whole instance
    lastRunId: integer("last_run_id"),
    lastStatus: text("last_status"), // ok | failed | skipped
    lastReason: text("last_reason"),
    lastError: text("last_error"),
    lastAttemptAt: text("last_attempt_at"),
    lastSuccessAt: text("last_success_at"),
  },
  (t) => [uniqueIndex("accounts_host_login").on(t.host, sql`lower(${t.login})`)],
);

/** An organisation, user or group that owns repositories. */
export const owners = sqliteTable(
  "owners",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    host: text("host").notNull(),
    login: text("login").notNull(), // GitHub login, or GitLab full path of the group or user
    forgeId: text("forge_id"),
    kind: text("kind").notNull(), // organization | user | group
    name: text("name"),
    description: text("description"),
    website: text("website"),
    email: text("email"),
    location: text("location"),
    avatarUrl: text("avatar_url"),
    verified: integer("verified", { mode: "boolean" }),
    createdAt: text("created_at"),
    psoId: text("pso_id"),
    flossPolicy: text("floss_policy"),
    ospoUrl: text("ospo_url"),
    firstSeenAt: text("first_seen_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
  },
  (t) => [uniqueIndex("owners_host_login").on(t.host, sql`lower(${t.login})`)],
);

export const repositories = sqliteTable(
  "repositories",
  {
    pk: integer("pk").primaryKey({ autoIncrement: true }),
    host: text("host").notNull(),
    forge: text("forge").notNull(),
    /** The forge's own id: survives renames and moves. */
    forgeId: text("forge_id").notNull(),
    accountId: integer("account_id").notNull().references(() => accounts.id),
    ownerId: integer("owner_id").references(() => owners.id),
    owner: text("owner").notNull(),
    name: text("name").notNull(),
    fullName: text("full_name").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    homepage: text("homepage"),
    language: text("language"),
    license: text("license"),
    topics: text("topics", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    stars: integer("stars").notNull().default(0),
    forks: integer("forks").notNull().default(0),
    openIssues: integer("open_issues").notNull().default(0),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
    fork: integer("fork", { mode: "boolean" }).notNull().default(false),
    template: integer("template", { mode: "boolean" }).notNull().default(false),
    defaultBranch: text("default_branch"),
    createdAt: text("created_at"),
    updatedAt: text("updated_at"),
    pushedAt: text("pushed_at"),
    firstSeenAt: text("first_seen_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    /** Set when the repository vanished from its account: kept, but hidden. */
    removedAt: text("removed_at"),
    /** Forge-specific marker of change (GitLab last_activity_at) deciding whether details are fetched again. */
    changeMarker: text("change_marker"),
    /** Hash of the harvested fields: an unchanged repository is not written again. */
    contentHash: text("content_hash").notNull(),
    // Issue 8 (Gitea, Forgejo, Gogs): what those forges tell of mirrors and forks.
    /** A pull mirror of a repository hosted elsewhere. */
    mirror: integer("mirror", { mode: "boolean" }).notNull().default(false),
    /** A fork's parent, "<owner>/<name>" on the same host, when the forge says. */
    parent: text("parent"),
    // Issue 10 (reuse): the fork parent's forge id, from the list (GitLab, Gitea) or the profile pass (GitHub).
    /** A fork's parent's forge id on the same host, when known. */
    parentForgeId: text("parent_forge_id"),
  },
  (t) => [
    uniqueIndex("repositories_host_forge_id").on(t.host, t.forgeId),
    index("repositories_account").on(t.accountId),
    index("repositories_owner").on(t.ownerId),
    index("repositories_full_name").on(t.host, sql`lower(${t.fullName})`),
  ],
);

/** Conditional-request cache: the ETag of a forge response and what it contained. */
export const httpCache = sqliteTable("http_cache", {
  key: text("key").primaryKey(),
  etag: text("etag").notNull(),
  /** JSON: what the harvester needs when the forge answers 304 (e.g. the ids on a page). */
  payload: text("payload").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const harvestRuns = sqliteTable("harvest_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  trigger: text("trigger").notNull(), // cli | schedule | startup | demo | on_demand
  status: text("status").notNull(), // running | succeeded | partial | failed | interrupted
  startedAt: text("started_at").notNull(),
  finishedAt: text("finished_at"),
  accountsTotal: integer("accounts_total").notNull().default(0),
  accountsFailed: integer("accounts_failed").notNull().default(0),
  accountsSkipped: integer("accounts_skipped").notNull().default(0),
  repositoriesSeen: integer("repositories_seen").notNull().default(0),
  repositoriesAdded: integer("repositories_added").notNull().default(0),
  repositoriesUpdated: integer("repositories_updated").notNull().default(0),
  repositoriesRemoved: integer("repositories_removed").notNull().default(0),
  requests: integer("requests").notNull().default(0),
  notModified: integer("not_modified").notNull().default(0),
  rateLimitWaits: integer("rate_limit_waits").notNull().default(0),
  error: text("error"),
});

/** What each account gave in each run: its errors, with a stable reason code. */
export const harvestRunAccounts = sqliteTable(
  "harvest_run_accounts",
  {
    runId: integer("run_id").notNull().references(() => harvestRuns.id, { onDelete: "cascade" }),
    host: text("host").notNull(),
    login: text("login").notNull(),
    status: text("status").notNull(), // ok | failed | skipped
    reason: text("reason"), // not_found | server_error | timeout | invalid_response | rate_limited | unsupported_forge | ignored | ...
    message: text("message"),
    repositories: integer("repositories").notNull().default(0),
    durationMs: integer("duration_ms").notNull().default(0),
    // Issue 8: a run tries an account that failed for a transient reason once more.
    /** 1, or 2 when the account was tried again in the run's second pass. */
    attempts: integer("attempts").notNull().default(1),
    /** The reason of the first attempt, when there were two. */
    firstReason: text("first_reason"),
    /** Requests sent again after a transient failure (5xx, 408, timeout, dropped connection). */
    retries: integer("retries").notNull().default(0),
    /** Waits for a rate limit. */
    rateLimitWaits: integer("rate_limit_waits").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.runId, t.host, t.login] })],
);

/** Cross-process locks (a harvest never overlaps another), renewed by a heartbeat. */
export const locks = sqliteTable("locks", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  acquiredAt: text("acquired_at").notNull(),
  heartbeatAt: text("heartbeat_at").notNull(),
  // Issue 13: who holds it, so that a lock left by a process killed on this machine is taken over at once.
  hostname: text("hostname"),
  pid: integer("pid"),
});

// ---- Declarations (issue 11): sign-in sessions, declared accounts, audit log ----

/**
 * A signed-in visitor. The cookie carries a random id; only its SHA-256 is
 * stored, so a copy of the database opens no session. No password anywhere:
 * who the visitor is comes from the OpenID provider.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    /** The provider's subject: the stable identity of the user. */
    subject: text("subject").notNull(),
    email: text("email"),
    /** The provider said the e-mail is verified (email_verified claim): only then may it make a moderator. */
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    name: text("name"),
    siret: text("siret"),
    /** Kept for the provider's logout (id_token_hint). */
    idToken: text("id_token"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("sessions_expires").on(t.expiresAt)],
);

/**
 * A sign-in under way: what the callback must check (state, nonce, PKCE
 * verifier) and where to return. Deleted when the callback uses it, so a
 * replayed callback finds nothing.
 */
export const loginAttempts = sqliteTable("login_attempts", {
  stateHash: text("state_hash").primaryKey(),
  nonce: text("nonce").notNull(),
  codeVerifier: text("code_verifier").notNull(),
  /** A local path, checked before it is stored and again before use. */
  returnTo: text("return_to").notNull(),
  createdAt: text("created_at").notNull(),
});

/** A forge account (or a whole instance) that a public body declared, with its proof and its moderation. */
export const declarations = sqliteTable(
  "declarations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    host: text("host").notNull(),
    forgeType: text("forge_type").notNull(),
    /** API base URL of a host the sources do not know; null: the known or default one. */
    apiUrl: text("api_url"),
    /** "" for a whole instance. */
    login: text("login").notNull(),
    /** What the forge said when the account was looked up: organization | user | group | instance. */
    accountKind: text("account_kind").notNull(),
    accountName: text("account_name"),
    publicRepositories: integer("public_repositories"),
    /** The public body: a pso_id of data/public-bodies.yml, or a SIRET, or a name. */
    psoId: text("pso_id"),
    siret: text("siret"),
    bodyName: text("body_name"),
    contact: text("contact").notNull(),
    declarerSubject: text("declarer_subject").notNull(),
    declarerEmail: text("declarer_email"),
    declarerName: text("declarer_name"),
    /** The proof: a public repository code-commun-<token> in the account. */
    token: text("token").notNull(),
    tokenExpiresAt: text("token_expires_at").notNull(),
    verifiedAt: text("verified_at"),
    /** pending (awaiting proof) | verified (awaiting moderation) | approved | rejected | withdrawn */
    status: text("status").notNull(),
    decidedAt: text("decided_at"),
    decidedBy: text("decided_by"),
    reason: text("reason"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("declarations_account").on(t.host, sql`lower(${t.login})`),
    index("declarations_declarer").on(t.declarerSubject, t.createdAt),
    index("declarations_status").on(t.status),
  ],
);

/** Every action on a declaration, who did it and when: shown to moderators. */
export const declarationEvents = sqliteTable(
  "declaration_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    declarationId: integer("declaration_id").notNull().references(() => declarations.id, { onDelete: "cascade" }),
    /** declared | verified | renewed | approved | rejected | withdrawn */
    action: text("action").notNull(),
    actorSubject: text("actor_subject").notNull(),
    actorEmail: text("actor_email"),
    detail: text("detail"),
    at: text("at").notNull(),
  },
  (t) => [index("declaration_events_declaration").on(t.declarationId), index("declaration_events_at").on(t.at)],
);
// ---- Repository profiles (issue 9) ------------------------------------------

/**
 * The profile of a repository: which community files its default branch has
 * at the root, its README rendered, its publiccode.yml and validation, its
 * latest release. Fetched again only when the repository's push marker
 * (pushed_at, GitLab last_activity_at) moves past `marker`. A failed fetch
 * keeps the previous profile and records its reason here.
 */
export const repositoryProfiles = sqliteTable(
  "repository_profiles",
  {
    repositoryPk: integer("repository_pk").primaryKey().references(() => repositories.pk, { onDelete: "cascade" }),
    /** The push marker this profile stands for; null until a fetch succeeded. */
    marker: text("marker"),
    fetchedAt: text("fetched_at"),
    attemptedAt: text("attempted_at").notNull(),
    /** Last fetch's failure (a ForgeError reason) and message; null when it succeeded. */
    errorReason: text("error_reason"),
    errorMessage: text("error_message"),
    /** JSON: the file name found for each kind (readme, publiccode, license, ...), or null. */
    files: text("files", { mode: "json" }).$type<Record<string, string | null>>(),
    /** JSON: git blob ids of the files read, so that an unchanged file is not read again. */
    shas: text("shas", { mode: "json" }).$type<Record<string, string>>(),
    /** JSON: names of the files over the size limit, not read. */
    tooLarge: text("too_large", { mode: "json" }).$type<string[]>(),
    readmeName: text("readme_name"),
    readmeHtml: text("readme_html"),
    readmeMoreHtml: text("readme_more_html"),
    readmeExcerpt: text("readme_excerpt"),
    /** Plain text, first characters: what the search index reads. */
    readmeText: text("readme_text"),
    publiccodeName: text("publiccode_name"),
    publiccodeText: text("publiccode_text"),
    /** null without a publiccode.yml. */
    publiccodeValid: integer("publiccode_valid", { mode: "boolean" }),
    publiccodeVersion: text("publiccode_version"),
    /** JSON: the validator's result (document, errors, warnings). */
    publiccodeResult: text("publiccode_result", { mode: "json" }).$type<Record<string, unknown>>(),
    /** JSON: {kind, name, tag, date, url} or null. */
    latestRelease: text("latest_release", { mode: "json" }).$type<Record<string, unknown>>(),
    /** Issue 10: what the profile pass read (1: manifests and fork parent too); an older profile is fetched once more. */
    evidenceVersion: integer("evidence_version"),
  },
  (t) => [
    // Covering (issue 13): every read of a repository row (store/catalog.ts) joins publiccode_valid
    // alone. The column comes after the README and the publiccode.yml, on the row's overflow pages
    // when those are long; through this index the join does not read the row.
    index("repository_profiles_valid").on(t.repositoryPk, t.publiccodeValid),
  ],
);

// ---- Reuse evidence (issue 10) ----------------------------------------------

/**
 * The manifests (package.json, pom.xml, go.mod...) at the root of a
 * repository's default branch, as the profile pass read and parsed them:
 * replaced as a whole each time the repository's profile is saved.
 */
export const repositoryManifests = sqliteTable(
  "repository_manifests",
  {
    repositoryPk: integer("repository_pk").notNull().references(() => repositories.pk, { onDelete: "cascade" }),
    /** The root file name (requirements-dev.txt). */
    file: text("file").notNull(),
    /** npm | packagist | pypi | maven | go | rubygems | cargo */
    ecosystem: text("ecosystem").notNull(),
    /** Git blob id: an unchanged file is not read again, its parse is kept. */
    sha: text("sha"),
    /** JSON: PackageRef[] it declares publishing. */
    publishes: text("publishes", { mode: "json" }).$type<unknown[]>().notNull(),
    /** JSON: Dependency[] ({ecosystem, name, scope, requirement}). */
    dependencies: text("dependencies", { mode: "json" }).$type<unknown[]>().notNull(),
    /** JSON: string[]: why the file or an entry could not be read (too large, malformed). */
    errors: text("errors", { mode: "json" }).$type<string[]>().notNull(),
    warnings: text("warnings", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.repositoryPk, t.file] })],
);

// ---- Reuse graph (issue 10) --------------------------------------------------
// Rebuilt after each harvest by src/reuse/rebuild.ts, in one transaction that
// writes only the rows that changed: readers (WAL) see the old graph or the
// new, never half of one. Ids are public repository ids ("host/owner/name").

/** Per repository of the last build: its reuse facts and its reuse score. */
export const repositoryReuse = sqliteTable(
  "repository_reuse",
  {
    id: text("id").primaryKey(),
    /** repositories.pk, for the joins of records and search; null for an input the table does not hold. */
    repositoryPk: integer("repository_pk"),
    /** "host/login", lower case: the owner summaries. */
    ownerKey: text("owner_key").notNull(),
    publicBodyId: text("public_body_id"),
    /** The reuser it counts as: "body:<pso_id>", else "owner:<host/login>". */
    reuserKey: text("reuser_key").notNull(),
    /** JSON: graph.ts RepositoryReuse. */
    reuse: text("reuse", { mode: "json" }).notNull(),
    /** Distinct other bodies (or owners) that fork it, depend on it or declare being based on it. */
    reusers: integer("reusers").notNull(),
    /** reusers + publiccode.yml usedBy names: the "reused by" figure. */
    reusedByCount: integer("reused_by_count").notNull(),
    reuseScore: real("reuse_score").notNull(),
    /** JSON: score.ts ReuseCriterion[]. */
    criteria: text("criteria", { mode: "json" }).notNull(),
    builtAt: text("built_at").notNull(),
  },
  (t) => [
    // Covering (issue 13, h35): every read of a repository row joins its score and "reused by" figure
    // through this index; with both in it, the join no longer reads the wide row (its JSON), which
    // was some 6 us of each row read, a quarter of the 7 rows of a repository page's similar ones.
    index("repository_reuse_pk").on(t.repositoryPk, t.reuseScore, t.reusedByCount),
    index("repository_reuse_owner").on(t.ownerKey),
    index("repository_reuse_body").on(t.publicBodyId),
    index("repository_reuse_reusers").on(t.reusers),
  ],
);

/** `from` reuses `to`: forks it (fork), depends on a package it publishes (dependency), declares being based on it (based_on). */
export const reuseEdges = sqliteTable(
  "reuse_edges",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    fromId: text("from_id").notNull(),
    toId: text("to_id").notNull(),
    /** The package of a dependency edge; null for the other kinds. */
    ecosystem: text("ecosystem"),
    packageName: text("package_name"),
    scope: text("scope"),
    acrossBodies: integer("across_bodies", { mode: "boolean" }).notNull(),
  },
  (t) => [index("reuse_edges_to").on(t.toId, t.kind), index("reuse_edges_from").on(t.fromId, t.kind)],
);

/** Who publishes a package: one row per publisher; `ambiguous` when several repositories (not forks) declare it. */
export const reusePackages = sqliteTable(
  "reuse_packages",
  {
    ecosystem: text("ecosystem").notNull(),
    name: text("name").notNull(),
    publisherId: text("publisher_id").notNull(),
    ambiguous: integer("ambiguous", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ecosystem, t.name, t.publisherId] })],
);

/** Every dependency read in the manifests (one per repository and package, its strongest scope): GET /api/v1/packages. */
export const reusePackageUses = sqliteTable(
  "reuse_package_uses",
  {
    ecosystem: text("ecosystem").notNull(),
    name: text("name").notNull(),
    repositoryId: text("repository_id").notNull(),
    scope: text("scope").notNull(),
  },
  (t) => [index("reuse_package_uses_package").on(t.ecosystem, t.name, t.repositoryId)],
);

/** Packages no catalogue repository publishes, ranked (most reusers first). */
export const reuseExternalPackages = sqliteTable(
  "reuse_external_packages",
  {
    rank: integer("rank").primaryKey(),
    ecosystem: text("ecosystem").notNull(),
    name: text("name").notNull(),
    dependents: integer("dependents").notNull(),
    reusers: integer("reusers").notNull(),
  },
  (t) => [index("reuse_external_packages_ecosystem").on(t.ecosystem, t.rank)],
);

/** Fork parents outside the catalogue, ranked (most reusers first). */
export const reuseExternalUpstreams = sqliteTable("reuse_external_upstreams", {
  rank: integer("rank").primaryKey(),
  upstream: text("upstream").notNull(),
  forks: integer("forks").notNull(),
  reusers: integer("reusers").notNull(),
});

/** One row per rebuild: when, how big, how long. */
export const reuseBuilds = sqliteTable("reuse_builds", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  builtAt: text("built_at").notNull(),
  repositories: integer("repositories").notNull(),
  edges: integer("edges").notNull(),
  durationMs: integer("duration_ms").notNull(),
});

/** Figures per day and ecosystem ("all" for the whole graph): the last rebuild of a day replaces that day's. */
export const reuseHistory = sqliteTable(
  "reuse_history",
  {
    day: text("day").notNull(),
    ecosystem: text("ecosystem").notNull(),
    builtAt: text("built_at").notNull(),
    dependencies: integer("dependencies").notNull(),
    internal: integer("internal").notNull(),
    edgesAcrossBodies: integer("edges_across_bodies").notNull(),
    reusedRepositories: integer("reused_repositories").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.ecosystem] })],
);

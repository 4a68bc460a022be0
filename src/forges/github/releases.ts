// The latest release of many GitHub repositories in one request, through the
// GraphQL API (issue 9): REST needs one GET /releases/latest per repository,
// almost a request per repository on a first run; one GraphQL query aliasing
// 50 repositories costs one request and one point of GraphQL's own budget
// (5,000 points an hour, apart from REST's 5,000 requests). It also gives the
// latest tag and its date when there is no release, which REST cannot without
// one more request per tag. Issue 10: the same query asks each repository's
// fork parent, which GitHub's lists do not carry and REST gives only through
// one GET /repos/{owner}/{repo} per fork.
//
// Only with a token (GitHub refuses unauthenticated GraphQL). Any other
// trouble (401/403/404 from an Enterprise server or a fake without GraphQL,
// a failing batch, an answer we cannot read, a spent budget) gives no answer
// for the repositories concerned, and the caller asks REST for each of them
// (the release, and a fork's parent).
import { ForgeError, type HarvestedRelease, type ListedForkParent, type ProfileTarget, type ReleaseBatch } from "../forge.ts";
import { cleanText, httpUrl, isoDate } from "../normalise.ts";
import type { GitHubClient } from "./client.ts";
import { abortable } from "./conditional.ts";
import { isHttpError } from "./errors.ts";

type Json = Record<string, unknown>;

/** Repositories aliased in one query: GitHub caps a query's nodes at 500,000 and its cost grows with each connection; 50 costs 1 point. */
export const graphqlBatchSize = 50;

/** Points kept in reserve: below, the rest of the run goes through REST until the budget resets. */
const reservePoints = 50;

// Each repository's latest release, else its most recent tag by commit date.
// A lightweight tag points at a commit; an annotated one at a Tag object (dated by its tagger) pointing at a commit.
// The fork's parent (issue 10) is one object, no connection: the query still costs one point.
const releaseFragment = `fragment latest on Repository {
  isFork parent { databaseId nameWithOwner }
  latestRelease { name tagName publishedAt createdAt url }
  refs(refPrefix: "refs/tags/", first: 1, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
    nodes { name target { __typename ... on Commit { committedDate } ... on Tag { tagger { date } target { ... on Commit { committedDate } } } } }
  }
}`;

/** The query for `count` repositories: aliases r0, r1...; variables o0/n0, o1/n1... */
export function releasesQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$o${i}: String!, $n${i}: String!`).join(", ");
  const fields = Array.from({ length: count }, (_, i) => `  r${i}: repository(owner: $o${i}, name: $n${i}) { ...latest }`).join("\n");
  return `query LatestReleases(${variables}) {\n  rateLimit { cost remaining resetAt }\n${fields}\n}\n${releaseFragment}`;
}

function ownerAndName(fullName: string): [string, string] | null {
  const slash = fullName.indexOf("/");
  return slash > 0 ? [fullName.slice(0, slash), fullName.slice(slash + 1)] : null;
}

/** A repository node as GraphQL sends it, normalised like REST's /releases/latest (name falls back to the tag). */
export function releaseOfNode(node: unknown, target: ProfileTarget): HarvestedRelease | null | undefined {
  if (node === null) return null;
  if (typeof node !== "object") return undefined;
  const repo = node as Json;
  const release = repo.latestRelease;
  if (typeof release === "object" && release !== null) {
    const raw = release as Json;
    const tag = cleanText(raw.tagName, 255);
    const name = cleanText(raw.name, 255) ?? tag;
    if (name) return { kind: "release", name, tag, date: isoDate(raw.publishedAt) ?? isoDate(raw.createdAt), url: httpUrl(raw.url) };
  }
  const refs = repo.refs;
  const first = typeof refs === "object" && refs !== null && Array.isArray((refs as Json).nodes) ? ((refs as Json).nodes as unknown[])[0] : undefined;
  if (typeof first !== "object" || first === null) return null;
  const ref = first as Json;
  const tag = cleanText(ref.name, 255);
  if (!tag) return null;
  const target_ = typeof ref.target === "object" && ref.target !== null ? (ref.target as Json) : {};
  const tagger = typeof target_.tagger === "object" && target_.tagger !== null ? (target_.tagger as Json) : {};
  const commit = typeof target_.target === "object" && target_.target !== null ? (target_.target as Json) : {};
  const date = isoDate(target_.committedDate) ?? isoDate(tagger.date) ?? isoDate(commit.committedDate);
  const url = httpUrl(`${target.url.replace(/\/+$/, "")}/tree/${encodeURIComponent(tag)}`);
  return { kind: "tag", name: tag, tag, date, url };
}

/**
 * A repository node's fork parent, as REST's `parent` would give it: null when
 * it is not a fork or GitHub shows no parent (deleted, private); undefined when
 * the node cannot be read, so that REST is asked.
 */
export function parentOfNode(node: unknown): ListedForkParent | null | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const repo = node as Json;
  if (typeof repo.isFork !== "boolean" || !("parent" in repo)) return undefined;
  if (!repo.isFork || repo.parent === null) return null;
  if (typeof repo.parent !== "object") return undefined;
  const raw = repo.parent as Json;
  const id = typeof raw.databaseId === "number" && Number.isSafeInteger(raw.databaseId) && raw.databaseId > 0 ? String(raw.databaseId) : null;
  const fullName = cleanText(raw.nameWithOwner, 400);
  return id === null && fullName === null ? null : { forgeId: id, fullName };
}

export class GitHubReleaseBatcher {
  /** Set for the reader's life when GraphQL is refused (401/403/404): no point asking again. */
  private unavailable: string | null = null;
  /** Epoch ms until which the GraphQL budget is kept for others: REST meanwhile. */
  private pausedUntil = 0;

  constructor(
    private readonly api: GitHubClient,
    private readonly enabled: boolean,
    private readonly log: (message: string) => void,
  ) {}

  /** By forgeId, releases and fork parents; missing: ask REST. Throws only an interruption. */
  async latestReleases(targets: readonly ProfileTarget[], signal: AbortSignal): Promise<ReleaseBatch> {
    const found = new Map<string, HarvestedRelease | null>();
    const parents = new Map<string, ListedForkParent | null>();
    for (let start = 0; start < targets.length; start += graphqlBatchSize) {
      if (!this.enabled || this.unavailable !== null || Date.now() < this.pausedUntil) break;
      await this.batch(targets.slice(start, start + graphqlBatchSize), signal, found, parents);
    }
    return Object.assign(found, { forkParents: parents });
  }

  private async batch(
    targets: readonly ProfileTarget[],
    signal: AbortSignal,
    found: Map<string, HarvestedRelease | null>,
    parents: Map<string, ListedForkParent | null>,
  ): Promise<void> {
    const asked = targets.flatMap((target) => {
      const pair = ownerAndName(target.fullName);
      return pair ? [{ target, owner: pair[0], name: pair[1] }] : [];
    });
    if (asked.length === 0) return;
    const variables: Record<string, string> = {};
    asked.forEach(({ owner, name }, i) => {
      variables[`o${i}`] = owner;
      variables[`n${i}`] = name;
    });
    let data: unknown;
    let errors: unknown[] = [];
    try {
      data = await abortable(this.api.graphql(releasesQuery(asked.length), { ...variables, request: { signal } }), signal);
    } catch (error) {
      if (signal.aborted || (error instanceof ForgeError && error.reason === "interrupted")) throw new ForgeError("interrupted", "the harvest was stopped");
      // Partial answers: octokit throws when `errors` is present, with the data GitHub sent beside them.
      if (error instanceof Error && error.name === "GraphqlResponseError") {
        data = (error as Error & { data?: unknown }).data;
        errors = Array.isArray((error as Error & { errors?: unknown }).errors) ? ((error as Error & { errors: unknown[] }).errors) : [];
      } else {
        this.refused(error);
        return;
      }
    }
    if (typeof data !== "object" || data === null) {
      if (errors.some((e) => (e as Json | null)?.type === "RATE_LIMITED")) this.pausedUntil = Date.now() + 60 * 60_000;
      return;
    }
    const answer = data as Json;
    this.noteBudget(answer.rateLimit);
    // An alias named by an error is not read, but for NOT_FOUND: a repository gone since the listing has no release, as REST's 404 says.
    // Its parent is left to REST, whose 404 fails the profile as before (the previous one kept).
    const failed = new Map<string, string>();
    for (const error of errors) {
      const raw = (error ?? {}) as Json;
      const alias = Array.isArray(raw.path) && typeof raw.path[0] === "string" ? raw.path[0] : null;
      if (alias !== null) failed.set(alias, typeof raw.type === "string" ? raw.type : "ERROR");
    }
    asked.forEach(({ target }, i) => {
      const alias = `r${i}`;
      const failure = failed.get(alias);
      if (failure === "NOT_FOUND") return void found.set(target.forgeId, null);
      if (failure !== undefined || !(alias in answer)) return;
      const release = releaseOfNode(answer[alias], target);
      if (release !== undefined) found.set(target.forgeId, release);
      const parent = parentOfNode(answer[alias]);
      if (parent !== undefined) parents.set(target.forgeId, parent);
    });
  }

  /** A whole batch failed: refused for good (no GraphQL here), or only this time (REST for this batch). */
  private refused(error: unknown): void {
    if (isHttpError(error) && [401, 403, 404].includes(error.status)) {
      const spent = error.status === 403 && String(error.response?.headers["x-ratelimit-remaining"] ?? "") === "0";
      if (spent) {
        const reset = Number(error.response?.headers["x-ratelimit-reset"]);
        this.pausedUntil = Number.isFinite(reset) && reset > 0 ? reset * 1000 : Date.now() + 60 * 60_000;
        this.log(`GitHub's GraphQL budget is spent: latest releases through REST until ${new Date(this.pausedUntil).toISOString()}`);
        return;
      }
      this.unavailable = `GraphQL answered ${error.status}`;
      this.log(`GitHub's GraphQL API answered ${error.status}: latest releases through REST, one request per repository`);
      return;
    }
    // A 5xx after retries, a timeout, garbage, a rate limit we would not wait for: REST for this batch only.
    if (error instanceof Error && /rate limit/i.test(error.message)) this.pausedUntil = Date.now() + 60 * 60_000;
  }

  private noteBudget(rateLimit: unknown): void {
    if (typeof rateLimit !== "object" || rateLimit === null) return;
    const { remaining, resetAt, cost } = rateLimit as Json;
    if (typeof remaining !== "number") return;
    if (remaining >= reservePoints + (typeof cost === "number" ? cost : 1)) return;
    const reset = typeof resetAt === "string" ? Date.parse(resetAt) : NaN;
    this.pausedUntil = Number.isFinite(reset) ? reset : Date.now() + 60 * 60_000;
    this.log(`GitHub's GraphQL budget is low (${remaining} points left): latest releases through REST until ${new Date(this.pausedUntil).toISOString()}`);
  }
}

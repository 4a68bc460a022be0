// Walks one GitLab account: a group with all its subgroups, a user, or a whole
// instance, and completes each project with its licence and main language,
// which only per-project calls give. Those two calls are made only for a
// project new to the catalogue or whose last_activity_at moved since the last
// run; otherwise the stored values are reused, so an incremental run costs the
// list pages and nothing more.
import type { Account } from "../../sources/sources.ts";
import {
  ForgeError,
  notFoundAsNull,
  type AdapterFactory,
  type AdapterOptions,
  type ForgeAdapter,
  type HarvestContext,
  type HarvestEvent,
  type HarvestedOwner,
  type HarvestedRepository,
} from "../forge.ts";
import { GitLabClient } from "./client.ts";
import { spdxFromGitLabLicense } from "./licenses.ts";
import { groupOwner, isPayload, mainLanguage, namespaceOwner, numericId, projectFromPayload, userOwner, type ListedProject } from "./mapping.ts";
import { GitLabProfileReader } from "./profiles.ts";
import { AbortScope, GitLabTransport } from "./transport.ts";

/** Projects whose details are fetched at once: 2 requests each, so up to 8 in flight per account. */
const detailConcurrency = 4;
/**
 * A project's licence or languages may fail alone (GitLab answers 500 for some
 * broken repositories): that project keeps its previous values and is tried
 * again next run. So many such failures in a row mean the instance itself is
 * failing, and the account stops.
 */
const maxDetailFailuresInARow = 5;

/** A licence or language: its value, or the failure that left it unknown this run. */
type Detail = { value: string | null } | { failure: ForgeError };

export class GitLabAdapter implements ForgeAdapter {
  /** Shared by the accounts of this host, so that a rate-limit pause holds all of them. */
  private readonly transport: GitLabTransport;
  /** Profile files (issue 9). */
  readonly profiles: GitLabProfileReader;

  constructor(private readonly options: AdapterOptions) {
    this.transport = new GitLabTransport(options);
    this.profiles = new GitLabProfileReader(options, this.transport);
  }

  async *harvestAccount(account: Account, context: HarvestContext): AsyncIterable<HarvestEvent> {
    const scope = new AbortScope(context.signal);
    try {
      const client = new GitLabClient(this.options, this.transport, scope);
      yield* new AccountWalk(client, this.options.host, context, (forgeId) => this.profiles.noteEmpty(forgeId)).run(account.login);
    } finally {
      scope.close();
    }
  }
}

export const createGitLabAdapter: AdapterFactory = (options) => new GitLabAdapter(options);

class AccountWalk {
  /** Lower-cased logins of the owners already yielded in this walk. */
  private readonly owners = new Set<string>();
  /** Projects in a row whose licence or language failed with a 5xx or garbage. */
  private detailFailuresInARow = 0;

  constructor(
    private readonly client: GitLabClient,
    private readonly host: string,
    private readonly context: HarvestContext,
    /** Told of each listed project GitLab says has no commit (`empty_repo`): its profile needs no request (issue 9). */
    private readonly onEmpty: (forgeId: string) => void = () => {},
  ) {}

  run(login: string): AsyncGenerator<HarvestEvent> {
    return login === "" ? this.instance() : this.namespace(login);
  }

  private async *instance(): AsyncGenerator<HarvestEvent> {
    for await (const page of this.client.allGroups()) yield* this.groupOwners(page);
    yield* this.projects(this.client.allProjects());
  }

  private async *namespace(login: string): AsyncGenerator<HarvestEvent> {
    const group = await notFoundAsNull(this.client.group(login));
    if (group !== null) {
      const owner = groupOwner(group);
      const id = isPayload(group) ? numericId(group.id) : null;
      if (!owner || id === null) throw new ForgeError("invalid_response", `${this.host} described group "${login}" without an id or a full path`);
      yield* this.owner(owner);
      for await (const page of this.descendantGroups(id)) yield* this.groupOwners(page);
      yield* this.projects(this.client.groupProjects(id));
      return;
    }

    const user = await this.client.userByUsername(login);
    if (user === null) {
      throw new ForgeError("not_found", `${this.host} has no group or user "${login}" (deleted, renamed or made private?)`);
    }
    const id = isPayload(user) ? numericId(user.id) : null;
    if (id === null) throw new ForgeError("invalid_response", `${this.host} described user "${login}" without an id`);
    // The profile adds bio, website and location; an instance may restrict it, the list entry then does.
    const profile = await this.client.user(id).catch((error: unknown) => {
      if (error instanceof ForgeError && (error.reason === "not_found" || error.reason === "unauthorized")) return null;
      throw error;
    });
    const owner = userOwner(profile) ?? userOwner(user);
    if (!owner) throw new ForgeError("invalid_response", `${this.host} described user "${login}" without a username`);
    yield* this.owner(owner);
    yield* this.projects(this.client.userProjects(id));
  }

  /** Subgroups at every depth; level by level on instances older than descendant_groups (GitLab 13.5). */
  private async *descendantGroups(groupId: number): AsyncGenerator<unknown[]> {
    let answered = false;
    try {
      for await (const page of this.client.descendantGroups(groupId)) {
        answered = true;
        yield page;
      }
      return;
    } catch (error) {
      if (answered || !(error instanceof ForgeError) || error.reason !== "not_found") throw error;
    }
    this.context.log("no descendant_groups endpoint (GitLab before 13.5): walking the subgroups level by level");
    const queue = [groupId];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for await (const page of this.client.subgroups(next)) {
        for (const raw of page) {
          const child = isPayload(raw) ? numericId(raw.id) : null;
          if (child !== null) queue.push(child);
        }
        yield page;
      }
    }
  }

  /** A token may see internal and private groups: the catalogue only names public ones. */
  private *groupOwners(page: unknown[]): Generator<HarvestEvent> {
    for (const raw of page) {
      if (!isPayload(raw) || (raw.visibility !== undefined && raw.visibility !== "public")) continue;
      const owner = groupOwner(raw);
      if (owner) yield* this.owner(owner);
    }
  }

  private *owner(owner: HarvestedOwner): Generator<HarvestEvent> {
    const key = owner.login.toLowerCase();
    if (this.owners.has(key)) return;
    this.owners.add(key);
    yield { type: "owner", owner };
  }

  /** One event a page: its projects, completed, after the owners they name that no list gave. */
  private async *projects(pages: AsyncIterable<unknown[]>): AsyncGenerator<HarvestEvent> {
    for await (const page of pages) {
      if (this.context.signal.aborted) throw new ForgeError("interrupted", "the harvest was stopped");
      const listed: ListedProject[] = [];
      for (const raw of page) {
        const project = projectFromPayload(raw);
        if (project) {
          listed.push(project);
          if (isPayload(raw) && raw.empty_repo === true) this.onEmpty(project.repository.forgeId);
        }
        else this.context.log(`skipped a project without id, path or web URL: ${JSON.stringify(raw).slice(0, 200)}`);
      }
      const repositories = await mapLimit(listed, detailConcurrency, (project) => this.complete(project));
      for (const { namespace } of listed) {
        const owner = namespace && namespaceOwner(namespace);
        if (owner) yield* this.owner(owner);
      }
      yield { type: "repositories", repositories, unchanged: [] };
    }
  }

  private async complete({ id, repository }: ListedProject): Promise<HarvestedRepository> {
    const known = this.context.known(repository.forgeId);
    const marker = repository.changeMarker ?? null;
    if (known && marker !== null && known.changeMarker === marker) {
      return { ...repository, license: known.license, language: known.language };
    }
    const [license, language] = await Promise.all([
      this.detail(this.client.projectWithLicense(id), (project) => spdxFromGitLabLicense(isPayload(project) ? project.license : null)),
      this.detail(this.client.languages(id), mainLanguage),
    ]);
    if ("value" in license && "value" in language) {
      this.detailFailuresInARow = 0;
      return { ...repository, license: license.value, language: language.value };
    }
    const failure = "failure" in license ? license.failure : (language as { failure: ForgeError }).failure;
    if (++this.detailFailuresInARow >= maxDetailFailuresInARow) throw failure;
    this.context.log(`${repository.fullName}: licence or language kept from the previous run (${failure.message})`);
    return {
      ...repository,
      license: "value" in license ? license.value : (known?.license ?? null),
      language: "value" in language ? language.value : (known?.language ?? null),
      // The previous marker, so that the next run asks again.
      changeMarker: known?.changeMarker ?? null,
    };
  }

  private async detail(request: Promise<unknown>, read: (payload: unknown) => string | null): Promise<Detail> {
    try {
      return { value: read(await request) };
    } catch (error) {
      if (!(error instanceof ForgeError)) throw error;
      // A repository restricted to members in a public project (403), or a
      // project deleted since its list page (404): nothing public to record
      // until its activity moves again.
      if (error.reason === "unauthorized" || error.reason === "not_found") return { value: null };
      if (error.reason === "server_error" || error.reason === "invalid_response") return { failure: error };
      throw error;
    }
  }
}


/** `work` over `items`, at most `limit` at a time, results in the order of `items`. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  // After a failure the others stop taking items: the account is failing, no more requests for it.
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

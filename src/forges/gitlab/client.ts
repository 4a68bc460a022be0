// The GitLab v4 calls the adapter needs, on @gitbeaker/rest.
//
// How gitbeaker is configured, and why:
//   - requesterFn: ours (requesterFor below). Gitbeaker keeps URL building, path
//     encoding and the auth header (`token` → PRIVATE-TOKEN); every request then
//     goes through GitLabTransport, where timeouts, retries and rate limits are
//     decided once. Gitbeaker's own request handler retries 429 and 502 ten
//     times 0.25 ms apart, ignoring Retry-After, and queues every call behind
//     an in-memory limiter of 3,000 requests a minute: neither fits a harvest.
//     With our requesterFn its `rateLimits` are never consulted.
//   - queryTimeout: null. Gitbeaker arms one AbortSignal.timeout per call and
//     shares it across all the pages it follows: a per-call, not per-request,
//     timeout that cannot be combined with the harvest signal. The transport
//     times every attempt instead.
//   - camelize: false: payloads keep GitLab's snake_case names, as documented.
//   - Lists are walked page by page (pages()), not with gitbeaker's all-pages
//     helpers: those gather every page in memory before returning and drop the
//     Link header of keyset pages, while a 100,000-project instance must stream
//     one page, one transaction at a time.
import { Groups, Projects, Users } from "@gitbeaker/rest";
import { ForgeError, type AdapterOptions } from "../forge.ts";
import type { AbortScope, GitLabTransport } from "./transport.ts";

type RequesterFn = NonNullable<ConstructorParameters<typeof Projects>[0]["requesterFn"]>;
type Requester = ReturnType<RequesterFn>;
type Query = Record<string, string | number | boolean>;

/** GitLab's largest page. */
const perPage = 100;

/**
 * Gitbeaker wants the instance URL and appends /api/v4 itself; the sources'
 * `api` key may be written either way.
 */
export function instanceUrl(apiUrl: string): string {
  return apiUrl.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
}

export class GitLabClient {
  private readonly groups: InstanceType<typeof Groups>;
  private readonly users: InstanceType<typeof Users>;
  private readonly projects: InstanceType<typeof Projects>;

  /** A client per account walk: `scope` (the harvest signal) aborts every request it sends. */
  constructor(options: Pick<AdapterOptions, "apiUrl" | "token">, transport: GitLabTransport, scope: AbortScope) {
    const settings = {
      host: instanceUrl(options.apiUrl),
      requesterFn: requesterFor(transport, scope),
      queryTimeout: null,
      camelize: false as const,
      ...(options.token ? { token: options.token } : {}),
    };
    this.groups = new Groups(settings);
    this.users = new Users(settings);
    this.projects = new Projects(settings);
  }

  /** GET /groups/:id (full path or id), without the up to 100 projects GitLab embeds by default. */
  group(pathOrId: string | number): Promise<unknown> {
    return this.groups.show(pathOrId, { withProjects: false });
  }

  /** Every subgroup at any depth (GitLab 13.5+; older instances answer 404). */
  descendantGroups(groupId: number): AsyncGenerator<unknown[]> {
    return this.pages(`groups/${groupId}/descendant_groups`, {});
  }

  /** Direct subgroups only: the fallback for instances without descendant_groups. */
  subgroups(groupId: number): AsyncGenerator<unknown[]> {
    return this.pages(`groups/${groupId}/subgroups`, {});
  }

  /** The group's own public projects and its subgroups', not those merely shared with it. */
  groupProjects(groupId: number): AsyncGenerator<unknown[]> {
    return this.pages(`groups/${groupId}/projects`, { include_subgroups: true, with_shared: false, visibility: "public", order_by: "id", sort: "asc" });
  }

  /** The user of exactly this username, or null. */
  async userByUsername(username: string): Promise<unknown> {
    const found: unknown = await this.users.all({ username });
    if (!Array.isArray(found)) throw new ForgeError("invalid_response", `GET /users?username= did not answer a list`);
    return found[0] ?? null;
  }

  /** The public profile (bio, website, location) that /users?username= leaves out. */
  user(userId: number): Promise<unknown> {
    return this.users.show(userId);
  }

  userProjects(userId: number): AsyncGenerator<unknown[]> {
    return this.pages(`users/${userId}/projects`, { visibility: "public", order_by: "id", sort: "asc" });
  }

  /** Every group the client may see, subgroups included. */
  allGroups(): AsyncGenerator<unknown[]> {
    return this.pages("groups", { all_available: true, order_by: "id", sort: "asc" });
  }

  /**
   * Every public project, with keyset pagination: offset pagination is slow on
   * big instances and GitLab refuses it beyond 50,000 records.
   */
  allProjects(): AsyncGenerator<unknown[]> {
    return this.pages("projects", { visibility: "public", pagination: "keyset", order_by: "id", sort: "asc" });
  }

  /** The project with its `license` object, which lists never carry. */
  projectWithLicense(projectId: number): Promise<unknown> {
    return this.projects.show(projectId, { license: true });
  }

  /** Language name → percentage of the repository. */
  languages(projectId: number): Promise<unknown> {
    return this.projects.showLanguages(projectId);
  }

  // ---- look-ups for declarations (issue 11) ----

  /** GET /projects/:full_path: a project by its path, or a ForgeError not_found. */
  project(fullPath: string): Promise<unknown> {
    return this.projects.show(fullPath);
  }

  /** One page of a list with its headers (X-Total), for counts. */
  async firstPage(endpoint: string, query: Query): Promise<{ body: unknown; headers: Record<string, string> }> {
    const response = await this.projects.requester.get(endpoint, { searchParams: query });
    return { body: response.body, headers: response.headers };
  }

  /**
   * Yields a list page by page, following Link rel="next" (offset and keyset
   * alike), else X-Next-Page. Only the query of the next link is used, against
   * our own base URL: an instance behind a proxy often writes its external URL
   * there, which the harvester may not be able to reach (sources' `api` key).
   */
  private async *pages(endpoint: string, query: Query): AsyncGenerator<unknown[]> {
    let params: Query = { per_page: perPage, ...query };
    const requested = new Set<string>();
    for (;;) {
      requested.add(new URLSearchParams(stringValues(params)).toString());
      const response = await this.projects.requester.get(endpoint, { searchParams: params });
      if (!Array.isArray(response.body)) {
        throw new ForgeError("invalid_response", `GET /${endpoint} did not answer a list`);
      }
      yield response.body as unknown[];
      const next = nextPage(response.headers, params);
      if (!next) return;
      if (requested.has(new URLSearchParams(stringValues(next)).toString())) {
        throw new ForgeError("invalid_response", `the pagination of GET /${endpoint} loops back to a page already read`);
      }
      params = next;
    }
  }
}

function nextPage(headers: Record<string, string>, current: Query): Query | null {
  const link = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(headers.link ?? "")?.[1];
  if (link) {
    try {
      return Object.fromEntries(new URL(link).searchParams);
    } catch {
      // An unparsable link: X-Next-Page may still say where to go.
    }
  }
  const page = headers["x-next-page"]?.trim();
  return page && /^\d+$/.test(page) ? { ...current, page: Number(page) } : null;
}

function stringValues(query: Query): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]));
}

/**
 * Gitbeaker's requester contract, read-only, over our transport. Gitbeaker
 * passes camelCase options (withProjects): GitLab wants snake_case, which is
 * what gitbeaker's own handler does too.
 */
function requesterFor(transport: GitLabTransport, scope: AbortScope): RequesterFn {
  return (resource) => {
    const base = resource.url.endsWith("/") ? resource.url : `${resource.url}/`;
    const get = async (endpoint: string, options?: { searchParams?: Record<string, unknown> }) => {
      const url = new URL(endpoint, base);
      for (const [key, value] of Object.entries(options?.searchParams ?? {})) {
        if (value === undefined || value === null) continue;
        url.searchParams.append(key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), String(value));
      }
      const headers: Record<string, string> = { accept: "application/json", "user-agent": "code-commun-harvester", ...resource.headers };
      for (const [name, value] of Object.entries(resource.authHeaders)) headers[name] = await value();
      return transport.get(url, headers, scope);
    };
    const readOnly = () => Promise.reject(new Error("the GitLab harvester never writes to a forge"));
    return { get, post: readOnly, put: readOnly, patch: readOnly, delete: readOnly } as unknown as Requester;
  };
}

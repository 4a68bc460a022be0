// Atom feeds under /feeds/: new repositories, any search (the query string of
// /repositories and /api/v1/repositories), an owner's and a public body's
// repositories. Answers are cached like pages: per index generation (a
// harvest), language, base address and URL, for a minute at most, with an
// ETag so that feed readers polling an unchanged feed get a 304.
import { Router, type Request, type Response } from "express";
import { parseSearchQuery, type QueryString } from "../search/parseQuery.ts";
import type { SearchQuery } from "../search/types.ts";
import { listNewestRepositories } from "../store/agentLists.ts";
import type { RepositoryRow } from "../store/catalog.ts";
import { bodyEtag, dataMaxAge, notModified } from "../web/api/http.ts";
import { findPublicOwner } from "../web/api/lookups.ts";
import { requestBaseUrl } from "../web/baseUrl.ts";
import { HttpError } from "../web/errors.ts";
import { localeMiddleware } from "../web/locale.ts";
import type { Site } from "../web/site.ts";
import { ownerPath, withQuery } from "../web/urls.ts";
import { repositoriesFeed, type FeedHead } from "./atom.ts";
import { feedsPath } from "./paths.ts";

export const atomType = "application/atom+xml; charset=utf-8";
/** Entries of the feeds without a per_page of their own. */
const feedEntries = 50;
const searchFeedDefault = 20;

export interface FeedDeps {
  site: Pick<Site, "db" | "search" | "publicBodies">;
  publicUrl: string | null;
  /** Feeds kept at most, and for how long (milliseconds); 0: never cached. */
  cacheEntries?: number;
  cacheTtlMs?: number;
  now?: () => number;
}

interface Cached {
  xml: string;
  etag: string;
  expiresAt: number;
}

export function feedRoutes(deps: FeedDeps): Router {
  const router = Router();
  const { site } = deps;
  const entries = new Map<string, Cached>();
  const maxEntries = deps.cacheEntries ?? 200;
  const ttlMs = deps.cacheTtlMs ?? 60_000;
  const now = deps.now ?? Date.now;

  /** Renders (or reuses) a feed and answers it, 304 when the reader has it already. */
  const send = (req: Request, res: Response, render: (baseUrl: string) => string) => {
    const baseUrl = requestBaseUrl(req, deps.publicUrl);
    const key = `${site.search.generation}\n${res.locals.lang}\n${baseUrl}\n${req.originalUrl}`;
    let found = entries.get(key);
    if (!found || found.expiresAt <= now()) {
      const xml = render(baseUrl);
      found = { xml, etag: bodyEtag(xml), expiresAt: now() + ttlMs };
      if (ttlMs > 0) {
        entries.delete(key);
        entries.set(key, found);
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      }
    }
    res.set({ "Content-Type": atomType, "Cache-Control": `public, max-age=${dataMaxAge}`, ETag: found.etag, "Access-Control-Allow-Origin": "*" });
    if (notModified(req, found.etag)) {
      res.status(304).end();
      return;
    }
    res.send(found.xml);
  };
  const self = (baseUrl: string, req: Request) => `${baseUrl}${req.originalUrl}`;

  router.use(feedsPath, localeMiddleware);

  router.get(`${feedsPath}/new.atom`, (req, res) => {
    const { i18n } = res.locals;
    send(req, res, (baseUrl) => {
      const head: FeedHead = { self: self(baseUrl, req), title: i18n.t("feeds.newTitle"), subtitle: i18n.t("feeds.newSubtitle"), page: `${baseUrl}/` };
      return repositoriesFeed(head, listNewestRepositories(site.db, feedEntries), baseUrl, i18n, (row) => new Date(row.firstSeenAt));
    });
  });

  router.get(`${feedsPath}/repositories.atom`, (req, res) => {
    const { i18n } = res.locals;
    const raw = req.query as QueryString;
    // per_page defaults to 20 here as in the API; a feed reader wants what changed, so the default order is activity.
    const parsed = parseSearchQuery(raw);
    const query: SearchQuery = { ...parsed, sort: raw.sort === undefined || raw.sort === "" ? "activity" : parsed.sort, perPage: raw.per_page === undefined ? searchFeedDefault : parsed.perPage, facets: false };
    send(req, res, (baseUrl) => {
      const page = new URL(req.originalUrl, "http://localhost");
      page.searchParams.delete("per_page");
      const head: FeedHead = {
        self: self(baseUrl, req),
        title: query.q ? i18n.t("feeds.searchTitle", { query: query.q.slice(0, 200) }) : i18n.t("feeds.allTitle"),
        subtitle: i18n.t("feeds.searchSubtitle"),
        page: `${baseUrl}/repositories${page.search}`,
      };
      return repositoriesFeed(head, site.search.search(query).items, baseUrl, i18n);
    });
  });

  router.get(`${feedsPath}/owners/:host/*login`, (req, res) => {
    const { i18n } = res.locals;
    const segments = req.params.login as string[];
    const last = segments.at(-1) ?? "";
    if (!last.endsWith(".atom") || last === ".atom") throw new HttpError(404, "not_found", `nothing at ${req.path}`);
    const host = req.params.host.toLowerCase();
    const login = [...segments.slice(0, -1), last.slice(0, -".atom".length)].join("/");
    const owner = findPublicOwner(site, host, login);
    if (!owner) throw new HttpError(404, "not_found", `no owner ${host}/${login}`);
    send(req, res, (baseUrl) => {
      const rows: RepositoryRow[] = site.search.search({ q: "", filters: { owner: [owner.id] }, sort: "activity", page: 1, perPage: feedEntries, facets: false }).items;
      const name = owner.name?.trim() || owner.login;
      const head: FeedHead = { self: self(baseUrl, req), title: i18n.t("feeds.ownerTitle", { name }), subtitle: `${owner.id}`, page: `${baseUrl}${ownerPath(owner.host, owner.login)}` };
      return repositoriesFeed(head, rows, baseUrl, i18n);
    });
  });

  router.get(`${feedsPath}/public-bodies/:file`, (req, res) => {
    const { i18n } = res.locals;
    const file = req.params.file;
    const id = file.endsWith(".atom") ? file.slice(0, -".atom".length).toLowerCase() : "";
    const known = id !== "" && !site.publicBodies.isUnidentified(id) ? site.publicBodies.body(id) : null;
    const result = id ? site.search.search({ q: "", filters: { publicBody: [id] }, sort: "activity", page: 1, perPage: feedEntries, facets: false }) : null;
    // A body the directory names has a feed even before its first repository; any other id must publish something.
    if (!result || (!known && result.total === 0)) throw new HttpError(404, "not_found", `no public body ${id || file}`);
    send(req, res, (baseUrl) => {
      const name = known?.name ?? id;
      const head: FeedHead = { self: self(baseUrl, req), title: i18n.t("feeds.bodyTitle", { name }), subtitle: id, page: `${baseUrl}${withQuery("/repositories", { public_body: id })}` };
      return repositoriesFeed(head, result.items, baseUrl, i18n);
    });
  });
  return router;
}

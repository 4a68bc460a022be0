// The reuse pages (issue 10): the external free software the public sector
// depends on and forks most, the projects several public bodies share, a public
// body's reuse; and the reuse parts of the repository, owner and statistics
// pages, read here so that those routes gain one line each.
import { Router } from "express";
import { ecosystems } from "../../reuse/types.ts";
import { findLiveRepository } from "../../store/catalog.ts";
import { listOwnerSummaries } from "../../store/owners.ts";
import {
  findRepositoryReuse,
  listAmbiguousPackages,
  listExternalPackages,
  listExternalUpstreams,
  listReuseEdges,
  listSharedProjects,
  ownerReuseSummary,
  publicBodyReuseSummary,
  reuseHistory,
  type ReuseSummary,
} from "../../store/reuse.ts";
import { HttpError } from "../errors.ts";
import type { Translator } from "../i18n/index.ts";
import { paginate, parsePage } from "../presenters/pagination.ts";
import { identifiedPsoId, publicBodyLink, publicBodyName } from "../presenters/publicBody.ts";
import {
  reuseListShown,
  repositoryHref,
  splitRepositoryId,
  toRepositoryReuseSection,
  toReuseStatistics,
  toReuseSummary,
  upstreamLink,
  type DescribeRepository,
  type RepositoryReuseSection,
  type ReuseStatistics,
  type ReuseSummaryView,
} from "../presenters/reuseView.ts";
import type { Site } from "../site.ts";
import { ownerPath, withQuery } from "../urls.ts";

/** Packages shown per ecosystem, upstreams shown, packages with several publishers shown, shared projects a page. */
const packagesShown = 15;
const upstreamsShown = 30;
const ambiguousShown = 30;
const sharedPerPage = 20;
/** "Shared": reused by at least this many other public bodies (the definition). */
export const sharedMinReusers = 2;

/** Who a catalogue repository belongs to: its public body's name, else its owner's name or login. */
function describer(site: Site, i18n: Translator): DescribeRepository {
  return (id) => {
    const parts = splitRepositoryId(id);
    const row = parts ? findLiveRepository(site.db, parts.host, parts.fullName) : undefined;
    if (!row) return null;
    const body = publicBodyLink(site.publicBodies, row.psoId, i18n);
    return { name: body?.name ?? row.ownerName?.trim() ?? row.owner };
  };
}

/** The repository page's "reused by", "builds on" and score; null before the first rebuild. */
export function repositoryReuse(site: Site, id: string, i18n: Translator): RepositoryReuseSection | null {
  const view = findRepositoryReuse(site.db, id);
  if (!view) return null;
  // The totals say whether to link to the whole list in the API. The dependents
  // and dependencies lists also hold the isBasedOn edges, shown apart: fetched
  // beyond the items shown so that they never crowd the dependencies out.
  const first = (extra: number) => ({ limit: reuseListShown + extra, offset: 0 });
  // Issue 13: most repositories have no edge at all, and each list is two queries. The graph writes an
  // edge and its entry in these lists together (reuse/graph.ts), so an empty list means no edge.
  const none = { total: 0, items: [] };
  const { reuse } = view;
  const edges = {
    forks: reuse.forks.length > 0 ? listReuseEdges(site.db, id, "forks", first(0)) : none,
    dependents: reuse.dependents.length + reuse.basedOnBy.length > 0 ? listReuseEdges(site.db, id, "dependents", first(reuse.basedOnBy.length)) : none,
    dependencies: reuse.dependsOn.length + reuse.basedOn.length > 0 ? listReuseEdges(site.db, id, "dependencies", first(reuse.basedOn.length)) : none,
  };
  return toRepositoryReuseSection(id, view, edges, describer(site, i18n), i18n);
}

/** Null when the graph has none of its repositories (not built yet): the page then says nothing of reuse. */
function summaryView(site: Site, summary: ReuseSummary, i18n: Translator): ReuseSummaryView | null {
  return summary.repositories > 0 ? toReuseSummary(summary, describer(site, i18n), i18n) : null;
}

export function ownerReuse(site: Site, owner: { host: string; login: string }, i18n: Translator): ReuseSummaryView | null {
  return summaryView(site, ownerReuseSummary(site.db, owner), i18n);
}

export function statisticsReuse(site: Site, i18n: Translator): ReuseStatistics {
  return toReuseStatistics(reuseHistory(site.db), i18n);
}

export function reuseRoutes(site: Site): Router {
  const router = Router();

  router.get("/reuse/external", (_req, res) => {
    const { i18n } = res.locals;
    const data = site.cached(`reuse-external:${site.search.generation}`, () => ({
      packages: ecosystems.map((ecosystem) => ({ ecosystem, packages: listExternalPackages(site.db, { ecosystem, limit: packagesShown }) })).filter((group) => group.packages.length > 0),
      upstreams: listExternalUpstreams(site.db, upstreamsShown),
      ambiguous: listAmbiguousPackages(site.db, ambiguousShown),
      built: reuseHistory(site.db).length > 0,
    }));
    res.render("reuseExternal", {
      title: i18n.t("reuseView.externalTitle"),
      empty: !data.built && data.packages.length === 0 && data.upstreams.length === 0,
      ecosystems: data.packages,
      upstreams: data.upstreams.map((upstream) => ({ ...upstream, link: upstreamLink(upstream.upstream) })),
      ambiguous: data.ambiguous.map((item) => ({ ...item, publishers: item.publishers.map((id) => ({ id, href: repositoryHref(id) })) })),
    });
  });

  router.get("/reuse/shared", (req, res) => {
    const { i18n } = res.locals;
    const page = parsePage(req.query.page);
    if (page === null) throw new HttpError(400, "invalid_parameter", "page must be a whole number from 1", undefined, { key: "error.param.page", params: { name: "page" } });
    const result = listSharedProjects(site.db, { minReusers: sharedMinReusers, limit: sharedPerPage, offset: (page - 1) * sharedPerPage });
    const pages = Math.max(1, Math.ceil(result.total / sharedPerPage));
    if (page > pages) throw new HttpError(404, "not_found", `no page ${page} of shared projects`);
    const describe = describer(site, i18n);
    res.render("reuseShared", {
      title: i18n.t("reuseView.sharedTitle"),
      minReusers: sharedMinReusers,
      total: result.total,
      items: result.items.map((item) => {
        const parts = splitRepositoryId(item.id);
        const row = parts ? findLiveRepository(site.db, parts.host, parts.fullName) : undefined;
        return { ...item, href: repositoryHref(item.id), by: describe(item.id)?.name ?? null, description: row?.description ?? null };
      }),
      pagination: paginate(page, pages, (n) => withQuery("/reuse/shared", { page: n > 1 ? n : null })),
    });
  });

  // A public body's page: its accounts and its reuse, in both directions.
  router.get("/public-bodies/:id", (req, res) => {
    const { i18n } = res.locals;
    const id = identifiedPsoId(site.publicBodies, req.params.id);
    const owners = id ? listOwnerSummaries(site.db).filter((owner) => owner.psoId?.trim().toLowerCase() === id) : [];
    if (!id || (owners.length === 0 && !site.publicBodies.body(id))) throw new HttpError(404, "not_found", `no public body ${req.params.id}`);
    const { name } = publicBodyName(site.publicBodies, id, i18n);
    res.render("publicBody", {
      title: name,
      name,
      repositoriesHref: withQuery("/repositories", { public_body: id }),
      repositories: owners.reduce((sum, owner) => sum + owner.repositories, 0),
      owners: owners.map((owner) => ({ label: owner.name?.trim() || owner.login, host: owner.host, href: ownerPath(owner.host, owner.login), repositories: owner.repositories })),
      reuse: summaryView(site, publicBodyReuseSummary(site.db, id), i18n),
    });
  });

  return router;
}

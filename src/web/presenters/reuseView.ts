// What readers see of the reuse graph (issue 10): who reuses a repository and
// what it builds on, its reuse score criterion by criterion, an owner's or a
// public body's reuse, the external software the public sector relies on, the
// shared projects, and reuse over time. The graph is read by src/store/reuse.ts;
// this file only shapes it for the pages. Everything in it was harvested (names,
// package names, publiccode.yml free text): the templates escape it, and links
// are built here only as catalogue paths or checked http(s) URLs.
import { safeHttpUrl } from "../../records/safeUrl.ts";
import type { ReuseEdgeKind } from "../../reuse/graph.ts";
import { reuseWeights, type ReuseCriterion } from "../../reuse/score.ts";
import { ecosystems, type Ecosystem } from "../../reuse/types.ts";
import type { RepositoryReuseView, ReuseEdgeView, ReuseHistoryPoint, ReuseSummary } from "../../store/reuse.ts";
import { createMemo } from "../cache.ts";
import type { Translator } from "../i18n/index.ts";
import { barChart, type BarChart } from "./charts.ts";
import { repositoryPath } from "../urls.ts";

/** Items of one list shown on a page; the rest are behind the API link. */
export const reuseListShown = 10;

/** Who a catalogue repository belongs to, for "reused by … (body)": the route looks it up. */
export interface RepositoryOwnerLabel {
  /** The public body's name, else the owner's name or login. */
  name: string;
}

export type DescribeRepository = (id: string) => RepositoryOwnerLabel | null;

export interface RepositoryMention {
  id: string;
  /** The catalogue page. */
  href: string;
  /** Its public body or owner, when the catalogue knows it. */
  by: string | null;
}

/** A page of edges as the store gives it (listReuseEdges). */
export interface EdgePage {
  total: number;
  items: ReuseEdgeView[];
}

export interface ReuseList<T> {
  items: T[];
  total: number;
  /** The whole list in the API, when the page shows only part of it. */
  moreHref: string | null;
}

export interface DependentItem extends RepositoryMention {
  /** "npm · @etat/ui" */
  package: string | null;
  scope: string | null;
}

export interface ExternalLink {
  text: string;
  /** Only for an http(s) URL. */
  href: string | null;
}

export interface CriterionRow {
  name: string;
  label: string;
  value: string;
  weight: number;
  points: number;
}

export interface RepositoryReuseSection {
  reusedByCount: number;
  reusedBy: {
    forks: ReuseList<RepositoryMention>;
    dependents: ReuseList<DependentItem>;
    basedOnBy: RepositoryMention[];
    declaredUsers: string[];
    empty: boolean;
  };
  buildsOn: {
    forkOf: RepositoryMention | null;
    upstream: ExternalLink | null;
    dependencies: ReuseList<DependentItem>;
    externalDependencies: number;
    basedOn: RepositoryMention[];
    basedOnExternal: ExternalLink[];
    declaredDependencies: string[];
    empty: boolean;
  };
  score: { score: number; rows: CriterionRow[]; total: number };
  builtAt: string;
  /** builtAt as a date and time in the reader's language (the same for every repository of a graph). */
  builtAtText: string;
}

// The graph's build time as text, kept per language and time (issue 13): every repository page shows
// the same one, and Intl's date-and-time format() was a visible part of an uncached page.
const builtAtTexts = createMemo(64);

function builtAtText(builtAt: string, i18n: Translator): string {
  return builtAtTexts(`${i18n.locale} ${builtAt}`, () => i18n.dateTime(builtAt));
}

/** "host/owner/name" → its host and full name; null for an id without both. */
export function splitRepositoryId(id: string): { host: string; fullName: string } | null {
  const at = id.indexOf("/");
  if (at <= 0 || at === id.length - 1) return null;
  return { host: id.slice(0, at), fullName: id.slice(at + 1) };
}

/** The catalogue page of a repository id ("host/owner/name"). */
export function repositoryHref(id: string): string {
  const parts = splitRepositoryId(id);
  return parts ? repositoryPath(parts.host, parts.fullName) : "/repositories";
}

/** The API list of one direction (h20's routes), each segment of the id encoded. */
export function reuseApiHref(id: string, direction: "dependents" | "dependencies" | "forks"): string {
  return `/api/v1/repositories/${id.split("/").map(encodeURIComponent).join("/")}/${direction}`;
}

function mention(id: string, describe: DescribeRepository): RepositoryMention {
  return { id, href: repositoryHref(id), by: describe(id)?.name ?? null };
}

function packageLabel(edge: ReuseEdgeView): string | null {
  return edge.package ? `${edge.package.ecosystem} · ${edge.package.name}` : null;
}

/**
 * The first edges of one kind. The store's dependents and dependencies lists
 * also hold the publiccode.yml isBasedOn edges (`basedOn` of them, shown apart
 * from RepositoryReuse): they are left out here and from the total.
 */
function list<T>(page: EdgePage, kind: ReuseEdgeKind, basedOn: number, map: (edge: ReuseEdgeView) => T, moreHref: string): ReuseList<T> {
  const items = page.items.filter((edge) => edge.kind === kind).slice(0, reuseListShown).map(map);
  const total = kind === "dependency" ? Math.max(items.length, page.total - basedOn) : page.total;
  return { items, total, moreHref: total > items.length ? moreHref : null };
}

/**
 * The outside upstream of a fork: "host/owner/name" of the same forge links to
 * https://host/owner/name when that makes a valid http(s) URL; "host#id" is text.
 */
export function upstreamLink(upstream: string): ExternalLink {
  if (upstream.includes("#")) return { text: upstream, href: null };
  const parts = splitRepositoryId(upstream);
  const href = parts && /^[a-z0-9.-]+(:\d+)?$/i.test(parts.host) ? safeHttpUrl(`https://${parts.host}/${parts.fullName.split("/").map(encodeURIComponent).join("/")}`) : null;
  return { text: upstream, href };
}

function criterionValue(criterion: ReuseCriterion, i18n: Translator): string {
  const { name, value } = criterion;
  if (value === null) return i18n.t("reuseView.value.unknown");
  switch (name) {
    case "recent_activity":
      return typeof value === "number" ? i18n.t("reuseView.value.days", { count: value }) : String(value);
    case "readme":
    case "contributing":
      return value === true ? i18n.t("reuseView.value.yes") : i18n.t("reuseView.value.no");
    case "publiccode":
      return value === "valid" ? i18n.t("reuseView.value.valid") : value === "invalid" ? i18n.t("reuseView.value.invalid") : i18n.t("reuseView.value.absent");
    default:
      return typeof value === "number" ? i18n.number(value) : String(value);
  }
}

/** The criterion's name in the reader's language (unknown names, from a newer score, as written). */
function criterionLabel(name: string, i18n: Translator): string {
  return name in reuseWeights ? i18n.t(`reuseView.criterion.${name as keyof typeof reuseWeights}`) : name;
}

export function toRepositoryReuseSection(
  id: string,
  view: RepositoryReuseView | null,
  edges: { forks: EdgePage; dependents: EdgePage; dependencies: EdgePage },
  describe: DescribeRepository,
  i18n: Translator,
): RepositoryReuseSection | null {
  if (!view) return null;
  const { reuse, score } = view;
  const forks = list(edges.forks, "fork", 0, (edge) => mention(edge.from, describe), reuseApiHref(id, "forks"));
  const dependents = list(edges.dependents, "dependency", reuse.basedOnBy.length, (edge) => Object.assign(mention(edge.from, describe), { package: packageLabel(edge), scope: edge.scope }), reuseApiHref(id, "dependents"));
  const dependencies = list(edges.dependencies, "dependency", reuse.basedOn.length, (edge) => Object.assign(mention(edge.to, describe), { package: packageLabel(edge), scope: edge.scope }), reuseApiHref(id, "dependencies"));
  const basedOnBy = reuse.basedOnBy.slice(0, reuseListShown).map((other) => mention(other, describe));
  const forkOf = reuse.forkOf ? mention(reuse.forkOf, describe) : null;
  const upstream = reuse.upstream ? upstreamLink(reuse.upstream) : null;
  const basedOn = reuse.basedOn.slice(0, reuseListShown).map((other) => mention(other, describe));
  const basedOnExternal = reuse.basedOnExternal.slice(0, reuseListShown).map((text) => ({ text, href: safeHttpUrl(text) }));
  const declaredUsers = reuse.declaredUsers.slice(0, reuseListShown * 2);
  const declaredDependencies = reuse.declaredDependencies.slice(0, reuseListShown * 2);
  return {
    reusedByCount: view.reusedByCount,
    reusedBy: {
      forks,
      dependents,
      basedOnBy,
      declaredUsers,
      empty: forks.total === 0 && dependents.total === 0 && basedOnBy.length === 0 && declaredUsers.length === 0,
    },
    buildsOn: {
      forkOf,
      upstream,
      dependencies,
      externalDependencies: reuse.externalDependencies,
      basedOn,
      basedOnExternal,
      declaredDependencies,
      empty: !forkOf && !upstream && dependencies.total === 0 && reuse.externalDependencies === 0 && basedOn.length === 0 && basedOnExternal.length === 0 && declaredDependencies.length === 0,
    },
    score: {
      score: score.score,
      rows: score.criteria.map((criterion) => ({ name: criterion.name, label: criterionLabel(criterion.name, i18n), value: criterionValue(criterion, i18n), weight: criterion.weight, points: criterion.points })),
      total: score.criteria.reduce((sum, criterion) => sum + criterion.weight, 0),
    },
    builtAt: view.builtAt,
    builtAtText: builtAtText(view.builtAt, i18n),
  };
}

// ---- Owners and public bodies ----

export interface ReuseSummaryView {
  repositories: number;
  reusedRepositories: number;
  reusers: number;
  reusedByOthers: Array<RepositoryMention & { count: number }>;
  reusesFrom: Array<RepositoryMention & { kind: string; count: number }>;
  empty: boolean;
}

export function edgeKindLabel(kind: ReuseEdgeKind, i18n: Translator): string {
  return i18n.t(kind === "fork" ? "reuseView.kind.fork" : kind === "dependency" ? "reuseView.kind.dependency" : "reuseView.kind.basedOn");
}

export function toReuseSummary(summary: ReuseSummary, describe: DescribeRepository, i18n: Translator): ReuseSummaryView {
  return {
    repositories: summary.repositories,
    reusedRepositories: summary.reusedRepositories,
    reusers: summary.reusers,
    reusedByOthers: summary.reusedByOthers.map((item) => Object.assign(mention(item.id, describe), { count: item.reusedByCount })),
    reusesFrom: summary.reusesFrom.map((item) => Object.assign(mention(item.id, describe), { kind: edgeKindLabel(item.kind, i18n), count: item.count })),
    empty: summary.reusedByOthers.length === 0 && summary.reusesFrom.length === 0,
  };
}

// ---- Statistics: reuse over time and by ecosystem ----

export interface ReuseHistoryRow {
  date: string;
  edgesAcrossBodies: number;
  reusedRepositories: number;
  edgesWidth: string;
  reusedWidth: string;
}

export interface ReuseStatistics {
  history: ReuseHistoryRow[];
  /** Dependencies read per ecosystem at the latest rebuild, as bars. */
  ecosystems: BarChart;
  /** The same with the internal share, for the table. */
  ecosystemRows: Array<{ ecosystem: string; dependencies: number; internal: number }>;
  latest: { builtAt: string; edgesAcrossBodies: number; reusedRepositories: number; dependencies: number; internal: number } | null;
}

/** Rebuilds shown on the chart over time, the latest ones. */
export const historyShown = 24;

function width(value: number, max: number): string {
  return `${max > 0 && value > 0 ? Math.max(0.5, (value / max) * 100).toFixed(1) : "0"}%`;
}

export function toReuseStatistics(points: readonly ReuseHistoryPoint[], i18n: Translator): ReuseStatistics {
  const totals = points.filter((point) => point.ecosystem === "all").slice(-historyShown);
  const max = Math.max(0, ...totals.flatMap((point) => [point.edgesAcrossBodies, point.reusedRepositories]));
  const history = totals.map((point) => ({
    date: point.builtAt,
    edgesAcrossBodies: point.edgesAcrossBodies,
    reusedRepositories: point.reusedRepositories,
    edgesWidth: width(point.edgesAcrossBodies, max),
    reusedWidth: width(point.reusedRepositories, max),
  }));
  const last = totals.at(-1) ?? null;
  const lastDay = last?.builtAt ?? points.at(-1)?.builtAt ?? null;
  const byEcosystem = new Map<Ecosystem, ReuseHistoryPoint>();
  if (lastDay !== null) for (const point of points) if (point.builtAt === lastDay && point.ecosystem !== "all") byEcosystem.set(point.ecosystem, point);
  const ecosystemRows = ecosystems
    .map((ecosystem) => ({ ecosystem, dependencies: byEcosystem.get(ecosystem)?.dependencies ?? 0, internal: byEcosystem.get(ecosystem)?.internal ?? 0 }))
    .filter((row) => row.dependencies > 0)
    .sort((a, b) => b.dependencies - a.dependencies);
  return {
    history,
    ecosystems: barChart(ecosystemRows.map((row) => ({ label: row.ecosystem, value: row.dependencies })), ecosystems.length, i18n.t("common.other")),
    ecosystemRows,
    latest: last ? { builtAt: last.builtAt, edgesAcrossBodies: last.edgesAcrossBodies, reusedRepositories: last.reusedRepositories, dependencies: last.dependencies, internal: last.internal } : null,
  };
}

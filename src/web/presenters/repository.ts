// View models of repositories: a card in a list, and the full page.
// Every string here is harvested, hence untrusted: templates escape it, and
// links to the forge or the homepage go through safeHttpUrl.
import type { PublicBodyDirectory } from "../../sources/publicBodies.ts";
import type { RepositoryRow } from "../../store/catalog.ts";
import { createMemo } from "../cache.ts";
import type { Translator } from "../i18n/index.ts";
import { safeHttpUrl } from "../present.ts";
import { ownerPath, repositoryPath, withQuery } from "../urls.ts";
import { publicBodyLink, type PublicBodyLink } from "./publicBody.ts";

export interface TagLink {
  label: string;
  href: string;
}

export interface RepositoryCard {
  href: string;
  fullName: string;
  host: string;
  owner: string;
  ownerHref: string;
  description: string | null;
  language: string | null;
  license: string | null;
  stars: number;
  forks: number;
  archived: boolean;
  fork: boolean;
  /** Last push, or last update when the forge gives no push date. */
  activityAt: string | null;
}

export interface RepositoryPage extends RepositoryCard {
  name: string;
  forgeUrl: string | null;
  homepage: string | null;
  /** The homepage as text, for a homepage that is not a safe link. */
  homepageText: string | null;
  template: boolean;
  topics: TagLink[];
  languageHref: string | null;
  licenseHref: string | null;
  hostHref: string;
  openIssues: number;
  defaultBranch: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  pushedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  ownerName: string | null;
  publicBody: PublicBodyLink | null;
}

/** A licence as a reader sees it: "other" is what forges say of a licence they cannot name. */
export function licenseLabel(license: string | null, i18n: Translator): string | null {
  if (license === null) return null;
  return license === "other" ? i18n.t("license.other") : license;
}

export function toRepositoryCard(row: RepositoryRow, i18n: Translator): RepositoryCard {
  return {
    href: repositoryPath(row.host, row.fullName),
    fullName: row.fullName,
    host: row.host,
    owner: row.owner,
    ownerHref: ownerPath(row.host, row.owner),
    description: row.description,
    language: row.language,
    license: licenseLabel(row.license, i18n),
    stars: row.stars,
    forks: row.forks,
    archived: row.archived,
    fork: row.fork,
    activityAt: row.pushedAt ?? row.updatedAt,
  };
}

// The search links of a repository page (its topics, language, licence, host), kept per value
// (issue 13): the same few thousand values recur on every page, and URLSearchParams was a visible
// part of the page's presenter.
const filterHrefs = createMemo(20_000);

function filterHref(name: "topic" | "language" | "license" | "host", value: string): string {
  return filterHrefs(`${name}\u0000${value}`, () => withQuery("/repositories", { [name]: value }));
}

export function toRepositoryPage(row: RepositoryRow, directory: PublicBodyDirectory, i18n: Translator): RepositoryPage {
  const homepage = safeHttpUrl(row.homepage);
  // Object.assign onto the fresh card, not `{ ...card, name, ... }`: on Node 20's V8 each property
  // written after a spread in an object literal costs about a microsecond (issue 13, seventh pass).
  return Object.assign(toRepositoryCard(row, i18n), {
    name: row.name,
    forgeUrl: safeHttpUrl(row.url),
    homepage,
    homepageText: homepage === null && row.homepage ? row.homepage : null,
    template: row.template,
    topics: row.topics.map((topic) => ({ label: topic, href: filterHref("topic", topic) })),
    languageHref: row.language ? filterHref("language", row.language) : null,
    licenseHref: row.license ? filterHref("license", row.license) : null,
    hostHref: filterHref("host", row.host),
    openIssues: row.openIssues,
    defaultBranch: row.defaultBranch,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    pushedAt: row.pushedAt,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    ownerName: row.ownerName,
    publicBody: publicBodyLink(directory, row.psoId, i18n),
  });
}

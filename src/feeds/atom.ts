// Atom 1.0 documents of repositories, written by the `feed` library. Each
// entry is one repository: its description as the summary, a short HTML
// content (licence, language, topics, links to the catalogue and the forge),
// its language, licence and topics as categories, its owner as the author.
import { Feed } from "feed";
import { safeHttpUrl } from "../records/safeUrl.ts";
import type { RepositoryRow } from "../store/catalog.ts";
import type { Translator } from "../web/i18n/index.ts";
import { ownerPath, repositoryPath } from "../web/urls.ts";

export interface FeedHead {
  /** The feed's own absolute URL: its id and its rel="self" link. */
  self: string;
  title: string;
  subtitle: string;
  /** The page showing the same list, absolute. */
  page: string;
}

/** Category schemes, so that a reader can tell a language from a licence from a topic: scheme + term is the search of that value. */
export function categorySchemes(baseUrl: string): { language: string; license: string; topic: string } {
  return { language: `${baseUrl}/repositories?language=`, license: "https://spdx.org/licenses/", topic: `${baseUrl}/repositories?topic=` };
}

/**
 * Text XML 1.0 can carry: forge data may hold control characters (and lone
 * surrogates) that would make the whole feed unreadable to a strict parser.
 */
export function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

/** Escaped for HTML: titles, summaries and contents are type="html" in the feed. */
export function escapeHtml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * A category's term or label: the feed library writes them into attributes
 * escaping only "&", so the characters that would end or break an attribute
 * are dropped (languages and topics never need them).
 */
function attributeText(text: string): string {
  return xmlSafe(text).replace(/[<>"]/g, "");
}


/** When a repository last changed, as far as its forge tells: the entry's "updated". */
export function activityDate(row: RepositoryRow): Date {
  return new Date(row.pushedAt ?? row.updatedAt ?? row.firstSeenAt);
}

export function repositoriesFeed(head: FeedHead, rows: readonly RepositoryRow[], baseUrl: string, i18n: Translator, updatedOf: (row: RepositoryRow) => Date = activityDate): string {
  const updated = rows.reduce<Date | null>((latest, row) => {
    const date = updatedOf(row);
    return latest === null || date > latest ? date : latest;
  }, null);
  const feed = new Feed({
    id: head.self,
    title: xmlSafe(head.title),
    description: xmlSafe(head.subtitle),
    link: head.page,
    feedLinks: { atom: head.self },
    language: i18n.locale,
    // An empty feed has no date of its own: the epoch says "nothing yet", and stays the same between requests.
    updated: updated ?? new Date(0),
    generator: "Code Commun",
    copyright: "Licence Ouverte 2.0",
  });
  const schemes = categorySchemes(baseUrl);
  for (const row of rows) {
    const catalogueUrl = `${baseUrl}${repositoryPath(row.host, row.fullName)}`;
    const forgeUrl = safeHttpUrl(row.url);
    const homepage = safeHttpUrl(row.homepage);
    const license = row.license === null ? i18n.t("common.noLicense") : row.license === "other" ? i18n.t("license.other") : row.license;
    const facts = [
      `<li>${escapeHtml(i18n.t("feeds.license"))}: ${escapeHtml(license)}</li>`,
      row.language ? `<li>${escapeHtml(i18n.t("feeds.language"))}: ${escapeHtml(row.language)}</li>` : "",
      row.topics.length > 0 ? `<li>${escapeHtml(i18n.t("feeds.topics"))}: ${escapeHtml(row.topics.join(", "))}</li>` : "",
      `<li>${escapeHtml(i18n.t("feeds.stars"))}: ${row.stars}</li>`,
      row.archived ? `<li>${escapeHtml(i18n.t("feeds.archived"))}</li>` : "",
    ].join("");
    const links = [
      `<a href="${escapeHtml(catalogueUrl)}">${escapeHtml(i18n.t("feeds.catalogue"))}</a>`,
      forgeUrl ? `<a href="${escapeHtml(forgeUrl)}">${escapeHtml(i18n.t("feeds.forge"))}</a>` : "",
      homepage ? `<a href="${escapeHtml(homepage)}">${escapeHtml(homepage)}</a>` : "",
    ].filter(Boolean).join(" · ");
    feed.addItem({
      id: catalogueUrl,
      title: escapeHtml(`${row.host}/${row.fullName}`),
      link: catalogueUrl,
      date: updatedOf(row),
      published: new Date(row.firstSeenAt),
      ...(row.description ? { description: escapeHtml(row.description) } : {}),
      content: `${row.description ? `<p>${escapeHtml(row.description)}</p>` : ""}<ul>${facts}</ul><p>${links}</p>`,
      author: [{ name: xmlSafe(row.ownerName?.trim() || row.owner), link: `${baseUrl}${ownerPath(row.host, row.owner)}` }],
      category: [
        ...(row.language ? [{ term: attributeText(row.language), name: attributeText(row.language), scheme: schemes.language }] : []),
        ...(row.license ? [{ term: attributeText(row.license), name: attributeText(license), scheme: schemes.license }] : []),
        ...row.topics.map((topic) => ({ term: attributeText(topic), name: attributeText(topic), scheme: schemes.topic })),
      ],
    });
  }
  return feed.atom1();
}

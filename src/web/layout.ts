// What the layout of every page needs: asset URLs, the main menu with the
// current page marked, the language switch.
import type { RequestHandler } from "express";
import type { MessageKey, Translator } from "./i18n/index.ts";
import { withLocale } from "./urls.ts";

export interface Assets {
  /** Base URL of the DSFR distribution, versioned so that it can be cached for ever. */
  dsfr: string;
  /** Our stylesheet, with a content hash in its URL for the same reason. */
  css: string;
  /** The search page's script (static/search.js), versioned the same way. */
  searchJs: string;
}

interface NavEntry {
  href: string;
  key: MessageKey;
  /** Path prefixes that belong to this entry. */
  matches: (path: string) => boolean;
}

const navEntries: NavEntry[] = [
  { href: "/", key: "nav.home", matches: (path) => path === "/" },
  { href: "/repositories", key: "nav.repositories", matches: (path) => path.startsWith("/repositories") },
  { href: "/public-bodies", key: "nav.publicBodies", matches: (path) => path.startsWith("/public-bodies") || path.startsWith("/owners/") },
  { href: "/statistics", key: "nav.statistics", matches: (path) => path.startsWith("/statistics") },
  { href: "/status", key: "nav.status", matches: (path) => path.startsWith("/status") },
  { href: "/about", key: "nav.about", matches: (path) => path.startsWith("/about") },
  // Declarations (issue 11)
  { href: "/declarations", key: "nav.declarations", matches: (path) => path.startsWith("/declarations") || path.startsWith("/moderation") },
];

/** Pages change after each harvest: browsers keep them but ask again, and the ETag makes that a 304. */
export const pageHeaders: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "no-cache");
  next();
};

/** A menu entry as the layout shows it: its label in the page's language. */
export interface NavItem {
  href: string;
  key: MessageKey;
  label: string;
  current: boolean;
}

/**
 * The menu of each language with each entry (or none, index -1) marked
 * current, built once (issue 13): the same few arrays for every page, their
 * labels translated once instead of by a helper call per entry, twice a page.
 * Views only read them.
 */
const navMenus = new Map<string, NavItem[]>();

function navMenu(i18n: Translator, current: number): NavItem[] {
  const key = `${i18n.locale} ${current}`;
  let menu = navMenus.get(key);
  if (!menu) navMenus.set(key, (menu = navEntries.map((entry, index) => ({ href: entry.href, key: entry.key, label: i18n.t(entry.key), current: index === current }))));
  return menu;
}

/** The layout's locals: only a page being rendered needs them (not one served from the page cache). */
export function layoutMiddleware(assets: Assets): RequestHandler {
  return (req, res, next) => {
    const other = res.locals.lang === "fr" ? "en" : "fr";
    res.locals.assets = assets;
    // At most one entry matches a path (their prefixes are disjoint).
    res.locals.nav = navMenu(res.locals.i18n, navEntries.findIndex((entry) => entry.matches(req.path)));
    const alternates = { fr: withLocale(req.originalUrl, "fr"), en: withLocale(req.originalUrl, "en") };
    // The switch is the other language's alternate (issue 13: one URL parsed twice, not three times).
    res.locals.langSwitch = { href: alternates[other], lang: other };
    res.locals.alternates = alternates;
    next();
  };
}

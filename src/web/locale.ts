// Chooses the language of each request: ?lang= (remembered in a cookie), then
// the cookie, then Accept-Language, then French.
import type { RequestHandler } from "express";
import { createTranslator, isLocale, negotiateLocale, type Locale, type Translator } from "./i18n/index.ts";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      lang: Locale;
      i18n: Translator;
    }
  }
}

export const localeCookie = "lang";
const cookieMaxAgeMs = 365 * 24 * 3600 * 1000; // a year: a reader's language rarely changes

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function chooseLocale(query: unknown, cookieHeader: string | undefined, acceptLanguage: string | undefined): { locale: Locale; fromQuery: boolean } {
  if (isLocale(query)) return { locale: query, fromQuery: true };
  const cookie = cookieValue(cookieHeader, localeCookie);
  if (isLocale(cookie)) return { locale: cookie, fromQuery: false };
  return { locale: negotiateLocale(acceptLanguage), fromQuery: false };
}

export const localeMiddleware: RequestHandler = (req, res, next) => {
  const { locale, fromQuery } = chooseLocale(req.query.lang, req.get("cookie"), req.get("accept-language"));
  if (fromQuery) {
    res.cookie(localeCookie, locale, { maxAge: cookieMaxAgeMs, httpOnly: true, sameSite: "lax", secure: req.secure, path: "/" });
  }
  // The same URL answers in either language: shared caches must keep them apart.
  res.vary("Accept-Language");
  res.vary("Cookie");
  res.locals.lang = locale;
  res.locals.i18n = createTranslator(locale);
  next();
};

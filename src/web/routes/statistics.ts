import { Router } from "express";
import { listOwnerSummaries } from "../../store/owners.ts";
import { activityByYear, catalogueFigures, countBy, topOwners, type CountRow } from "../../store/stats.ts";
import type { MessageKey } from "../i18n/index.ts";
import { barChart, yearBars } from "../presenters/charts.ts";
import { countPublicBodies } from "../presenters/publicBodies.ts";
import { licenseLabel } from "../presenters/repository.ts";
import type { Site } from "../site.ts";
import { ownerPath, withQuery } from "../urls.ts";
import { statisticsReuse } from "./reuse.ts";

const barsShown = 15;
const ownersShown = 15;

export function statisticsRoutes(site: Site): Router {
  const router = Router();
  router.get("/statistics", (_req, res) => {
    const { i18n } = res.locals;
    const data = site.cached(`statistics:${site.search.generation}`, () => ({
      figures: catalogueFigures(site.db),
      bodies: countPublicBodies(listOwnerSummaries(site.db), site.publicBodies),
      languages: countBy(site.db, "language"),
      licenses: countBy(site.db, "license"),
      hosts: countBy(site.db, "host"),
      years: activityByYear(site.db),
      owners: topOwners(site.db, ownersShown),
    }));
    const unknown = i18n.t("common.unknown");
    const others = i18n.t("common.other");
    const search = (params: Record<string, string>) => withQuery("/repositories", params);
    const counted = (id: string, title: MessageKey, caption: MessageKey, labelHeader: MessageKey, rows: CountRow[], label: (value: string | null) => string, href: (value: string | null) => string | null) => {
      const chart = barChart(rows.map((row) => ({ label: label(row.value), value: row.count, href: href(row.value) })), barsShown, others);
      return { id, title: i18n.t(title), caption: i18n.t(caption, { count: Math.min(barsShown, chart.distinct), shown: Math.min(barsShown, chart.distinct), total: chart.distinct }), labelHeader: i18n.t(labelHeader), chart, showShare: true };
    };
    const owners = barChart(
      data.owners.map((row) => ({ label: row.name?.trim() || row.login, value: row.repositories, href: ownerPath(row.host, row.login) })),
      ownersShown,
      others,
    );
    res.render("statistics", {
      title: i18n.t("stats.title"),
      figures: { ...data.figures, bodies: data.bodies },
      empty: data.figures.repositories === 0,
      charts: [
        counted("languages", "stats.languages", "stats.languagesCaption", "stats.language", data.languages, (value) => value ?? unknown, (value) => (value ? search({ language: value }) : null)),
        counted("licenses", "stats.licenses", "stats.licensesCaption", "stats.license", data.licenses, (value) => licenseLabel(value, i18n) ?? i18n.t("common.noLicense"), (value) =>
          search(value ? { license: value } : { has_license: "false" }),
        ),
        counted("forges", "stats.forges", "stats.forgesCaption", "stats.forge", data.hosts, (value) => value ?? unknown, (value) => (value ? search({ host: value }) : null)),
      ],
      years: yearBars(data.years),
      // Shares of a top 15 would mislead: the table gives counts only.
      // Issue 10: reuse over time and by ecosystem.
      reuse: statisticsReuse(site, i18n),
      owners: { id: "owners", title: i18n.t("stats.topOwners"), caption: i18n.t("stats.topOwnersCaption", { count: owners.rows.length }), labelHeader: i18n.t("stats.owner"), chart: owners, showShare: false },
    });
  });
  return router;
}

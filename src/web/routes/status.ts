import { Router } from "express";
import { accountStates, buildStatusReport, filterAccounts, type AccountState } from "../../harvest/statusReport.ts";
import { getRun, listRuns } from "../../store/runs.ts";
import { listRunResults } from "../../store/status.ts";
import { HttpError } from "../errors.ts";
import { paginate } from "../presenters/pagination.ts";
import { toAccountResultView, toHostView, toRunView, toStatusAccountView } from "../presenters/status.ts";
import type { Site } from "../site.ts";
import { parseStatusQuery } from "../statusQuery.ts";
import { withQuery } from "../urls.ts";

const runsShown = 10;
/** Accounts a page: the official list has about 400, a page of 50 stays light on a phone. */
const accountsPerPage = 50;

export function statusRoutes(site: Site): Router {
  const router = Router();
  router.get("/status", (req, res) => {
    const { i18n } = res.locals;
    // Only the current sources' accounts count (issue 8); the per-account list is searched, filtered and paginated (issue 14).
    const { filter, page } = parseStatusQuery(req.query as Record<string, unknown>, accountsPerPage, accountsPerPage);
    const report = buildStatusReport(site.db, site.harvestPlan?.() ?? null);
    const counts: Record<AccountState, number> = { failed: 0, skipped: 0, pending: 0, ok: 0 };
    for (const account of report.accounts) counts[account.status]++;
    const matching = filterAccounts(report.accounts, filter);
    const pages = Math.max(1, Math.ceil(matching.length / accountsPerPage));
    if (page > pages) throw new HttpError(404, "not_found", `there are ${pages} pages of accounts`);
    const query = { q: filter.q, host: filter.host, status: filter.status, reason: filter.reason };
    const hrefFor = (n: number) => withQuery("/status", { ...query, page: n > 1 ? n : undefined });
    const states = accountStates.filter((state) => state !== "pending" || counts.pending > 0);
    const hosts = report.hosts.map((host) => host.host);
    res.render("status", {
      title: page > 1 ? i18n.t("status.pageTitle", { title: i18n.t("status.title"), page }) : i18n.t("status.title"),
      runs: listRuns(site.db, runsShown).map((run) => toRunView(run, i18n)),
      counts,
      history: report.scope === "history",
      hosts: report.hosts.map((host) => toHostView(host, i18n)),
      filters: [
        { label: i18n.t("status.filter.all", { count: report.accounts.length }), href: withQuery("/status", { ...query, status: undefined }), current: filter.status === undefined },
        ...states.map((value) => ({
          label: i18n.t(`status.filter.${value}`, { count: counts[value] }),
          href: withQuery("/status", { ...query, status: value }),
          current: filter.status === value,
        })),
      ],
      search: {
        q: filter.q ?? "",
        reason: filter.reason ?? "",
        hosts: hosts.map((host) => ({ value: host, selected: host === filter.host })),
        results: states.map((value) => ({ value, label: i18n.t(`account.status.${value}`), selected: value === filter.status })),
        filtered: Boolean(filter.q || filter.host || filter.status || filter.reason),
      },
      matching: i18n.t("status.matching", { count: matching.length }),
      accounts: matching.slice((page - 1) * accountsPerPage, page * accountsPerPage).map((account) => toStatusAccountView(account, i18n)),
      pagination: paginate(page, pages, hrefFor),
    });
  });
  router.get("/status/runs/:id", (req, res) => {
    const { i18n } = res.locals;
    const id = req.params.id;
    const run = /^\d{1,9}$/.test(id) ? getRun(site.db, Number(id)) : undefined;
    if (!run) throw new HttpError(404, "not_found", `no harvest run ${id}`);
    const view = toRunView(run, i18n);
    res.render("run", { title: view.label, run: view, accounts: listRunResults(site.db, run.id).map((row) => toAccountResultView(row, i18n)) });
  });
  return router;
}

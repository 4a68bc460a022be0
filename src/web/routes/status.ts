import { Router } from "express";
import { getRun, listRuns } from "../../store/runs.ts";
import { countLatestAccountStatuses, listLatestAccountResults, listRunResults, type AccountStatus } from "../../store/status.ts";
import { HttpError } from "../errors.ts";
import { toAccountResultView, toRunView } from "../presenters/status.ts";
import type { Site } from "../site.ts";
import { withQuery } from "../urls.ts";

const runsShown = 10;
const statuses: readonly AccountStatus[] = ["failed", "skipped", "ok"];

function isAccountStatus(value: unknown): value is AccountStatus {
  return typeof value === "string" && (statuses as readonly string[]).includes(value);
}

export function statusRoutes(site: Site): Router {
  const router = Router();
  router.get("/status", (req, res) => {
    const { i18n } = res.locals;
    const raw = req.query.status;
    if (raw !== undefined && raw !== "" && !isAccountStatus(raw)) throw new HttpError(400, "invalid_parameter", `status must be one of ${statuses.join(", ")}`);
    const status = isAccountStatus(raw) ? raw : undefined;
    const counts = countLatestAccountStatuses(site.db);
    const all = counts.failed + counts.skipped + counts.ok;
    res.render("status", {
      title: i18n.t("status.title"),
      runs: listRuns(site.db, runsShown).map((run) => toRunView(run, i18n)),
      counts,
      filters: [
        { label: i18n.t("status.filter.all", { count: all }), href: "/status", current: status === undefined },
        ...statuses.map((value) => ({
          label: i18n.t(`status.filter.${value}`, { count: counts[value] }),
          href: withQuery("/status", { status: value }),
          current: status === value,
        })),
      ],
      accounts: listLatestAccountResults(site.db, status).map((row) => toAccountResultView(row, i18n)),
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

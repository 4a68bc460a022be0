import { Router } from "express";
import { toPublicRepository } from "../../records/repository.ts";
import { countLiveRepositories, listRecentRepositories } from "../../store/catalog.ts";
import type { AppDeps } from "../app.ts";
import { HttpError } from "../errors.ts";
import { safeHttpUrl } from "../present.ts";

const pageSize = 50;

export function homeRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.get("/", (req, res) => {
    const raw = typeof req.query.page === "string" ? req.query.page : "1";
    if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw new HttpError(400, "invalid_parameter", "page must be a positive whole number");
    const page = Number(raw);
    const total = countLiveRepositories(db);
    const repositories = listRecentRepositories(db, pageSize, (page - 1) * pageSize).map((row) => {
      const record = toPublicRepository(row);
      return { ...record, url: safeHttpUrl(record.url), homepage: safeHttpUrl(record.homepage) };
    });
    const pages = Math.max(1, Math.ceil(total / pageSize));
    res.render("home", {
      title: "Code Commun",
      total,
      repositories,
      page,
      previous: page > 1 ? page - 1 : null,
      next: page < pages ? page + 1 : null,
      pages,
    });
  });
  return router;
}

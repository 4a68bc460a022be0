import { Router } from "express";
import { findLiveRepository } from "../../store/catalog.ts";
import { findOwner } from "../../store/owners.ts";
import { HttpError } from "../errors.ts";
import { toRepositoryPage } from "../presenters/repository.ts";
import { issueTrackerUrl, licenceMeaning, ownerContact } from "../presenters/repositoryReuse.ts";
import { findSimilar } from "../../search/similar.ts";
import { toSimilarRepository } from "../presenters/similar.ts";
import { toProfileView } from "../presenters/repositoryProfile.ts";
import { findProfile } from "../../store/profiles.ts";
import type { Site } from "../site.ts";
import { queryString, repositoryPath } from "../urls.ts";
import { repositoryReuse } from "./reuse.ts";
import { repositoryId } from "../../records/repository.ts";

export function repositoryRoutes(site: Site): Router {
  const router = Router();
  router.get("/repositories/:host/*name", (req, res) => {
    const { i18n } = res.locals;
    const requested = repositoryPath(req.params.host, (req.params.name as string[]).join("/"));
    // As lenient as the API: a host in capitals, a trailing or doubled slash find the repository...
    const host = req.params.host.toLowerCase();
    const fullName = (req.params.name as string[]).filter((segment) => segment !== "").join("/");
    const row = findLiveRepository(site.db, host, fullName);
    if (!row) throw new HttpError(404, "not_found", `no repository ${host}/${fullName}`);
    // ...and one address per repository, in the case the forge spells it, redirects there.
    const canonical = repositoryPath(row.host, row.fullName);
    if (canonical !== requested) {
      res.redirect(301, `${canonical}${queryString(req.originalUrl)}`);
      return;
    }
    const page = toRepositoryPage(row, site.publicBodies, i18n);
    res.render("repository", {
      title: row.fullName,
      repository: page,
      // Issue 14: similar by text with the reasons; reuse: licence, issue tracker, owner's contact.
      similar: findSimilar(site.search, row).map((match) => toSimilarRepository(match, i18n)),
      licenceMeaning: licenceMeaning(row.license, i18n),
      issuesHref: issueTrackerUrl(row),
      ownerContact: ownerContact(findOwner(site.db, row.host, row.owner)),
      // Issue 9: README, publiccode.yml, community files, release, clone URLs, checks.
      profile: toProfileView(row, findProfile(site.db, row.pk), i18n, site.now()),
      // Issue 10: who reuses it, what it builds on, its reuse score.
      reuseGraph: repositoryReuse(site, repositoryId(row.host, row.fullName), i18n),
    });
  });
  return router;
}

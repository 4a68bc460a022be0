// Profiles for repositories of the seeded catalogue (issue 9), written through
// the store's own saveProfile and the real README renderer and validator.
import type { Db } from "../../src/store/database.ts";
import { classifyRoot } from "../../src/profiles/files.ts";
import type { RepositoryProfile } from "../../src/profiles/profile.ts";
import { renderReadme } from "../../src/profiles/readme.ts";
import { validatePubliccode } from "../../src/publiccode/validate.ts";
import { recordProfileFailure, saveProfile } from "../../src/store/profiles.ts";

export const udataPubliccode = `publiccodeYmlVersion: "0"
name: udata
url: https://github.com/etalab/udata
landingURL: https://www.data.gouv.fr
softwareVersion: 9.1.0
releaseDate: "2025-05-01"
platforms: [web]
categories: [data-collection, data-visualization]
developmentStatus: stable
softwareType: standalone/web
usedBy: [data.gouv.fr, Ville de Paris]
isBasedOn: https://github.com/opendatateam/udata
description:
  fr:
    shortDescription: Plateforme de publication de données ouvertes
    longDescription: |
      udata est la plateforme qui propulse data.gouv.fr, le portail national des données publiques.

      Elle publie des jeux de données, leurs ressources et leurs réutilisations, et moissonne d’autres catalogues.
    features: [Publication de jeux de données, Moissonnage de catalogues]
  en:
    shortDescription: Open data publishing platform
    longDescription: udata is the platform behind data.gouv.fr, the French national open data portal. It publishes datasets, their resources and their reuses, and harvests other catalogues.
    features: [Dataset publication, Catalogue harvesting]
localisation:
  localisationReady: true
  availableLanguages: [fr, en]
legal:
  license: AGPL-3.0-or-later
  mainCopyrightOwner: Etalab
maintenance:
  type: internal
  contacts:
    - name: Équipe data.gouv.fr
      email: contact@data.gouv.fr
dependsOn:
  open:
    - name: MongoDB
      versionMin: "4.4"
`;

function pkOf(db: Db, host: string, fullName: string): number {
  const row = db.$client.prepare("SELECT pk FROM repositories WHERE host = ? AND lower(full_name) = lower(?)").get(host, fullName) as { pk: number } | undefined;
  if (!row) throw new Error(`no seeded repository ${host}/${fullName}`);
  return row.pk;
}

export function profileFrom(url: string, files: Record<string, string>, release: RepositoryProfile["latestRelease"] = null): RepositoryProfile {
  const { files: found } = classifyRoot(Object.keys(files).map((name) => ({ name, type: "file", size: files[name]!.length, sha: null })));
  const links = { blob: (path: string) => `${url}/blob/main/${path}`, raw: (path: string) => `${url}/raw/main/${path}` };
  return {
    files: found,
    shas: {},
    tooLarge: [],
    readme: found.readme ? renderReadme(found.readme, files[found.readme]!, links) : null,
    publiccode: found.publiccode ? { name: found.publiccode, text: files[found.publiccode]!, result: validatePubliccode(files[found.publiccode]!) } : null,
    latestRelease: release,
  };
}

/** udata: a full profile; api-adresse: a README only; budget: an invalid publiccode.yml; script: a failed fetch. */
export function seedProfiles(db: Db, at = "2025-06-14T03:20:00Z"): void {
  saveProfile(db, pkOf(db, "github.com", "etalab/udata"), profileFrom("https://github.com/etalab/udata", {
    "README.md": "# udata\n\nCustomizable **open data** portal. See [the docs](docs/index.md).\n\n![logo](logo.png)\n\n```\nnpm install\nnpm run build\n```\n",
    "publiccode.yml": udataPubliccode,
    LICENSE: "AGPL",
    "CONTRIBUTING.md": "PRs welcome",
    "CHANGELOG.md": "## 9.1.0",
  }, { kind: "release", name: "v9.1.0", tag: "v9.1.0", date: "2025-05-01T10:00:00.000Z", url: "https://github.com/etalab/udata/releases/tag/v9.1.0" }), "2024-01-10T09:00:00Z", at);
  saveProfile(db, pkOf(db, "github.com", "etalab/api-adresse"), profileFrom("https://github.com/etalab/api-adresse", { "README.md": "Geocoding API for French addresses (Base Adresse Nationale)." }), null, at);
  saveProfile(db, pkOf(db, "github.com", "ville-exemple/budget"), profileFrom("https://github.com/ville-exemple/budget", { "publiccode.yml": "name: budget\n" }), null, at);
  recordProfileFailure(db, pkOf(db, "github.com", "inconnu/script"), { reason: "timeout", message: "GitHub did not answer within 30 s" }, at);
}

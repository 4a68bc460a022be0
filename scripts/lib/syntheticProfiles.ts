// Repository profiles for benchmark catalogues (issue 9): a README for most
// repositories, a publiccode.yml for some, written through the store as the
// profile pass writes them. Used by bench-search.ts and ab-api-search.ts.
import type { RepositoryProfile } from "../../src/profiles/profile.ts";
import { iterateLiveRepositories } from "../../src/store/catalog.ts";
import type { Db } from "../../src/store/database.ts";
import { saveProfile } from "../../src/store/profiles.ts";
import { mulberry32 as seededRandom } from "../../test/fake-forge/random.ts";

export const publiccodeCategories = ["data-collection", "data-visualization", "document-management", "geographic-information-systems", "website", "e-signature", "hr", "accounting"];
const statuses = ["concept", "development", "beta", "stable", "obsolete"];
const softwareTypes = ["standalone/web", "standalone/backend", "library", "addon", "standalone/desktop"];

/**
 * A profile for most live repositories, in one transaction: README text made of
 * other repositories' descriptions (the catalogue's own vocabulary), about
 * 1,500 characters, and for some a publiccode.yml document.
 */
export function fillSyntheticProfiles(db: Db, seed: number, now: Date): { readmes: number; publiccodes: number } {
  const next = seededRandom(seed);
  const rows = [...iterateLiveRepositories(db)];
  const descriptions = rows.map((row) => row.description).filter((d): d is string => !!d && d.length > 20);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  let readmes = 0;
  let publiccodes = 0;
  const at = now.toISOString();
  db.$client.transaction(() => {
    for (const row of rows) {
      const hasReadme = next() < 0.85;
      const hasPubliccode = next() < 0.06;
      let text = "";
      if (hasReadme) {
        const parts = [row.name, row.description ?? ""];
        while (parts.join(" ").length < 1_500 && descriptions.length > 0) parts.push(pick(descriptions));
        text = parts.join(" ").slice(0, 3_000);
        readmes++;
      }
      const document = hasPubliccode
        ? {
            publiccodeYmlVersion: "0.4",
            name: row.name,
            categories: [pick(publiccodeCategories), pick(publiccodeCategories)],
            developmentStatus: pick(statuses),
            softwareType: pick(softwareTypes),
            description: { fr: { shortDescription: row.description ?? row.name, longDescription: `${pick(descriptions)} ${pick(descriptions)}`, features: [pick(descriptions), pick(descriptions)] } },
          }
        : null;
      if (document) publiccodes++;
      const profile: RepositoryProfile = {
        files: { readme: hasReadme ? "README.md" : null, publiccode: document ? "publiccode.yml" : null, license: null, contributing: null, codeOfConduct: null, security: null, changelog: null },
        shas: {},
        tooLarge: [],
        readme: hasReadme ? { name: "README.md", html: "", moreHtml: null, excerpt: text.slice(0, 300), text } : null,
        publiccode: document ? { name: "publiccode.yml", text: "", result: { valid: next() < 0.7, version: "0.4", errors: [], warnings: [], document } } : null,
        latestRelease: null,
      };
      saveProfile(db, row.pk, profile, null, at);
    }
  })();
  return { readmes, publiccodes };
}

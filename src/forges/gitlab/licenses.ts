// GitLab names a project's licence by the key of the licensee gem (the same
// detector GitHub runs), never by SPDX id: this map turns one into the other.
//
// The ids are those GitHub's API reports for the same licences (licensee's
// "spdx-id": "GPL-3.0", not "GPL-3.0-only"), so that one licence reads the same
// in the catalogue whichever forge hosts the code.

const spdxByKey: Readonly<Record<string, string>> = {
  "0bsd": "0BSD",
  "afl-3.0": "AFL-3.0",
  "agpl-3.0": "AGPL-3.0",
  "apache-2.0": "Apache-2.0",
  "artistic-2.0": "Artistic-2.0",
  "blueoak-1.0.0": "BlueOak-1.0.0",
  "bsd-2-clause": "BSD-2-Clause",
  "bsd-2-clause-patent": "BSD-2-Clause-Patent",
  "bsd-3-clause": "BSD-3-Clause",
  "bsd-3-clause-clear": "BSD-3-Clause-Clear",
  "bsd-4-clause": "BSD-4-Clause",
  "bsl-1.0": "BSL-1.0",
  "cc-by-4.0": "CC-BY-4.0",
  "cc-by-sa-4.0": "CC-BY-SA-4.0",
  "cc0-1.0": "CC0-1.0",
  "cecill-2.1": "CECILL-2.1",
  "cern-ohl-p-2.0": "CERN-OHL-P-2.0",
  "cern-ohl-s-2.0": "CERN-OHL-S-2.0",
  "cern-ohl-w-2.0": "CERN-OHL-W-2.0",
  "ecl-2.0": "ECL-2.0",
  "epl-1.0": "EPL-1.0",
  "epl-2.0": "EPL-2.0",
  "eupl-1.1": "EUPL-1.1",
  "eupl-1.2": "EUPL-1.2",
  "gfdl-1.3": "GFDL-1.3",
  "gpl-2.0": "GPL-2.0",
  "gpl-3.0": "GPL-3.0",
  "isc": "ISC",
  "lgpl-2.1": "LGPL-2.1",
  "lgpl-3.0": "LGPL-3.0",
  "lppl-1.3c": "LPPL-1.3c",
  "mit": "MIT",
  "mit-0": "MIT-0",
  "mpl-2.0": "MPL-2.0",
  "ms-pl": "MS-PL",
  "ms-rl": "MS-RL",
  "mulanpsl-2.0": "MulanPSL-2.0",
  "ncsa": "NCSA",
  "odbl-1.0": "ODbL-1.0",
  "ofl-1.1": "OFL-1.1",
  "osl-3.0": "OSL-3.0",
  "postgresql": "PostgreSQL",
  "unlicense": "Unlicense",
  "upl-1.0": "UPL-1.0",
  "vim": "Vim",
  "wtfpl": "WTFPL",
  "zlib": "Zlib",
};

/**
 * The SPDX id of the `license` object GitLab returns with ?license=true:
 * null when the project has none (GitLab sends null), "other" when GitLab found
 * a licence file it could not name (key "other") or one this map does not know.
 */
export function spdxFromGitLabLicense(license: unknown): string | null {
  if (license === null || typeof license !== "object") return null;
  const key = (license as { key?: unknown }).key;
  if (typeof key !== "string" || key.trim() === "") return "other";
  return spdxByKey[key.trim().toLowerCase()] ?? "other";
}

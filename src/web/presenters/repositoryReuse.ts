// What a reader needs to reuse a repository (issue 14): what its licence
// allows, where its issues are, and how to reach its owner when the forge
// gives a contact. Harvested values are untrusted: links go through
// safeHttpUrl, an e-mail must look like one before it becomes a mailto: link.
import type { RepositoryRow } from "../../store/catalog.ts";
import type { OwnerRow } from "../../store/owners.ts";
import type { MessageKey, Translator } from "../i18n/index.ts";
import { safeHttpUrl } from "../present.ts";

export type LicenceKind = "none" | "permissive" | "weakCopyleft" | "copyleft" | "unidentified" | "other";

// SPDX ids without their -only / -or-later suffix. Sources: the SPDX list and the
// French administration's list of licences for public code (Etalab, CeCILL).
const permissive = new Set(["mit", "mit-0", "apache-2.0", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "0bsd", "isc", "unlicense", "cc0-1.0", "zlib", "bsl-1.0", "wtfpl", "etalab-2.0", "cecill-b", "python-2.0", "postgresql", "x11", "ncsa", "cc-by-4.0", "upl-1.0", "afl-3.0"]);
const weakCopyleft = new Set(["lgpl-2.1", "lgpl-3.0", "lgpl-2.0", "mpl-2.0", "mpl-1.1", "cecill-c", "epl-1.0", "epl-2.0", "cddl-1.0", "cddl-1.1"]);
const copyleft = new Set(["gpl-2.0", "gpl-3.0", "agpl-3.0", "gpl-1.0", "cecill-2.0", "cecill-2.1", "cecill-1.1", "eupl-1.1", "eupl-1.2", "osl-3.0", "cc-by-sa-4.0"]);

export function licenceKind(license: string | null): LicenceKind {
  if (license === null) return "none";
  if (license === "other") return "unidentified";
  const id = license.toLowerCase().replace(/-(only|or-later)$|\+$/, "");
  if (permissive.has(id)) return "permissive";
  if (weakCopyleft.has(id)) return "weakCopyleft";
  if (copyleft.has(id)) return "copyleft";
  return "other";
}

export interface LicenceMeaning {
  kind: LicenceKind;
  /** The kind in a few words ("Licence permissive"). */
  label: string;
  /** What it means for reuse, in a sentence or two. */
  text: string;
  /** The licence's page on spdx.org, for an SPDX id. */
  spdxHref: string | null;
}

export function licenceMeaning(license: string | null, i18n: Translator): LicenceMeaning {
  const kind = licenceKind(license);
  const spdxHref = license && license !== "other" && /^[A-Za-z0-9.+-]{1,64}$/.test(license) ? `https://spdx.org/licenses/${license}.html` : null;
  return {
    kind,
    label: i18n.t(`reuse.licence.${kind}.label` as MessageKey, { license: license ?? "" }),
    text: i18n.t(`reuse.licence.${kind}.text` as MessageKey, { license: license ?? "" }),
    spdxHref,
  };
}

/** The forge's issue list of a repository: GitHub /issues, GitLab /-/issues; null for another forge or an unsafe URL. */
export function issueTrackerUrl(row: Pick<RepositoryRow, "forge" | "url">): string | null {
  const url = safeHttpUrl(row.url);
  if (!url) return null;
  const base = url.replace(/\/+$/, "");
  if (row.forge === "github") return `${base}/issues`;
  if (row.forge === "gitlab") return `${base}/-/issues`;
  return null;
}

export interface OwnerContact {
  name: string;
  email: string | null;
  website: string | null;
  /** The website as text when it is no safe link. */
  websiteText: string | null;
}

const emailPattern = /^[^\s@<>()"',;:\\]{1,64}@[^\s@<>()"',;:\\]{1,190}\.[^\s@<>()"',;:\\]{2,63}$/;

/** A harvested e-mail address when it looks like one (it becomes a mailto: link), else null. */
export function safeEmail(value: string | null | undefined): string | null {
  const email = value?.trim();
  return email && emailPattern.test(email) ? email : null;
}

/** The owner's contact as its forge gives it; null when it gives neither e-mail nor website. */
export function ownerContact(owner: OwnerRow | undefined): OwnerContact | null {
  if (!owner) return null;
  const email = safeEmail(owner.email);
  const website = safeHttpUrl(owner.website);
  const websiteText = website === null && owner.website ? owner.website.slice(0, 200) : null;
  if (!email && !website && !websiteText) return null;
  return { name: owner.name ?? owner.login, email, website, websiteText };
}

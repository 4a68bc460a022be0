// The US federal code.json inventory (code.gov metadata schema 2.0.0,
// GSA/code-gov-data schemas/schema-2.0.0.json): the shape other catalogues of
// public code read. One release per live repository, built from the public
// record and what the store knows of its owner; nothing is invented: a field
// we do not know is left out, or is the schema's "none" value where it is required.
import type { PublicBodyDirectory } from "../sources/publicBodies.ts";
import type { RepositoryRow } from "../store/catalog.ts";
import { safeHttpUrl } from "./safeUrl.ts";

export const codeJsonVersion = "2.0.0";

export interface CodeJsonRelease {
  name: string;
  organization?: string;
  description: string;
  permissions: { licenses: Array<{ name: string; URL?: string }> | null; usageType: "openSource" };
  tags: string[];
  contact: { email: string; name?: string; URL?: string };
  status?: "Archival";
  vcs: "git";
  repositoryURL: string;
  homepageURL?: string;
  languages: string[];
  /** Required by the schema; nobody measures it: 0 says "not reported". */
  laborHours: number;
  date: { created?: string; lastModified?: string; metadataLastUpdated?: string };
}

export interface CodeJsonHeader {
  version: string;
  agency: string;
  measurementType: { method: "projects" };
}

export function codeJsonHeader(agency: string): CodeJsonHeader {
  return { version: codeJsonVersion, agency, measurementType: { method: "projects" } };
}

/** An absolute http(s) URL in the normalised form JSON Schema's "uri" format accepts, or undefined. */
const httpUrl = (value: string | null): string | undefined => safeHttpUrl(value) ?? undefined;

/** The schema's "date" format is a calendar date: YYYY-MM-DD of an ISO date-time. */
function day(value: string | null): string | undefined {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

/**
 * Every repository of the catalogue is published source code of a public
 * body, hence "openSource"; its licence is named when the forge detected an
 * SPDX one ("other": a licence the forge could not identify), null otherwise.
 */
export function toCodeJsonRelease(row: RepositoryRow, bodies: PublicBodyDirectory): CodeJsonRelease {
  const body = row.psoId && !bodies.isUnidentified(row.psoId) ? bodies.body(row.psoId) : null;
  const ownerName = row.ownerName?.trim() || row.owner;
  const licenses = row.license === null ? null : [row.license === "other" ? { name: "other" } : { name: row.license, URL: `https://spdx.org/licenses/${encodeURIComponent(row.license)}.html` }];
  const date: CodeJsonRelease["date"] = {};
  const created = day(row.createdAt);
  const lastModified = day(row.pushedAt ?? row.updatedAt);
  if (created) date.created = created;
  if (lastModified) date.lastModified = lastModified;
  date.metadataLastUpdated = day(row.lastSeenAt)!;
  const ownerUrl = httpUrl(`https://${row.host}/${row.owner}`);
  const release: CodeJsonRelease = {
    name: row.name,
    organization: body?.name ?? ownerName,
    description: row.description ?? "",
    permissions: { licenses, usageType: "openSource" },
    tags: row.topics,
    // The forges publish no contact address for a repository: the schema requires the key, "" says unknown.
    contact: ownerUrl ? { email: "", name: ownerName, URL: ownerUrl } : { email: "", name: ownerName },
    vcs: "git",
    // A forge URL that is not http(s) (never seen, but forge data is untrusted): the address the host would give it.
    repositoryURL: httpUrl(row.url) ?? httpUrl(`https://${row.host}/${row.fullName}`) ?? `https://${encodeURIComponent(row.host)}/`,
    languages: row.language ? [row.language] : [],
    laborHours: 0,
    date,
  };
  if (row.archived) release.status = "Archival";
  const homepage = httpUrl(row.homepage);
  if (homepage) release.homepageURL = homepage;
  return release;
}

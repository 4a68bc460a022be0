// One line of GET /api/v1/publiccode.jsonl (issue 12): a repository's parsed
// publiccode.yml with where it comes from, the shape that catalogues built on
// publiccode.yml (Developers Italia's crawler and its followers) ingest.
import type { PubliccodeEntry } from "../../store/profiles.ts";
import { repositoryPath } from "../urls.ts";

export interface PubliccodeRecord {
  /** The catalogue's id, "<host>/<full name>". */
  id: string;
  /** The repository on its forge. */
  url: string;
  /** Its page in the catalogue. */
  catalogue_url: string;
  /** The parsed publiccode.yml, as the validator read it (valid: the export holds no other). */
  publiccode: Record<string, unknown>;
}

/** `baseUrl`: the catalogue's absolute address, without a trailing slash. */
export function toPubliccodeRecord(entry: PubliccodeEntry, baseUrl: string): PubliccodeRecord {
  return { id: `${entry.host}/${entry.fullName}`, url: entry.url, catalogue_url: `${baseUrl}${repositoryPath(entry.host, entry.fullName)}`, publiccode: entry.document };
}

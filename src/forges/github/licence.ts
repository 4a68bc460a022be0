// GitHub's licence detection (licensee) gives, per repository, either no
// licence object (no licence file found), or one whose spdx_id is an SPDX id,
// "NOASSERTION" (a licence file it could not identify), or null on some old
// GitHub Enterprise versions.
import { cleanText } from "../normalise.ts";

// SPDX ids and expressions use letters, digits, ".", "-" and "+" only.
const spdxId = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

/** The canonical licence: an SPDX id, "other" when GitHub cannot tell, null when there is none. */
export function licenceOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return "other";
  const id = cleanText((value as { spdx_id?: unknown }).spdx_id, 100);
  if (!id || id.toUpperCase() === "NOASSERTION" || !spdxId.test(id)) return "other";
  return id;
}

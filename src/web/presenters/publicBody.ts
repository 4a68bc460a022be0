// How a pso_id reads on a page.
import type { PublicBodyDirectory } from "../../sources/publicBodies.ts";
import type { Translator } from "../i18n/index.ts";
import { withQuery } from "../urls.ts";

export interface PublicBodyLink {
  id: string;
  name: string;
  /** The repositories of the body, as a search. */
  href: string;
  listed: boolean;
}

/** Null when the id is absent or a placeholder meaning "not known". */
export function identifiedPsoId(directory: PublicBodyDirectory, psoId: string | null | undefined): string | null {
  const id = psoId?.trim().toLowerCase();
  return id && !directory.isUnidentified(id) ? id : null;
}

export function publicBodyName(directory: PublicBodyDirectory, id: string, i18n: Translator): { name: string; listed: boolean } {
  const body = directory.body(id);
  if (!body) return { name: i18n.t("bodies.unlisted", { id }), listed: false };
  return { name: body.acronym ? `${body.name} (${body.acronym})` : body.name, listed: true };
}

export function publicBodyLink(directory: PublicBodyDirectory, psoId: string | null | undefined, i18n: Translator): PublicBodyLink | null {
  const id = identifiedPsoId(directory, psoId);
  if (!id) return null;
  return { id, ...publicBodyName(directory, id, i18n), href: withQuery("/repositories", { public_body: id }) };
}

// The page of an owner: an organisation, a user or a GitLab group.
import type { PublicBodyDirectory } from "../../sources/publicBodies.ts";
import type { OwnerFigures, OwnerRow } from "../../store/owners.ts";
import type { MessageKey, Translator } from "../i18n/index.ts";
import { safeEmail } from "./repositoryReuse.ts";
import { safeHttpUrl } from "../present.ts";
import { publicBodyLink, type PublicBodyLink } from "./publicBody.ts";

export interface OwnerPage {
  id: string;
  host: string;
  login: string;
  name: string;
  /** The login, shown under the name when they differ. */
  showLogin: boolean;
  kind: string | null;
  description: string | null;
  website: string | null;
  /** The contact e-mail the forge gives (issue 14), when it looks like one. */
  email: string | null;
  forgeUrl: string | null;
  location: string | null;
  verified: boolean;
  createdAt: string | null;
  publicBody: PublicBodyLink | null;
  flossPolicy: string | null;
  ospoUrl: string | null;
  figures: OwnerFigures;
  /** True when only repositories name this owner: the forge gave no description of it. */
  described: boolean;
}

const kinds = new Set(["organization", "user", "group"]);

/**
 * The owner's page on its forge. GitHub and GitLab both serve an account at
 * https://<host>/<login>; other forges are not guessed.
 */
function forgeUrl(host: string, login: string): string | null {
  return safeHttpUrl(`https://${host}/${login.split("/").map(encodeURIComponent).join("/")}`);
}

export function toOwnerPage(
  owner: OwnerRow | undefined,
  key: { host: string; login: string },
  figures: OwnerFigures,
  directory: PublicBodyDirectory,
  i18n: Translator,
): OwnerPage {
  const login = owner?.login ?? key.login;
  const name = owner?.name?.trim() || login;
  return {
    id: `${key.host}/${login}`,
    host: key.host,
    login,
    name,
    showLogin: name !== login,
    kind: owner && kinds.has(owner.kind) ? i18n.t(`kind.${owner.kind}` as MessageKey) : null,
    description: owner?.description ?? null,
    website: safeHttpUrl(owner?.website),
    email: safeEmail(owner?.email),
    forgeUrl: forgeUrl(key.host, login),
    location: owner?.location ?? null,
    verified: owner?.verified === true,
    createdAt: owner?.createdAt ?? null,
    publicBody: publicBodyLink(directory, owner?.psoId, i18n),
    flossPolicy: safeHttpUrl(owner?.flossPolicy),
    ospoUrl: safeHttpUrl(owner?.ospoUrl),
    figures,
    described: owner !== undefined,
  };
}

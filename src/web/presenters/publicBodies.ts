// Owners grouped by public body, and bodies by the ministry they report to.
import type { PublicBodyDirectory } from "../../sources/publicBodies.ts";
import type { OwnerSummary } from "../../store/owners.ts";
import type { Translator } from "../i18n/index.ts";
import { publicBodyFeedPath } from "../../feeds/paths.ts";
import { ownerPath, publicBodyPath, withQuery } from "../urls.ts";
import { identifiedPsoId, publicBodyName } from "./publicBody.ts";

interface Figures {
  owners: number;
  repositories: number;
  stars: number;
}

export interface OwnerItem {
  href: string;
  label: string;
  /** host/login, shown when the name differs from the login. */
  id: string;
  repositories: number;
}

export interface BodyGroup {
  id: string;
  anchor: string;
  name: string;
  repositoriesHref: string;
  /** Its Atom feed (issue 12). */
  feedHref: string;
  /** Its page, with its reuse (issue 10). */
  pageHref: string;
  owners: OwnerItem[];
  figures: Figures;
}

export interface MinistryGroup {
  anchor: string;
  name: string;
  bodies: BodyGroup[];
  /** The ministry's own accounts, when its id is a body's pso_id: shown under its heading, not as a card repeating its name. */
  own: BodyGroup | null;
  figures: Figures & { bodies: number };
}

export interface PublicBodiesPage {
  ministries: MinistryGroup[];
  /** Bodies outside the State, and ids the directory does not know. */
  others: BodyGroup[];
  unattached: OwnerItem[];
  counts: { ministries: number; bodies: number; owners: number };
}

/** Public bodies with at least one live repository. */
export function countPublicBodies(owners: OwnerSummary[], directory: PublicBodyDirectory): number {
  const ids = new Set<string>();
  for (const owner of owners) {
    const id = identifiedPsoId(directory, owner.psoId);
    if (id && owner.repositories > 0) ids.add(id);
  }
  return ids.size;
}

function sum(items: { figures: Figures }[]): Figures {
  return items.reduce((total, item) => ({
    owners: total.owners + item.figures.owners,
    repositories: total.repositories + item.figures.repositories,
    stars: total.stars + item.figures.stars,
  }), { owners: 0, repositories: 0, stars: 0 });
}

export function groupByPublicBody(owners: OwnerSummary[], directory: PublicBodyDirectory, i18n: Translator): PublicBodiesPage {
  const byBody = new Map<string, OwnerSummary[]>();
  const unattached: OwnerSummary[] = [];
  for (const owner of owners) {
    const id = identifiedPsoId(directory, owner.psoId);
    if (!id) unattached.push(owner);
    else byBody.set(id, [...(byBody.get(id) ?? []), owner]);
  }
  const ownerItem = (owner: OwnerSummary): OwnerItem => ({
    href: ownerPath(owner.host, owner.login),
    label: owner.name?.trim() || owner.login,
    id: `${owner.host}/${owner.login}`,
    repositories: owner.repositories,
  });
  const byName = <T extends { name: string }>(a: T, b: T) => i18n.compare(a.name, b.name);

  const ministries = new Map<string, MinistryGroup>();
  const others: BodyGroup[] = [];
  for (const [id, members] of byBody) {
    const items = members.map(ownerItem).sort((a, b) => b.repositories - a.repositories || i18n.compare(a.label, b.label));
    const group: BodyGroup = {
      id,
      anchor: `body-${id}`,
      name: publicBodyName(directory, id, i18n).name,
      repositoriesHref: withQuery("/repositories", { public_body: id }),
      feedHref: publicBodyFeedPath(id),
      pageHref: publicBodyPath(id), // issue 10
      owners: items,
      figures: {
        owners: members.length,
        repositories: members.reduce((n, owner) => n + owner.repositories, 0),
        stars: members.reduce((n, owner) => n + owner.stars, 0),
      },
    };
    const ministryId = directory.body(id)?.ministryId ?? null;
    const ministry = ministryId ? directory.ministries.get(ministryId) : undefined;
    if (!ministry) {
      others.push(group);
      continue;
    }
    let entry = ministries.get(ministry.id);
    if (!entry) {
      entry = { anchor: `ministry-${ministry.id}`, name: ministry.name[i18n.locale], bodies: [], own: null, figures: { bodies: 0, owners: 0, repositories: 0, stars: 0 } };
      ministries.set(ministry.id, entry);
    }
    // A ministry acting as a body (its own pso_id) would be a card named as the heading above it (issue 14).
    if (id === ministry.id.toLowerCase()) entry.own = group;
    else entry.bodies.push(group);
  }
  const ministryList = [...ministries.values()].sort(byName);
  for (const ministry of ministryList) {
    ministry.bodies.sort(byName);
    ministry.figures = { bodies: ministry.bodies.length + (ministry.own ? 1 : 0), ...sum(ministry.own ? [...ministry.bodies, ministry.own] : ministry.bodies) };
  }
  return {
    ministries: ministryList,
    others: others.sort(byName),
    unattached: unattached.map(ownerItem).sort((a, b) => i18n.compare(a.label, b.label)),
    counts: { ministries: ministryList.length, bodies: byBody.size, owners: owners.length },
  };
}

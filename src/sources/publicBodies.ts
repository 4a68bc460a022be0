// The directory of public bodies (data/public-bodies.yml): names for the
// pso_id of owners, and the ministry each body reports to.
import fs from "node:fs";
import { isMap, parseDocument } from "yaml";

export interface Ministry {
  id: string;
  name: { fr: string; en: string };
}

export interface PublicBody {
  id: string;
  name: string;
  acronym: string | null;
  /** null: outside the State (local authorities...) or not attached. */
  ministryId: string | null;
}

export interface PublicBodyDirectory {
  ministries: ReadonlyMap<string, Ministry>;
  /** A body by pso_id; a ministry's own id resolves to the ministry as a body. */
  body(psoId: string): PublicBody | null;
  /** The placeholder ids the sources use for "not known": treated as no pso_id at all. */
  isUnidentified(psoId: string): boolean;
  /** Every body (ministries acting as bodies included), for the declaration form's choices (issue 11). */
  list(): PublicBody[];
}

export class PublicBodiesError extends Error {
  override name = "PublicBodiesError";
}

const idPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new PublicBodiesError(`${where} must be a non-empty string`);
  return value.trim();
}

export function parsePublicBodies(source: string, file = "public-bodies.yml"): PublicBodyDirectory {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) throw new PublicBodiesError(`${file}: ${doc.errors[0]?.message}`);
  if (!isMap(doc.contents)) throw new PublicBodiesError(`${file}: expected a mapping at the top`);
  const data = doc.toJS() as { ministries?: unknown; bodies?: unknown; unidentified?: unknown };
  const checkId = (id: string, where: string) => {
    if (!idPattern.test(id)) throw new PublicBodiesError(`${file}: ${where} "${id}" is not a lower-case UUID`);
  };

  const ministries = new Map<string, Ministry>();
  for (const [id, value] of Object.entries((data.ministries ?? {}) as Record<string, { fr?: unknown; en?: unknown }>)) {
    checkId(id, "ministry id");
    ministries.set(id, { id, name: { fr: text(value?.fr, `${file}: ministries.${id}.fr`), en: text(value?.en, `${file}: ministries.${id}.en`) } });
  }

  const bodies = new Map<string, PublicBody>();
  for (const [id, value] of Object.entries((data.bodies ?? {}) as Record<string, { name?: unknown; acronym?: unknown; ministry?: unknown }>)) {
    checkId(id, "body id");
    const ministryId = value?.ministry === undefined || value.ministry === null ? null : text(value.ministry, `${file}: bodies.${id}.ministry`);
    if (ministryId !== null && !ministries.has(ministryId)) throw new PublicBodiesError(`${file}: bodies.${id}.ministry "${ministryId}" is not in ministries`);
    const acronym = value?.acronym === undefined || value.acronym === null ? null : text(String(value.acronym), `${file}: bodies.${id}.acronym`);
    bodies.set(id, { id, name: text(value?.name, `${file}: bodies.${id}.name`), acronym, ministryId });
  }

  const unidentified = new Set<string>((Array.isArray(data.unidentified) ? data.unidentified : []).map((id) => text(id, `${file}: unidentified`)));

  return {
    ministries,
    body(psoId) {
      const id = psoId.trim().toLowerCase();
      const found = bodies.get(id);
      if (found) return found;
      const ministry = ministries.get(id);
      // Names of bodies are French proper names; a ministry acting as a body is named in French too.
      return ministry ? { id, name: ministry.name.fr, acronym: null, ministryId: id } : null;
    },
    isUnidentified: (psoId) => unidentified.has(psoId.trim().toLowerCase()),
    list: () => [...[...ministries.values()].map((ministry) => ({ id: ministry.id, name: ministry.name.fr, acronym: null, ministryId: ministry.id })), ...bodies.values()],
  };
}

export function readPublicBodies(file: string): PublicBodyDirectory {
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new PublicBodiesError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parsePublicBodies(source, file);
}

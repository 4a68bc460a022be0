// GET /api/v1/owners, /api/v1/owners/{id} and /api/v1/stats, through real HTTP.
import { expect } from "chai";
import { bodies, fixtureOwners, fixtureRepositories } from "../fixtures/catalogue.ts";
import type { PublicOwnerSummary } from "../../src/web/api/present.ts";
import { servedFixture } from "../helpers/httpApp.ts";

const live = fixtureRepositories.filter((repository) => !repository.removed);
const countBy = <T>(items: T[], key: (item: T) => string | null) => {
  const counts = new Map<string | null, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/** The API's own owner shape: the test reads answers through it. */
type OwnerBody = PublicOwnerSummary;

describe("API: owners and statistics", () => {
  const served = servedFixture();

  const getJson = async <T>(path: string, status = 200): Promise<T> => {
    const response = await fetch(`${served.app.url}${path}`);
    expect(response.status, path).to.equal(status);
    return (await response.json()) as T;
  };

  it("lists owners with their live repository counts, most repositories first", async () => {
    const page = await getJson<{ total: number; page: number; per_page: number; items: OwnerBody[] }>("/api/v1/owners?per_page=100");
    const withRows = fixtureOwners.filter((owner) => owner.hasRow !== false);
    expect(page.total).to.equal(withRows.length);
    const expected = countBy(live, (repository) => `${repository.host}/${repository.owner}`);
    for (const owner of page.items) expect(owner.repositories, owner.id).to.equal(expected.get(owner.id) ?? 0);
    const counts = page.items.map((owner) => owner.repositories);
    expect(counts).to.deep.equal([...counts].sort((a, b) => b - a));
    const etalab = page.items.find((owner) => owner.id === "github.com/etalab")!;
    expect([etalab.name, etalab.public_body, etalab.public_body_name]).to.deep.equal(["Etalab", bodies.primeMinister, "Premier ministre"]);
    // The placeholder pso_id is no public body.
    expect(page.items.find((owner) => owner.login === "departement-loire-atlantique")?.public_body).to.equal(null);
  });

  it("pages owners and sorts them by name", async () => {
    const all = await getJson<{ items: OwnerBody[] }>("/api/v1/owners?sort=name&per_page=100");
    const second = await getJson<{ items: OwnerBody[]; page: number }>("/api/v1/owners?sort=name&per_page=5&page=2");
    expect(second.items.map((owner) => owner.id)).to.deep.equal(all.items.slice(5, 10).map((owner) => owner.id));
    await getJson("/api/v1/owners?sort=stars", 400);
    await getJson("/api/v1/owners?per_page=0", 400);
  });

  it("answers one owner by its id, slashes and all, whatever the case", async () => {
    const owner = await getJson<OwnerBody>("/api/v1/owners/gitlab.com/Incubateur-Territoires/communs");
    expect([owner.id, owner.kind, owner.name, owner.public_body_name]).to.deep.equal(["gitlab.com/incubateur-territoires/communs", "group", "Communs numériques", "Agence nationale de la cohésion des territoires"]);
    expect(owner.repositories).to.equal(live.filter((repository) => repository.owner === "incubateur-territoires/communs").length);
  });

  it("answers a namespace without an owner row from its repositories", async () => {
    const owner = await getJson<OwnerBody>("/api/v1/owners/git.unistra.fr/jdupont");
    expect([owner.kind, owner.name, owner.repositories]).to.deep.equal([null, null, 2]);
  });

  it("answers 404 to an unknown owner", async () => {
    const body = await getJson<{ reason: string }>("/api/v1/owners/github.com/nobody", 404);
    expect(body.reason).to.equal("not_found");
    await getJson("/api/v1/owners/github.com", 404);
  });

  it("gives totals and counts by language, licence, forge, public body and owner", async () => {
    interface Entry {
      value: string | null;
      label?: string;
      count: number;
    }
    const stats = await getJson<Record<string, number | Entry[]>>("/api/v1/stats");
    expect(stats.repositories).to.equal(live.length);
    expect(stats.archived).to.equal(live.filter((repository) => repository.archived).length);
    const asMap = (entries: Entry[]) => new Map(entries.map((entry) => [entry.value, entry.count]));
    expect(asMap(stats.by_language as Entry[])).to.deep.equal(countBy(live, (repository) => repository.language));
    expect(asMap(stats.by_license as Entry[])).to.deep.equal(countBy(live, (repository) => repository.license));
    expect(asMap(stats.by_forge as Entry[])).to.deep.equal(countBy(live, (repository) => repository.host));
    const bodyOf = new Map(fixtureOwners.map((owner) => [`${owner.host}/${owner.login}`, owner.psoId && owner.psoId !== bodies.placeholder ? owner.psoId : null]));
    expect(asMap(stats.by_public_body as Entry[])).to.deep.equal(countBy(live, (repository) => bodyOf.get(`${repository.host}/${repository.owner}`) ?? null));
    expect((stats.by_public_body as Entry[]).find((entry) => entry.value === bodies.health)?.label).to.equal("Ministère de la Santé et de la Prévention");
    expect((stats.by_owner as Entry[])[0]).to.deep.equal({ value: "github.com/etalab", label: "Etalab", count: live.filter((repository) => repository.owner === "etalab").length });
  });
});

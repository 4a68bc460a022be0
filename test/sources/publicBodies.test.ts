import path from "node:path";
import { expect } from "chai";
import { parsePublicBodies, PublicBodiesError, readPublicBodies } from "../../src/sources/publicBodies.ts";
import { rootDir } from "../helpers/webServer.ts";

const ministry = "a515667c-6dc0-4544-a1a8-2cf13d7da23b";
const body = "d1a97841-b4bf-46df-a089-1003e4e266b4";

describe("public bodies directory", () => {
  it("reads the project's data/public-bodies.yml, every body attached to a listed ministry", () => {
    const directory = readPublicBodies(path.join(rootDir, "data", "public-bodies.yml"));
    expect(directory.ministries.size).to.be.greaterThan(15);
    expect(directory.body(body)).to.deep.equal({ id: body, name: "Direction interministérielle du numérique", acronym: "DINUM", ministryId: ministry });
    expect(directory.isUnidentified("00000000-0000-0000-0000-000000000000")).to.equal(true);
  });

  it("resolves a ministry's own id as a body of that ministry, and ids case-insensitively", () => {
    const directory = parsePublicBodies(`ministries:\n  ${ministry}: { fr: Premier ministre, en: Prime Minister }\n`);
    expect(directory.body(ministry.toUpperCase())).to.deep.equal({ id: ministry, name: "Premier ministre", acronym: null, ministryId: ministry });
    expect(directory.body(body)).to.equal(null);
  });

  it("refuses a body attached to a ministry it does not list, and ids that are not UUIDs", () => {
    expect(() => parsePublicBodies(`bodies:\n  ${body}: { name: DINUM, ministry: ${ministry} }\n`)).to.throw(PublicBodiesError, /is not in ministries/);
    expect(() => parsePublicBodies(`bodies:\n  dinum: { name: DINUM }\n`)).to.throw(PublicBodiesError, /not a lower-case UUID/);
    expect(() => parsePublicBodies(`ministries:\n  ${ministry}: { fr: Premier ministre }\n`)).to.throw(PublicBodiesError, /en must be a non-empty string/);
  });
});

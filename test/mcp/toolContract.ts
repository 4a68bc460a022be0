// The checks every transport must pass: the same tools, answers and refusals
// over Streamable HTTP and stdio.
import { expect } from "chai";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { call, text } from "./mcpClient.ts";

export const toolNames = ["catalogue_statistics", "find_similar_repositories", "get_owner", "get_repository", "list_public_bodies", "search_repositories"];

export async function checkToolList(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).to.deep.equal(toolNames);
  for (const tool of tools) {
    expect(tool.description, tool.name).to.be.a("string").with.length.above(60);
    expect(tool.inputSchema.type, tool.name).to.equal("object");
    expect(tool.annotations?.readOnlyHint, tool.name).to.equal(true);
  }
  const search = tools.find((tool) => tool.name === "search_repositories")!;
  const properties = search.inputSchema.properties as Record<string, { maximum?: number; enum?: string[] }>;
  expect(Object.keys(properties)).to.include.members(["query", "language", "license", "host", "owner", "public_body", "topic", "archived", "fork", "has_license", "reused", "active_since", "sort", "limit", "page"]);
  expect(properties.limit!.maximum).to.equal(50);
  expect(properties.sort!.enum).to.deep.equal(["relevance", "stars", "forks", "activity", "name", "reuse"]);
}

/** Good arguments: a record with its catalogue and forge URLs; `catalogue` is the base the links start with. */
export async function checkGoodCalls(client: Client, catalogue: string): Promise<void> {
  const found = await call(client, "search_repositories", { query: "données ouvertes", limit: 5 });
  expect(found.isError).to.not.equal(true);
  const page = found.structuredContent as { total: number; items: Array<{ id: string; catalogue_url: string; forge_url: string; url: string }> };
  expect(page.total).to.be.above(0);
  expect(page.items).to.have.length.within(1, 5);
  for (const item of page.items) {
    expect(item.catalogue_url).to.equal(`${catalogue}/repositories/${item.id.split("/").map(encodeURIComponent).join("/")}`);
    expect(item.forge_url).to.equal(item.url).and.match(/^https:\/\//);
  }
  expect(text(found)).to.contain(page.items[0]!.id);

  const repository = await call(client, "get_repository", { id: "github.com/etalab/udata" });
  expect(repository.structuredContent).to.include({ id: "github.com/etalab/udata", language: "Python", license: "AGPL-3.0", catalogue_url: `${catalogue}/repositories/github.com/etalab/udata`, forge_url: "https://github.com/etalab/udata", owner_id: "github.com/etalab", public_body_name: "Premier ministre" });
  // A forge URL names the same repository.
  const byUrl = await call(client, "get_repository", { id: "https://github.com/etalab/udata.git" });
  expect(byUrl.structuredContent?.id).to.equal("github.com/etalab/udata");

  const similar = await call(client, "find_similar_repositories", { id: "github.com/etalab/udata" });
  const similarItems = (similar.structuredContent as { items: Array<{ id: string; topics: string[]; shared_topics: string[]; shared_words: string[] }> }).items;
  expect(similarItems).to.have.length.above(0);
  expect(similarItems.map((item) => item.id)).not.to.include("github.com/etalab/udata");
  // Ranked by text similarity (name, description, topics), as on the repository page: the closest shares a topic.
  expect(similarItems[0]!.topics.some((topic) => ["open-data", "python", "flask"].includes(topic)), similarItems[0]!.id).to.equal(true);
  // Each with why, as the page says it: the topics it shares are its own and udata's.
  expect(similarItems[0]!.shared_topics, similarItems[0]!.id).to.have.length.above(0);
  for (const item of similarItems) {
    for (const topic of item.shared_topics) expect(item.topics, item.id).to.include(topic);
    expect(item.shared_topics.length + item.shared_words.length, item.id).to.be.at.most(4);
  }
  expect(similar.content?.[0]).to.have.property("text").that.includes(`(shares: topic ${similarItems[0]!.shared_topics[0]}`);

  const owner = await call(client, "get_owner", { id: "github.com/etalab" });
  expect(owner.structuredContent).to.include({ id: "github.com/etalab", name: "Etalab", catalogue_url: `${catalogue}/owners/github.com/etalab`, forge_url: "https://github.com/etalab", feed_url: `${catalogue}/feeds/owners/github.com/etalab.atom` });
  expect((owner.structuredContent as { recent_repositories: unknown[] }).recent_repositories).to.have.length.above(0);
  const group = await call(client, "get_owner", { id: "gitlab.com/incubateur-territoires/communs" });
  expect(group.structuredContent?.name).to.equal("Communs numériques");

  const bodies = await call(client, "list_public_bodies", { query: "premier ministre" });
  const bodyItems = (bodies.structuredContent as { items: Array<{ name: string; owner_ids: string[]; repositories: number; catalogue_url: string }> }).items;
  expect(bodyItems.map((body) => body.name)).to.include("Premier ministre");
  expect(bodyItems[0]!.owner_ids).to.include("github.com/etalab");
  expect(bodyItems[0]!.catalogue_url).to.match(new RegExp(`^${catalogue}/repositories\\?public_body=`));

  const stats = await call(client, "catalogue_statistics");
  expect(stats.structuredContent?.repositories).to.be.a("number").above(100);
  expect(text(stats)).to.match(/^\d+ repositories from \d+ owners/);
}

/** Bad arguments: tool errors with a reason, and the connection still answers. */
export async function checkBadCalls(client: Client): Promise<void> {
  const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ["search_repositories", { limit: 51 }, /limit/],
    ["search_repositories", { limit: 0 }, /limit/],
    ["search_repositories", { sort: "popularity" }, /sort/],
    ["search_repositories", { active_since: "2024-02-30" }, /invalid_parameter: active_since/],
    ["search_repositories", { archived: "maybe" }, /archived/],
    ["search_repositories", { page: 100_000, limit: 50 }, /invalid_parameter: page/],
    ["search_repositories", { language: Array.from({ length: 51 }, (_, i) => `l${i}`) }, /language/],
    ["get_repository", { id: "github.com/etalab/nothing-here" }, /not_found/],
    ["get_repository", { id: "github.com" }, /not_found/],
    ["get_repository", {}, /id/],
    ["get_repository", { id: 42 }, /id/],
    ["find_similar_repositories", { id: "https://%E0%A4%A/x" }, /invalid_parameter|not_found/],
    ["get_owner", { id: "github.com" }, /invalid_parameter/],
    ["get_owner", { id: "github.com/nobody-at-all" }, /not_found/],
    ["list_public_bodies", { limit: 1000 }, /limit/],
    ["no_such_tool", {}, /no_such_tool/],
  ];
  for (const [name, args, reason] of refusals) {
    const result = await call(client, name, args);
    expect(result.isError, `${name} ${JSON.stringify(args)}`).to.equal(true);
    expect(text(result), `${name} ${JSON.stringify(args)}`).to.match(reason);
  }
  const notFound = await call(client, "get_repository", { id: "github.com/etalab/nothing-here" });
  expect(notFound.structuredContent).to.deep.equal({ error: "no repository github.com/etalab/nothing-here in the catalogue", reason: "not_found" });
  // Still answering after every refusal.
  expect((await call(client, "catalogue_statistics")).isError).to.not.equal(true);
}

/** The repository resource: listed, completed, read. */
export async function checkResources(client: Client): Promise<void> {
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates.map((template) => template.uriTemplate)).to.deep.equal(["codecommun://repositories/{+id}"]);
  const { resources } = await client.listResources();
  expect(resources.length).to.be.within(1, 50);
  expect(resources[0]!.uri).to.match(/^codecommun:\/\/repositories\/[^/]+\/.+\/.+/);

  const read = await client.readResource({ uri: "codecommun://repositories/github.com/etalab/udata" });
  const content = read.contents[0] as { uri: string; mimeType: string; text: string };
  expect(content.mimeType).to.equal("application/json");
  expect(JSON.parse(content.text)).to.include({ id: "github.com/etalab/udata", stars: 250 });
  // A nested GitLab group: slashes in the id.
  const nested = await client.readResource({ uri: resources.find((resource) => resource.uri.includes("gitlab.com/"))?.uri ?? "codecommun://repositories/gitlab.com/incubateur-territoires/communs/aides-territoires" }).catch((error: Error) => error);
  expect(nested).not.to.be.instanceOf(Error);
  const missing = await client.readResource({ uri: "codecommun://repositories/github.com/etalab/nothing-here" }).catch((error: Error & { code?: number }) => error);
  expect(missing).to.be.instanceOf(Error);
  expect((missing as { code?: number }).code).to.equal(-32002);

  const byPrefix = await client.complete({ ref: { type: "ref/resource", uri: "codecommun://repositories/{+id}" }, argument: { name: "id", value: "github.com/etalab/uda" } });
  expect(byPrefix.completion.values.slice(0, 2)).to.deep.equal(["github.com/etalab/udata", "github.com/etalab/udata-front"]);
  const byName = await client.complete({ ref: { type: "ref/resource", uri: "codecommun://repositories/{+id}" }, argument: { name: "id", value: "annuaire-entreprises" } });
  expect(byName.completion.values).to.include("github.com/etalab/annuaire-entreprises");
}

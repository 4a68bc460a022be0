// The HTTP transport's writer (src/mcp/knownJson.ts): JSON.stringify's text,
// character for character, with registered values written from their JSON.
import { expect } from "chai";
import { knownJson, stringifyKnown } from "../../src/mcp/knownJson.ts";

describe("MCP answers written with known JSON", () => {
  it("writes what JSON.stringify writes, whatever the values", () => {
    const values: object[] = [
      {},
      [],
      { a: 1, b: "two", c: null, d: true, e: [1, "x", null, { f: false }] },
      // Members JSON.stringify leaves out, or writes as null in arrays.
      { skipped: undefined, fn: () => 1, [Symbol("s")]: 1, kept: 1, list: [undefined, () => 1, 2] },
      { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, negZero: -0, big: 1e21, date: new Date(Date.UTC(2026, 0, 2)) },
      { text: 'quote " backslash \\ newline \n tab \t unicode é \u2028 lone \ud800', "key with \"quote\"": 1 },
      { result: { content: [{ type: "text", text: "x" }], structuredContent: { total: 1, items: [{ id: "a", nested: { deep: { deeper: [1, 2, { deepest: "z" }] } } }] } }, jsonrpc: "2.0", id: 7 },
      [{ jsonrpc: "2.0", id: "a", result: {} }, { jsonrpc: "2.0", id: 2, error: { code: -32601, message: "Method not found" } }],
      { withToJson: { toJSON: () => ({ replaced: true }) } },
    ];
    for (const value of values) expect(stringifyKnown(value)).to.equal(JSON.stringify(value));
  });

  it("writes a registered value from its JSON, at any of the levels of a tool call's answer", () => {
    const item = { id: "github.com/etalab/udata", stars: 3 };
    // The registered text differs from JSON.stringify's only so that the test can tell it was used.
    knownJson(item, '{"id":"github.com/etalab/udata","stars":3 }');
    const items = [item, { id: "plain" }];
    const message = { result: { content: [], structuredContent: { total: 2, items } }, jsonrpc: "2.0", id: 1 };
    const expected = JSON.stringify(message).replace('"stars":3}', '"stars":3 }');
    expect(stringifyKnown(message)).to.equal(expected);
    // In a batch, one level deeper, when the list itself is registered.
    knownJson(items, `[${'{"id":"github.com/etalab/udata","stars":3 }'},{"id":"plain"}]`);
    expect(stringifyKnown([message, message])).to.equal(`[${expected},${expected}]`);
  });
});

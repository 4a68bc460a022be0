// createMemo (src/web/cache.ts): values per key, computed once, bounded.
import { expect } from "chai";
import { createMemo } from "../../src/web/cache.ts";

describe("web: memo of values per key", () => {
  it("computes a key's value once and starts afresh past its bound", () => {
    const memo = createMemo(2);
    let computed = 0;
    const value = (key: string) => memo(key, () => `${key}:${++computed}`);
    expect([value("a"), value("a"), value("b")]).to.deep.equal(["a:1", "a:1", "b:2"]);
    // A third key: the memo is full, it starts afresh, so "a" is computed again.
    expect(value("c")).to.equal("c:3");
    expect(value("a")).to.equal("a:4");
    expect(computed).to.equal(4);
  });
});

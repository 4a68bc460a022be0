import { expect } from "chai";
import { normalisePackageName, packageKey, quoteForMessage } from "../../src/reuse/names.ts";
import type { Ecosystem } from "../../src/reuse/types.ts";

function name(ecosystem: Ecosystem, raw: unknown): string | null {
  const checked = normalisePackageName(ecosystem, raw);
  return checked.ok ? checked.name : null;
}

describe("reuse: package names per registry", () => {
  it("normalises as each registry compares names", () => {
    const cases: [Ecosystem, string, string][] = [
      ["pypi", "Django", "django"],
      ["pypi", "zope.interface", "zope-interface"],
      ["pypi", "Friendly__Bard", "friendly-bard"],
      ["pypi", "  requests  ", "requests"],
      ["pypi", "a-_.b", "a-b"],
      ["npm", "JSONStream", "JSONStream"],
      ["npm", "@Etalab/Ui", "@Etalab/Ui"],
      ["packagist", "Symfony/Console", "symfony/console"],
      ["cargo", "Serde_JSON", "serde-json"],
      ["maven", "org.Example:My-Lib", "org.Example:My-Lib"],
      ["go", "github.com/Sirupsen/logrus", "github.com/Sirupsen/logrus"],
      ["rubygems", "Nokogiri", "Nokogiri"],
    ];
    for (const [ecosystem, raw, expected] of cases) expect(name(ecosystem, raw), `${ecosystem} ${raw}`).to.equal(expected);
  });

  it("rejects what the registry would not accept", () => {
    const cases: [Ecosystem, unknown][] = [
      ["pypi", "-leading"],
      ["pypi", "trailing."],
      ["pypi", ""],
      ["pypi", 12],
      ["npm", "@scope/"],
      ["npm", "a b"],
      ["npm", "x".repeat(215)],
      ["packagist", "novendor"],
      ["cargo", "1starts-with-digit"],
      ["cargo", "x".repeat(65)],
      ["maven", "noartifact"],
      ["maven", "a:b:c"],
      ["go", "/absolute"],
      ["go", "a//b"],
      ["go", "a/../b"],
      ["go", "x".repeat(301)],
      ["rubygems", "-x"],
      ["npm", "<img src=x onerror=alert(1)>"],
      ["pypi", "naïve"],
    ];
    for (const [ecosystem, raw] of cases) expect(name(ecosystem, raw), `${ecosystem} ${String(raw).slice(0, 20)}`).to.equal(null);
  });

  it("keys packages by ecosystem and name", () => {
    expect(packageKey({ ecosystem: "npm", name: "a" })).to.not.equal(packageKey({ ecosystem: "pypi", name: "a" }));
  });

  it("quotes untrusted text short and printable", () => {
    expect(quoteForMessage("a\u0000<b>")).to.equal('"a\\u0000<b>"');
    expect(quoteForMessage("é\u202e")).to.equal('"\\u00e9\\u202e"');
    expect(quoteForMessage("x".repeat(1000))).to.have.length(83);
  });
});

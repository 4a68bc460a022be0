import { expect } from "chai";
import { manifestKind, parseManifest, requirementsScope } from "../../src/reuse/manifests/index.ts";
import { manifestLimits, type Dependency, type ManifestResult } from "../../src/reuse/types.ts";

function parsed(fileName: string, text: string): ManifestResult {
  const result = parseManifest(fileName, text);
  if (!result) throw new Error(`${fileName} is not a manifest`);
  return result;
}

function deps(result: ManifestResult): [string, string, string | null][] {
  return result.dependencies.map((d: Dependency) => [d.name, d.scope, d.requirement]);
}

function clean(result: ManifestResult): void {
  expect(result.errors, "errors").to.deep.equal([]);
}

describe("reuse: manifest file names", () => {
  it("recognises the root manifests of every ecosystem, and only them", () => {
    expect(manifestKind("package.json")).to.equal("package.json");
    expect(manifestKind("composer.json")).to.equal("composer.json");
    expect(manifestKind("pyproject.toml")).to.equal("pyproject.toml");
    expect(manifestKind("pom.xml")).to.equal("pom.xml");
    expect(manifestKind("go.mod")).to.equal("go.mod");
    expect(manifestKind("Gemfile")).to.equal("Gemfile");
    expect(manifestKind("Cargo.toml")).to.equal("Cargo.toml");
    for (const name of ["requirements.txt", "requirements-dev.txt", "requirements_test.txt", "Requirements.txt"]) {
      expect(manifestKind(name), name).to.equal("requirements.txt");
    }
    for (const name of ["package-lock.json", "gemfile", "cargo.toml", "go.sum", "requirements.in", "setup.py", "toString", "constructor", "__proto__", "dev-requirements.txt", "sub/package.json", `requirements${"x".repeat(100)}.txt`]) {
      expect(manifestKind(name), name).to.equal(null);
      expect(parseManifest(name, "{}"), name).to.equal(null);
    }
  });

  it("gives development requirements files the dev scope", () => {
    expect(requirementsScope("requirements.txt")).to.equal("runtime");
    expect(requirementsScope("requirements-prod.txt")).to.equal("runtime");
    expect(requirementsScope("requirements-dev.txt")).to.equal("dev");
    expect(requirementsScope("requirements_test.txt")).to.equal("dev");
    expect(requirementsScope("requirements-docs.txt")).to.equal("dev");
  });
});

describe("reuse: npm package.json", () => {
  it("reads the published name and the four dependency lists", () => {
    const result = parsed(
      "package.json",
      JSON.stringify({
        name: "@etalab/udata-front",
        dependencies: { react: "^18.2.0", JSONStream: "1.3.5", "my-lodash": "npm:lodash@^4.17.21", "@scope/aliased": "npm:@other/pkg" },
        devDependencies: { mocha: "^10", react: "^18.2.0" },
        peerDependencies: { vue: ">=3" },
        optionalDependencies: { fsevents: "*" },
        bundleDependencies: ["react"],
      }),
    );
    clean(result);
    expect(result.publishes).to.deep.equal([{ ecosystem: "npm", name: "@etalab/udata-front" }]);
    expect(deps(result)).to.deep.equal([
      ["react", "runtime", "^18.2.0"],
      ["JSONStream", "runtime", "1.3.5"],
      ["lodash", "runtime", "^4.17.21"],
      ["@other/pkg", "runtime", null],
      ["mocha", "dev", "^10"],
      ["react", "dev", "^18.2.0"],
      ["vue", "peer", ">=3"],
      ["fsevents", "optional", "*"],
    ]);
  });

  it("publishes nothing for a private package (an application)", () => {
    const result = parsed("package.json", JSON.stringify({ name: "frontend", private: true, dependencies: { express: "5" } }));
    expect(result.publishes).to.deep.equal([]);
    expect(deps(result)).to.deep.equal([["express", "runtime", "5"]]);
  });

  it("says why a malformed file is not read", () => {
    expect(parsed("package.json", '{"name": "x",').errors[0]).to.match(/^package\.json is not valid JSON: /);
    expect(parsed("package.json", "[1, 2]").errors).to.deep.equal(["package.json is not a JSON object"]);
    expect(parsed("package.json", "null").errors).to.deep.equal(["package.json is not a JSON object"]);
    const wrongTypes = parsed("package.json", JSON.stringify({ name: 42, dependencies: ["react"], devDependencies: { a: 1, b: "2" } }));
    expect(wrongTypes.errors).to.deep.equal([
      "published name rejected: npm package name is not a string",
      "dependencies is not an object",
      "devDependencies: the requirement of a dependency is not a string",
    ]);
    expect(deps(wrongTypes)).to.deep.equal([["b", "dev", "2"]]);
  });
});

describe("reuse: Composer composer.json", () => {
  it("reads the name and require lists, lower-cased, without platform packages", () => {
    const result = parsed(
      "composer.json",
      JSON.stringify({
        name: "Etalab/Api-Client",
        require: { php: ">=8.1", "php-64bit": "*", "ext-json": "*", "ext-mbstring": "*", "lib-curl": "*", "composer-plugin-api": "^2", "Symfony/Console": "^6.4" },
        "require-dev": { "phpunit/phpunit": "^10.5" },
      }),
    );
    clean(result);
    expect(result.publishes).to.deep.equal([{ ecosystem: "packagist", name: "etalab/api-client" }]);
    expect(deps(result)).to.deep.equal([
      ["symfony/console", "runtime", "^6.4"],
      ["phpunit/phpunit", "dev", "^10.5"],
    ]);
  });

  it("rejects names that are not vendor/package and reports broken JSON", () => {
    const result = parsed("composer.json", JSON.stringify({ name: "no-vendor", require: { "a/b/c": "1" } }));
    expect(result.publishes).to.deep.equal([]);
    expect(result.errors).to.deep.equal([
      'published name rejected: not a valid packagist package name: "no-vendor"',
      'dependency rejected: not a valid packagist package name: "a/b/c"',
    ]);
    expect(parsed("composer.json", "{'name': 'x'}").errors[0]).to.match(/^composer\.json is not valid JSON/);
  });
});

describe("reuse: pip requirements files", () => {
  const text = [
    "# the web application",
    "Django>=4.2,<5  # LTS",
    "requests[socks,security] == 2.31.0 ; python_version >= '3.8'",
    "zope.interface",
    "numpy>=1.26 \\",
    "    --hash=sha256:0123456789abcdef",
    "pip @ https://github.com/pypa/pip/archive/22.0.2.zip",
    "-r base.txt",
    "--requirement=other.txt",
    "-c constraints.txt",
    "--index-url https://pypi.example.org/simple",
    "-e git+https://github.com/etalab/udata.git@v6#egg=udata",
    "-e ./local-package",
    "git+https://gitlab.com/group/Some_Lib.git#egg=Some_Lib[extra]",
    "https://example.org/archive.zip",
    "./wheels/thing.whl",
    "Flask (>=2.0)",
    "",
    "   ",
  ].join("\n");

  it("reads PEP 508 lines, with pip's options, comments, continuations, URLs and markers", () => {
    const result = parsed("requirements.txt", text);
    clean(result);
    expect(result.publishes).to.deep.equal([]);
    expect(deps(result)).to.deep.equal([
      ["django", "runtime", ">=4.2,<5"],
      ["requests", "runtime", "== 2.31.0"],
      ["zope-interface", "runtime", null],
      ["numpy", "runtime", ">=1.26"],
      ["pip", "runtime", "https://github.com/pypa/pip/archive/22.0.2.zip"],
      ["udata", "runtime", "git+https://github.com/etalab/udata.git@v6"],
      ["some-lib", "runtime", "git+https://gitlab.com/group/Some_Lib.git"],
      ["flask", "runtime", ">=2.0"],
    ]);
    expect(result.warnings).to.deep.equal([
      'line 8: -r "base.txt" ignored: only the manifests at the root of the repository are read',
      'line 9: --requirement "other.txt" ignored: only the manifests at the root of the repository are read',
      'line 10: -c "constraints.txt" ignored: only the manifests at the root of the repository are read',
      "line 13: editable requirement without #egg= name ignored",
      "line 15: URL without #egg= name ignored",
      "line 16: local path ignored",
    ]);
  });

  it("gives the scope of the file name", () => {
    expect(deps(parsed("requirements-dev.txt", "pytest>=8\n"))).to.deep.equal([["pytest", "dev", ">=8"]]);
  });

  it("reports each line that is not a requirement, with its number, and reads the others", () => {
    const result = parsed("requirements.txt", "good==1\nthis is not\n[extras]\nunclosed[extra >=1\nalso-good\n");
    expect(result.errors).to.deep.equal([
      'line 2: not a requirement (expected a version specifier, a URL or a marker after the name): "this is not"',
      'line 3: not a requirement (does not start with a package name): "[extras]"',
      'line 4: not a requirement (unclosed [ of extras): "unclosed[extra >=1"',
    ]);
    expect(deps(result).map(([name]) => name)).to.deep.equal(["good", "also-good"]);
  });
});

describe("reuse: pyproject.toml", () => {
  it("reads [project], optional dependencies and dependency groups", () => {
    const result = parsed(
      "pyproject.toml",
      `[project]
name = "Demarches_Simplifiees.Client"
dependencies = ["httpx>=0.27", "pydantic[email]>=2 ; python_version >= '3.9'", "Typer"]

[project.optional-dependencies]
cli = ["rich"]
docs = ["mkdocs>=1.5"]

[dependency-groups]
test = ["pytest", {include-group = "lint"}]
lint = ["ruff"]
`,
    );
    clean(result);
    expect(result.publishes).to.deep.equal([{ ecosystem: "pypi", name: "demarches-simplifiees-client" }]);
    expect(deps(result)).to.deep.equal([
      ["httpx", "runtime", ">=0.27"],
      ["pydantic", "runtime", ">=2"],
      ["typer", "runtime", null],
      ["rich", "optional", null],
      ["mkdocs", "optional", ">=1.5"],
      ["pytest", "dev", null],
      ["ruff", "dev", null],
    ]);
  });

  it("reads Poetry's tables when there is no [project]", () => {
    const result = parsed(
      "pyproject.toml",
      `[tool.poetry]
name = "api-adresse"
[tool.poetry.dependencies]
python = "^3.10"
fastapi = "^0.110"
sqlalchemy = { version = "^2.0", extras = ["asyncio"] }
boto3 = { version = "^1.34", optional = true }
mylib = { git = "https://github.com/etalab/mylib.git" }
numpy = [{ version = "^1.26", python = ">=3.10" }, { version = "^1.24", python = "<3.10" }]
[tool.poetry.dev-dependencies]
black = "^24"
[tool.poetry.group.test.dependencies]
pytest = "^8"
`,
    );
    clean(result);
    expect(result.publishes).to.deep.equal([{ ecosystem: "pypi", name: "api-adresse" }]);
    expect(deps(result)).to.deep.equal([
      ["fastapi", "runtime", "^0.110"],
      ["sqlalchemy", "runtime", "^2.0"],
      ["boto3", "optional", "^1.34"],
      ["mylib", "runtime", "https://github.com/etalab/mylib.git"],
      ["numpy", "runtime", "^1.26"],
      ["black", "dev", "^24"],
      ["pytest", "dev", "^8"],
    ]);
  });

  it("says why a malformed file or entry is not read", () => {
    expect(parsed("pyproject.toml", '[project\nname = "x"').errors[0]).to.match(/^pyproject\.toml is not valid TOML: /);
    expect(parsed("pyproject.toml", 'project = "x"').errors).to.deep.equal(["[project] is not a table"]);
    const result = parsed("pyproject.toml", '[project]\nname = "ok"\ndependencies = "requests"\noptional-dependencies = { a = ["good", 3, "not a spec"] }\n');
    expect(result.errors).to.deep.equal([
      "project.dependencies is not an array",
      "project.optional-dependencies.a: an entry is not a string",
      'project.optional-dependencies.a: not a requirement (expected a version specifier, a URL or a marker after the name): "not a spec"',
    ]);
    expect(deps(result)).to.deep.equal([["good", "optional", null]]);
  });
});

describe("reuse: Maven pom.xml", () => {
  const pom = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>fr.gouv.dinum</groupId>
    <artifactId>parent</artifactId>
    <version>1.0</version>
  </parent>
  <artifactId>signature-service</artifactId>
  <properties><spring.version>6.1.0</spring.version></properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.springframework</groupId><artifactId>spring-framework-bom</artifactId><version>6.1.0</version><type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-core</artifactId>
      <version>\${spring.version}</version>
    </dependency>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.1</version><scope>runtime</scope></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.10</version><scope>test</scope></dependency>
    <dependency><groupId>jakarta.servlet</groupId><artifactId>jakarta.servlet-api</artifactId><scope>provided</scope></dependency>
    <dependency><groupId>com.example</groupId><artifactId>extra</artifactId><version>1.0</version><optional>true</optional></dependency>
    <dependency><groupId>\${project.groupId}</groupId><artifactId>sibling</artifactId><version>1.0</version></dependency>
  </dependencies>
</project>`;

  it("reads the coordinates (groupId from the parent) and the dependencies with their scope", () => {
    const result = parsed("pom.xml", pom);
    clean(result);
    expect(result.publishes).to.deep.equal([{ ecosystem: "maven", name: "fr.gouv.dinum:signature-service" }]);
    expect(deps(result)).to.deep.equal([
      ["org.springframework:spring-core", "runtime", "${spring.version}"],
      ["org.postgresql:postgresql", "runtime", "42.7.1"],
      ["junit:junit", "test", "4.10"],
      ["jakarta.servlet:jakarta.servlet-api", "provided", null],
      ["com.example:extra", "optional", "1.0"],
    ]);
    expect(result.warnings).to.deep.equal(['a dependency\'s coordinates use a property, not resolved: "${project.groupId}:sibling"']);
  });

  it("keeps versions as text and reads a single dependency", () => {
    const result = parsed("pom.xml", "<project><groupId>a</groupId><artifactId>b</artifactId><dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>1.10</version></dependency></dependencies></project>");
    expect(deps(result)).to.deep.equal([["x:y", "runtime", "1.10"]]);
  });

  it("says why a malformed file is not read, with line and column", () => {
    expect(parsed("pom.xml", "<project>\n  <artifactId>x</artifactId>\n").errors).to.deep.equal(["pom.xml is not well-formed XML: Unclosed tag 'project'. (line 1, column 1)"]);
    expect(parsed("pom.xml", "<project><a></b></project>").errors[0]).to.match(/^pom\.xml is not well-formed XML: .*\(line 1, column \d+\)$/);
    expect(parsed("pom.xml", "<settings><x>1</x></settings>").errors).to.deep.equal(["pom.xml has no <project> element"]);
    expect(parsed("pom.xml", "<project><artifactId>x</artifactId></project>").errors).to.deep.equal(["the project has no groupId (nor a parent's) or no artifactId"]);
    expect(parsed("pom.xml", "not xml at all").errors[0]).to.match(/^pom\.xml is not well-formed XML/);
  });

  it("does not expand entities (no billion laughs)", () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE project [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<project><groupId>g</groupId><artifactId>&d;</artifactId></project>`;
    const result = parsed("pom.xml", laughs);
    expect(JSON.stringify(result).length).to.be.below(2_000);
    expect(result.publishes).to.deep.equal([]);
    expect(result.errors).to.have.length(1);
  });
});

describe("reuse: Go go.mod", () => {
  it("reads the module path and require lines and blocks, marking indirect ones", () => {
    const result = parsed(
      "go.mod",
      `// the service
module github.com/etalab/Transport-Go

go 1.22
toolchain go1.22.2

require github.com/lib/pq v1.10.9

require (
\tgithub.com/gin-gonic/gin v1.9.1
\tgolang.org/x/text v0.14.0 // indirect
\t"example.com/quoted" v1.0.0 // some note; indirect
)

replace github.com/lib/pq => ../pq
exclude golang.org/x/net v1.2.3
retract (
\tv1.0.0 // broken
)
`,
    );
    clean(result);
    expect(result.publishes).to.deep.equal([{ ecosystem: "go", name: "github.com/etalab/Transport-Go" }]);
    expect(deps(result)).to.deep.equal([
      ["github.com/lib/pq", "runtime", "v1.10.9"],
      ["github.com/gin-gonic/gin", "runtime", "v1.9.1"],
      ["golang.org/x/text", "indirect", "v0.14.0"],
      ["example.com/quoted", "indirect", "v1.0.0"],
    ]);
  });

  it("says which line is malformed", () => {
    const result = parsed("go.mod", 'module a/b\nrequire x.io/y\nfrobnicate z\nrequire "unterminated v1\nrequire (\n\tok.io/m v1.0.0\n');
    expect(result.errors).to.deep.equal([
      "line 2: a requirement is a module path and a version",
      'line 3: unknown directive "frobnicate"',
      "line 4: unterminated string",
      "line 5: require ( is never closed",
    ]);
    expect(deps(result)).to.deep.equal([["ok.io/m", "runtime", "v1.0.0"]]);
  });
});

describe("reuse: RubyGems Gemfile", () => {
  it("reads gem lines, their versions and groups, without evaluating Ruby", () => {
    const result = parsed(
      "Gemfile",
      `source "https://rubygems.org"
git_source(:github) { |repo| "https://github.com/#{repo}.git" }
ruby "3.3.0"

gem "rails", "~> 7.1", ">= 7.1.2"
gem 'pg', '>= 1.1' # the database
gem("puma", require: false)
gem "decidim", git: "https://github.com/decidim/decidim", branch: "main"
gem "bootsnap", group: :production
gem "rubocop", require: false, groups: [:development, :lint]
gem "pry", :group => :development

group :development, :test do
  gem "rspec-rails"
  if ENV["CI"]
    gem "simplecov"
  end
end

platforms :jruby do
  gem "activerecord-jdbc-adapter"
end

group :production, optional: true do
  gem "newrelic_rpm"
end

gemspec
`,
    );
    clean(result);
    expect(result.publishes).to.deep.equal([]);
    expect(deps(result)).to.deep.equal([
      ["rails", "runtime", "~> 7.1, >= 7.1.2"],
      ["pg", "runtime", ">= 1.1"],
      ["puma", "runtime", null],
      ["decidim", "runtime", null],
      ["bootsnap", "runtime", null],
      ["rubocop", "dev", null],
      ["pry", "dev", null],
      ["rspec-rails", "dev", null],
      ["simplecov", "dev", null],
      ["activerecord-jdbc-adapter", "runtime", null],
      ["newrelic_rpm", "runtime", null],
    ]);
  });

  it("tells a do-block from a word ending in do, with block parameters and trailing spaces", () => {
    const result = parsed("Gemfile", 'group :test do |g|   \n  gem "a"\nend\ngem "b", "~> 1" # undo\ngem "c" if weirdo\ngroup :development do\t\n  gem "d"\nend\n');
    clean(result);
    expect(deps(result)).to.deep.equal([["a", "dev", null], ["b", "runtime", "~> 1"], ["c", "runtime", null], ["d", "dev", null]]);
  });

  it("reads a line of 500,000 spaces after do in linear time (no backtracking regular expression)", () => {
    const result = parsed("Gemfile", `group :development do${" ".repeat(500_000)}\ngem "x"\nend\ngem "y" do${" ".repeat(400_000)}x\n`);
    expect(deps(result)).to.deep.equal([["x", "dev", null], ["y", "runtime", null]]);
  });

  it("reports gem lines it cannot read and unbalanced blocks", () => {
    const result = parsed("Gemfile", 'gem name_variable\ngem "unterminated\nend\ngroup :test do\n  gem "ok"\n');
    expect(result.errors).to.deep.equal([
      "line 1: a gem line whose name is not a string literal",
      "line 2: a gem line whose name is not a string literal",
      "line 3: end without an open block",
      "1 block(s) never closed with end",
    ]);
    expect(deps(result)).to.deep.equal([["ok", "dev", null]]);
  });
});

describe("reuse: Cargo.toml", () => {
  it("reads the crate, its three tables, per-target tables and renames", () => {
    const result = parsed(
      "Cargo.toml",
      `[package]
name = "Geo_Rust"
version = "0.1.0"

[dependencies]
serde = { version = "1.0", features = ["derive"] }
tokio = "1"
geo_types = { package = "geo-types", version = "0.7" }
local = { path = "../local" }
reqwest = { version = "0.12", optional = true }

[dev-dependencies]
criterion = "0.5"

[build-dependencies]
cc = "1.0"

[target.'cfg(windows)'.dependencies]
winapi = "0.3"
`,
    );
    clean(result);
    expect(result.publishes).to.deep.equal([{ ecosystem: "cargo", name: "geo-rust" }]);
    expect(deps(result)).to.deep.equal([
      ["serde", "runtime", "1.0"],
      ["tokio", "runtime", "1"],
      ["geo-types", "runtime", "0.7"],
      ["local", "runtime", "../local"],
      ["reqwest", "optional", "0.12"],
      ["criterion", "dev", "0.5"],
      ["cc", "build", "1.0"],
      ["winapi", "runtime", "0.3"],
    ]);
  });

  it("reads a virtual workspace's shared dependencies, and publishes nothing for publish = false", () => {
    const workspace = parsed("Cargo.toml", '[workspace]\nmembers = ["a", "b"]\n[workspace.dependencies]\nanyhow = "1"\nlog = { version = "0.4" }\n');
    clean(workspace);
    expect(workspace.publishes).to.deep.equal([]);
    expect(deps(workspace)).to.deep.equal([["anyhow", "runtime", "1"], ["log", "runtime", "0.4"]]);
    const internal = parsed("Cargo.toml", '[package]\nname = "internal"\npublish = false\n[dependencies]\nmember = { workspace = true }\n');
    expect(internal.publishes).to.deep.equal([]);
    expect(deps(internal)).to.deep.equal([["member", "runtime", null]]);
  });

  it("says why a malformed file is not read", () => {
    expect(parsed("Cargo.toml", "[package]\nname = ").errors[0]).to.match(/^Cargo\.toml is not valid TOML: /);
    expect(parsed("Cargo.toml", "dependencies = 3").errors).to.deep.equal(["dependencies is not a table"]);
    expect(parsed("Cargo.toml", "[dependencies]\nweird = 3").errors).to.deep.equal(['dependencies: the requirement of "weird" is neither a string nor a table']);
  });
});

describe("reuse: manifest bounds", () => {
  const big = "x".repeat(manifestLimits.maxBytes + 1);
  const huge: [string, string][] = [
    ["package.json", `{"name":"${big}"}`],
    ["composer.json", `{"name":"${big}"}`],
    ["requirements.txt", `# ${big}`],
    ["pyproject.toml", `# ${big}`],
    ["pom.xml", `<!-- ${big} -->`],
    ["go.mod", `// ${big}`],
    ["Gemfile", `# ${big}`],
    ["Cargo.toml", `# ${big}`],
  ];
  for (const [fileName, text] of huge) {
    it(`refuses ${fileName} over 1 MB unread`, () => {
      const result = parsed(fileName, text);
      expect(result.errors).to.have.length(1);
      expect(result.errors[0]).to.match(/^file larger than 1 MB \(\d+ bytes\): not read$/);
      expect(result.dependencies).to.deep.equal([]);
    });
  }

  it("counts bytes, not characters: 400,000 three-byte characters are over 1 MB", () => {
    expect(parsed("requirements.txt", `# ${"é".repeat(200_000)}${"€".repeat(300_000)}`).errors[0]).to.match(/^file larger than 1 MB/);
    expect(parsed("requirements.txt", `# ${"é".repeat(300_000)}`).errors).to.deep.equal([]);
  });

  it("keeps at most 2,000 dependencies and says how many it dropped", () => {
    const list = Object.fromEntries(Array.from({ length: 2_500 }, (_, i) => [`pkg-${i}`, "1"]));
    const result = parsed("package.json", JSON.stringify({ dependencies: list }));
    expect(result.dependencies).to.have.length(manifestLimits.maxDependencies);
    expect(result.errors).to.deep.equal(["more than 2000 dependencies: 500 ignored"]);
  });

  it("keeps at most 50 messages and says how many more there were", () => {
    const result = parsed("requirements.txt", Array.from({ length: 120 }, () => "not a requirement").join("\n"));
    expect(result.errors).to.have.length(51);
    expect(result.errors[50]).to.equal("70 more errors");
  });

  it("drops a requirement that is too long or not printable, keeping the dependency", () => {
    const result = parsed("package.json", JSON.stringify({ dependencies: { a: "1".repeat(600), b: "^1\u0000" } }));
    expect(deps(result)).to.deep.equal([["a", "runtime", null], ["b", "runtime", null]]);
    expect(result.warnings).to.deep.equal(['requirement of "a" ignored: too long or not printable', 'requirement of "b" ignored: too long or not printable']);
  });
});

describe("reuse: hostile names in manifests", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "evil\u0000name",
    "line\nbreak",
    "\u202etxt.exe",
    "dépendance",
    "a".repeat(100_000),
    "../../etc/passwd",
    "javascript:alert(1)",
    '"quoted"',
  ];
  const manifests: [string, (name: string) => string][] = [
    ["package.json", (name) => JSON.stringify({ name, dependencies: { [name]: "1" } })],
    ["composer.json", (name) => JSON.stringify({ name, require: { [name]: "1" } })],
    ["requirements.txt", (name) => `${name}==1\n`],
    ["pyproject.toml", (name) => `[project]\nname = ${JSON.stringify(name)}\ndependencies = [${JSON.stringify(name)}]\n`],
    ["pom.xml", (name) => `<project><groupId>g</groupId><artifactId><![CDATA[${name}]]></artifactId><dependencies><dependency><groupId>g</groupId><artifactId><![CDATA[${name}]]></artifactId></dependency></dependencies></project>`],
    ["go.mod", (name) => `module ${JSON.stringify(name)}\nrequire ${JSON.stringify(name)} v1.0.0\n`],
    ["Gemfile", (name) => `gem ${JSON.stringify(name)}, "1"\n`],
    ["Cargo.toml", (name) => `[package]\nname = ${JSON.stringify(name)}\n[dependencies]\n${JSON.stringify(name)} = "1"\n`],
  ];
  for (const [fileName, make] of manifests) {
    it(`rejects them in ${fileName}, with short printable messages`, () => {
      for (const name of hostile) {
        const result = parsed(fileName, make(name));
        const kept = [...result.publishes, ...result.dependencies].map((ref) => ref.name);
        // Every kept name is plain ASCII from the registry's alphabet: never markup, control characters or a huge string.
        for (const keptName of kept) expect(keptName, `${fileName} kept ${JSON.stringify(keptName).slice(0, 80)}`).to.match(/^[A-Za-z0-9@/._~:+-]{1,300}$/);
        expect(kept.some((keptName) => keptName.includes("<") || keptName.length > 300), fileName).to.equal(false);
        // In a line format a line break makes two lines, each possibly a good name: nothing to reject.
        const lineFormat = fileName === "requirements.txt" || fileName === "Gemfile" || fileName === "go.mod";
        if (!(lineFormat && name.includes("\n"))) {
          expect(result.errors.length + result.warnings.length, `${fileName}: ${JSON.stringify(name).slice(0, 40)}`).to.be.above(0);
        }
        for (const message of [...result.errors, ...result.warnings]) {
          expect(message.length).to.be.below(400);
          expect(message).to.match(/^[\x20-\x7e…]*$/);
        }
      }
    });
  }

  it("names a rejected package in the message, escaped", () => {
    const result = parsed("package.json", JSON.stringify({ dependencies: { "evil\u0000<b>": "1" } }));
    expect(result.errors).to.deep.equal(['dependency rejected: not a valid npm package name: "evil\\u0000<b>"']);
  });
});

// One PEP 508 dependency specifier ("requests[socks] >=2.8.1, ==2.8.* ; python_version < '2.7'",
// "pip @ https://github.com/pypa/pip/archive/1.3.1.zip"), the form shared by
// requirements files and pyproject.toml. A scanner over one short string.
// https://peps.python.org/pep-0508/

export type Pep508 =
  | { ok: true; name: string; extras: string[]; requirement: string | null; marker: string | null }
  | { ok: false; error: string };

const nameStart = /^[A-Za-z0-9][A-Za-z0-9._-]*/;

export function parsePep508(spec: string): Pep508 {
  const text = spec.trim();
  const nameMatch = nameStart.exec(text);
  if (!nameMatch) return { ok: false, error: "does not start with a package name" };
  const name = nameMatch[0];
  let rest = text.slice(name.length).trimStart();
  let extras: string[] = [];
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) return { ok: false, error: "unclosed [ of extras" };
    extras = rest
      .slice(1, close)
      .split(",")
      .map((extra) => extra.trim())
      .filter((extra) => extra !== "");
    rest = rest.slice(close + 1).trimStart();
  }
  let marker: string | null = null;
  let requirement: string | null = null;
  if (rest.startsWith("@")) {
    // A URL ends at whitespace; a marker after it must be separated by whitespace (PEP 508).
    const afterAt = rest.slice(1).trimStart();
    const end = afterAt.search(/\s/);
    requirement = end < 0 ? afterAt : afterAt.slice(0, end);
    const tail = end < 0 ? "" : afterAt.slice(end).trim();
    if (tail.startsWith(";")) marker = tail.slice(1).trim() || null;
    else if (tail !== "") return { ok: false, error: "unexpected text after the URL" };
    if (requirement === "") return { ok: false, error: "empty URL after @" };
  } else {
    const semicolon = rest.indexOf(";");
    let versions = semicolon < 0 ? rest : rest.slice(0, semicolon);
    if (semicolon >= 0) marker = rest.slice(semicolon + 1).trim() || null;
    versions = versions.trim();
    if (versions.startsWith("(") && versions.endsWith(")")) versions = versions.slice(1, -1).trim();
    if (versions !== "" && !/^[<>=!~]/.test(versions)) return { ok: false, error: "expected a version specifier, a URL or a marker after the name" };
    requirement = versions === "" ? null : versions;
  }
  return { ok: true, name, extras, requirement, marker };
}

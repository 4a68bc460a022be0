// JSON already written, reused when an answer is serialised (issue 12's
// benchmark): a search's page of records is the bulk of a tool call's answer,
// and the same repositories come back search after search, as on the API
// (src/web/api/present.ts keeps its records' JSON the same way).
//
// The SDK hands a transport the JSON-RPC message as objects (its contract:
// Transport.send(message)); how the transport writes them is its own. The
// tools register the JSON of values they build (knownJson), and the HTTP
// transport writes a message with stringifyKnown, which gives exactly
// JSON.stringify's text. Values only pass through the SDK by reference (its
// result check copies the result and structuredContent objects, not their
// members), so registering a member of structuredContent is what works.

const known = new WeakMap<object, string>();

/** Registers `json` as the text of `value`: the caller vouches that it equals JSON.stringify(value), and that `value` is not changed afterwards. */
export function knownJson<T extends object>(value: T, json: string): T {
  known.set(value, json);
  return value;
}

/**
 * Levels walked looking for registered values: a response (or a batch of
 * them), its result, structuredContent, and the search's items. Deeper values
 * are serialised by JSON.stringify in one call each.
 */
const walkedDepth = 4;

function write(value: unknown, depth: number): string | undefined {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const json = known.get(value);
  if (json !== undefined) return json;
  if (depth >= walkedDepth || typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? "," : ""}${write(value[i], depth + 1) ?? "null"}`;
    return `${out}]`;
  }
  let out = "";
  for (const key of Object.keys(value)) {
    // JSON.stringify leaves out members it cannot write (undefined, functions, symbols).
    const member = write((value as Record<string, unknown>)[key], depth + 1);
    if (member !== undefined) out += `${out === "" ? "" : ","}${JSON.stringify(key)}:${member}`;
  }
  return `{${out}}`;
}

/** JSON.stringify(value), character for character, with registered values written from their known JSON. */
export function stringifyKnown(value: object): string {
  return write(value, 0)!;
}

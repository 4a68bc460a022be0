// The index on disk: one binary file, written to a temporary name and renamed,
// so a reader sees the previous index or the next one, never half of one.
//
//   bytes 0-7    magic "CCSIDX01" (format version 1)
//   bytes 8-11   header length H, uint32 little-endian
//   12 .. 12+H   header, JSON: meta, terms, dictionaries, the list of arrays
//                (name, element count, byte offset in the body) and the body's SHA-1
//   padding to a multiple of 8, then the body: every typed array, each at a
//   multiple of 8, little-endian.
//
// Loading is one read, one JSON.parse and views over the buffer: no per-term
// or per-document objects (a serialised lunr.Index takes ~1.7 s to parse and
// load at 50,000 repositories; this, ~0.1 s).
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { arrayTypes, similarPerDoc, type ArrayName, type IndexArrays, type IndexData } from "./indexData.ts";

const magic = Buffer.from("CCSIDX01", "latin1");
export const indexFileName = "search-index.bin";

export class IndexFileError extends Error {
  override name = "IndexFileError";
}

interface Header extends Omit<IndexData, "arrays"> {
  arrays: { name: ArrayName; length: number; offset: number }[];
  sha1: string;
}

const align = (n: number) => Math.ceil(n / 8) * 8;

/** Writes the index to `dir`/search-index.bin atomically (temp file, fsync, rename). Returns the path. */
export function writeIndexFile(dir: string, data: IndexData): string {
  if (os.endianness() !== "LE") throw new IndexFileError("the index file format is little-endian");
  fs.mkdirSync(dir, { recursive: true });
  const names = Object.keys(arrayTypes) as ArrayName[];
  const entries: Header["arrays"] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const array = data.arrays[name];
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    entries.push({ name, length: array.length, offset });
    chunks.push(bytes);
    const padded = align(bytes.length);
    if (padded > bytes.length) chunks.push(Buffer.alloc(padded - bytes.length));
    offset += padded;
  }
  const body = Buffer.concat(chunks, offset);
  const header: Header = { meta: data.meta, terms: data.terms, dictionaries: data.dictionaries, nameKeys: data.nameKeys, reasonWords: data.reasonWords, vocabulary: data.vocabulary, arrays: entries, sha1: createHash("sha1").update(body).digest("hex") };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const lengthBytes = Buffer.alloc(4);
  lengthBytes.writeUInt32LE(headerBytes.length);
  const start = align(magic.length + 4 + headerBytes.length);
  const padding = Buffer.alloc(start - (magic.length + 4 + headerBytes.length));

  const file = path.join(dir, indexFileName);
  const temp = path.join(dir, `.${indexFileName}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, "w");
  try {
    for (const chunk of [magic, lengthBytes, headerBytes, padding, body]) fs.writeSync(fd, chunk);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  removeAbandonedTempFiles(dir);
  // The rename itself survives a power cut only once the folder is synced too (not possible on every platform).
  try {
    const dirFd = fs.openSync(dir, "r");
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
  } catch {
    // Windows cannot open a folder: the rename is still atomic for readers.
  }
  return file;
}

function readHeader(buffer: Buffer): { header: Header; bodyStart: number } {
  if (buffer.length < magic.length + 4 || !buffer.subarray(0, magic.length).equals(magic)) throw new IndexFileError("not a search index file (bad magic)");
  const headerLength = buffer.readUInt32LE(magic.length);
  const headerEnd = magic.length + 4 + headerLength;
  if (headerEnd > buffer.length) throw new IndexFileError("truncated header");
  let header: Header;
  try {
    header = JSON.parse(buffer.toString("utf8", magic.length + 4, headerEnd)) as Header;
  } catch {
    throw new IndexFileError("unreadable header");
  }
  return { header, bodyStart: align(headerEnd) };
}

/** Temporary files of builds killed before their rename (power cut, SIGKILL), older than an hour. */
function removeAbandonedTempFiles(dir: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(`.${indexFileName}.`) || !name.endsWith(".tmp")) continue;
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < hourAgo) fs.rmSync(file, { force: true });
    } catch {
      // Gone meanwhile: nothing to clean.
    }
  }
}

/** Loads an index file, checking its checksum and the size of every array. */
export function readIndexFile(file: string): IndexData {
  let buffer = fs.readFileSync(file);
  // Typed array views need aligned offsets; a fresh read buffer normally starts at 0.
  if (buffer.byteOffset % 8 !== 0) buffer = Buffer.from(buffer);
  const { header, bodyStart } = readHeader(buffer);
  const body = buffer.subarray(bodyStart);
  if (createHash("sha1").update(body).digest("hex") !== header.sha1) throw new IndexFileError("checksum mismatch: the file is damaged");
  const arrays = {} as Record<ArrayName, unknown>;
  for (const name of Object.keys(arrayTypes) as ArrayName[]) {
    const entry = header.arrays.find((a) => a.name === name);
    if (!entry) throw new IndexFileError(`array ${name} is missing`);
    const type = arrayTypes[name];
    if (entry.offset % 8 !== 0 || entry.offset + entry.length * type.BYTES_PER_ELEMENT > body.length) throw new IndexFileError(`array ${name} is out of bounds`);
    arrays[name] = new type(body.buffer, body.byteOffset + entry.offset, entry.length);
  }
  if (!Array.isArray(header.reasonWords)) throw new IndexFileError("the similar repositories' reasons are missing");
  if (!Array.isArray(header.vocabulary)) throw new IndexFileError("the vocabulary is missing");
  const data: IndexData = { meta: header.meta, terms: header.terms, dictionaries: header.dictionaries, nameKeys: header.nameKeys, reasonWords: header.reasonWords, vocabulary: header.vocabulary, arrays: arrays as IndexArrays };
  checkShape(data);
  return data;
}

/** The invariants a query relies on: a file that passes its checksum but breaks them was written by a bug. */
function checkShape({ meta, terms, reasonWords, vocabulary, arrays }: IndexData): void {
  const n = meta.documentCount;
  const perDoc: ArrayName[] = ["pk", "stars", "forks", "activity", "flags", "signal", "nameKey", "nameRank", "bySignal", "byStars", "byForks", "byActivity", "byName", "language", "license", "host", "owner", "publicBody", "developmentStatus", "softwareType"];
  for (const name of perDoc) if (arrays[name].length !== n) throw new IndexFileError(`array ${name} has ${arrays[name].length} entries for ${n} documents`);
  if (arrays.postingOffsets.length !== terms.length + 1 || arrays.postingOffsets[terms.length] !== arrays.postingDocs.length) throw new IndexFileError("posting offsets do not match the postings");
  if (arrays.postingScores.length !== arrays.postingDocs.length) throw new IndexFileError("posting scores do not match the postings");
  if (arrays.topicOffsets.length !== n + 1 || arrays.topicOffsets[n] !== arrays.topicCodes.length) throw new IndexFileError("topic offsets do not match the topics");
  if (arrays.categoryOffsets.length !== n + 1 || arrays.categoryOffsets[n] !== arrays.categoryCodes.length) throw new IndexFileError("category offsets do not match the categories");
  if (arrays.similar.length !== n * similarPerDoc) throw new IndexFileError("similar docs do not match the documents");
  const reasons = arrays.similarReasonOffsets;
  if (reasons.length !== n * similarPerDoc + 1 || reasons[n * similarPerDoc] !== arrays.similarReasonCodes.length) throw new IndexFileError("similar reasons do not match the similar docs");
  for (const code of arrays.similarReasonCodes) if (code >= reasonWords.length || -1 - code >= reasonWords.length) throw new IndexFileError("a similar reason names no word");
  if (arrays.vocabularyTerms.length !== vocabulary.length) throw new IndexFileError("the vocabulary's terms do not match its words");
  for (const id of arrays.vocabularyTerms) if (id < -1 || id >= terms.length) throw new IndexFileError("a word of the vocabulary names no term");
}

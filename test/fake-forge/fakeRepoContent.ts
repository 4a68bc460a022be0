// What the fake forges serve as a repository's content for the profile
// harvest (issue 9): root files, releases and tags. Shared by FakeGitHub and
// FakeGitLab, each rendering them in its own API's shapes.
import { createHash } from "node:crypto";

export interface FakeFile {
  content: string;
  /** Announced size in bytes when it differs from the content's (a large file the fake does not hold). */
  size?: number;
}

export interface FakeRelease {
  name: string;
  tag: string;
  date: string;
}

export interface FakeRepoContent {
  /** Root files by name. A folder is a name ending in "/". */
  files: Map<string, FakeFile>;
  releases: FakeRelease[];
  tags: FakeRelease[];
}

export function newContent(): FakeRepoContent {
  return { files: new Map(), releases: [], tags: [] };
}

/** Files given as text, or {size} alone for a large file whose bytes are a run of "x". */
export type FileSpec = Record<string, string | { size: number }>;

export function toFiles(spec: FileSpec): Map<string, FakeFile> {
  const files = new Map<string, FakeFile>();
  for (const [name, value] of Object.entries(spec)) {
    files.set(name, typeof value === "string" ? { content: value } : { content: "x".repeat(value.size), size: value.size });
  }
  return files;
}

export function sizeOf(file: FakeFile): number {
  return file.size ?? Buffer.byteLength(file.content, "utf8");
}

export function blobSha(file: FakeFile): string {
  return createHash("sha1").update(`blob ${sizeOf(file)}\0`).update(file.content).digest("hex");
}

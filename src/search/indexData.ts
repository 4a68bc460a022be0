// The search index as it lives in memory and on disk: lunr's term weights laid
// out as posting lists, and one column per filter, facet and sort key. Typed
// arrays, so that loading is reading a file and a query touches no objects.
//
// Documents are numbered 0..documentCount-1 in the order they were indexed
// ("doc"); `pk` maps a doc to its repositories.pk in the store.

/** Filters with one value per repository; `topic` has several (see topicOffsets). */
export const singleValuedFields = ["language", "license", "host", "owner", "publicBody", "developmentStatus", "softwareType"] as const;
export type SingleValuedField = (typeof singleValuedFields)[number];
/** Fields with several values per repository, each laid out as offsets and codes. */
export const multiValuedFields = ["topic", "category"] as const;
export type MultiValuedField = (typeof multiValuedFields)[number];
export type DictionaryField = SingleValuedField | MultiValuedField;

/** The distinct values of a field. Codes index these arrays; -1 is "none". */
export interface Dictionary {
  /** Display form of each value (the first spelling met; values are matched case-insensitively). */
  values: string[];
  /** A human name per value when there is one: the owner's name, the public body's name. */
  labels: (string | null)[] | null;
}

/** Bits of `flags`. */
export const flag = { archived: 1, fork: 2, hasLicense: 4, hasPubliccode: 8, publiccodeValid: 16, reused: 32 } as const;

export const arrayTypes = {
  /** Term t's postings are [postingOffsets[t], postingOffsets[t + 1]). */
  postingOffsets: Uint32Array,
  /** Docs of each posting list, ascending. */
  postingDocs: Int32Array,
  /** lunr's weight of the term in the doc, summed over the fields (each field's BM25 weight × its boost). */
  postingScores: Float32Array,
  pk: Int32Array,
  stars: Int32Array,
  forks: Int32Array,
  /** Last push (or update), epoch ms; NaN when unknown. */
  activity: Float64Array,
  flags: Uint8Array,
  /** The reuse factor of the relevance formula (ranking.ts). */
  signal: Float32Array,
  /** issue 10: the reuse score, 0 to 100 (src/reuse/score.ts): the "reuse" sort. */
  reuseScore: Float32Array,
  /** Code of each doc's name key (analyzer.ts nameKey) in IndexData.nameKeys: the exact-name bonus. */
  nameKey: Int32Array,
  /** Position of each doc in name order: the tie-break of every sort. */
  nameRank: Int32Array,
  // Every doc, in the order of each sort key (ties by name): a sorted page is a walk along one of these.
  bySignal: Int32Array,
  byStars: Int32Array,
  byForks: Int32Array,
  byActivity: Int32Array,
  byName: Int32Array,
  byReuse: Int32Array,
  // Dictionary codes of the single-valued fields, -1 for none.
  language: Int32Array,
  license: Int32Array,
  host: Int32Array,
  owner: Int32Array,
  publicBody: Int32Array,
  /** Doc d's topics are topicCodes[topicOffsets[d] .. topicOffsets[d + 1]). */
  topicOffsets: Uint32Array,
  topicCodes: Int32Array,
  // issue 9: publiccode.yml's development status, software type and categories.
  developmentStatus: Int32Array,
  softwareType: Int32Array,
  categoryOffsets: Uint32Array,
  categoryCodes: Int32Array,
  /**
   * issue 13: doc d's similar docs (similar.ts) are similar[d × similarPerDoc ..
   * (d + 1) × similarPerDoc), best first, -1 after the last: worked out at the
   * build, so that a repository page's first visit runs no query.
   */
  similar: Int32Array,
  /**
   * issue 13: why each stored similar doc is similar (similar.ts
   * similarityReasons), worked out at the build too, so that a repository page
   * analyses no text: the reasons of the pair at position i of `similar` are
   * similarReasonCodes[similarReasonOffsets[i] .. similarReasonOffsets[i + 1]),
   * each a string of IndexData.reasonWords, a shared topic as -1 - its
   * position, a shared word as its position; topics first.
   */
  similarReasonOffsets: Uint32Array,
  similarReasonCodes: Int32Array,
  /** issue 13: the term of each word of IndexData.vocabulary, by its id in `terms`; -1 for a stop word. */
  vocabularyTerms: Int32Array,
} as const;

/** Similar docs stored per doc (similar.ts shows as many). */
export const similarPerDoc = 6;

export type ArrayName = keyof typeof arrayTypes;
type ArrayOf<C> = C extends Int32ArrayConstructor
  ? Int32Array
  : C extends Uint32ArrayConstructor
    ? Uint32Array
    : C extends Float32ArrayConstructor
      ? Float32Array
      : C extends Float64ArrayConstructor
        ? Float64Array
        : Uint8Array;
export type IndexArrays = { [K in ArrayName]: ArrayOf<(typeof arrayTypes)[K]> };

export interface IndexMeta {
  /** Changes with every build: part of ETags and cache keys. */
  generation: string;
  /** ISO date of the build; freshness in the ranking is measured from it. */
  builtAt: string;
  /** What the index was built from (catalogVersion.ts + analysis version + public bodies file): a mismatch at start means stale. */
  fingerprint: string;
  documentCount: number;
}

export interface IndexData {
  meta: IndexMeta;
  /** Index terms (stemmed, accent-folded), sorted; a term's id is its position. */
  terms: string[];
  dictionaries: Record<DictionaryField, Dictionary>;
  /** Distinct name keys ("udatafront" for "udata-front"), by code. */
  nameKeys: string[];
  /** issue 13: the distinct topics and words that similarReasonCodes name. */
  reasonWords: string[];
  /**
   * issue 13: every word the build analysed (lower-cased, as words() gives
   * them), whose terms are arrays.vocabularyTerms: a query's words are looked
   * up here before they go through both stemmers (some 30 µs a word).
   */
  vocabulary: string[];
  arrays: IndexArrays;
}

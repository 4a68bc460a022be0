// A loaded, immutable search index and the queries on it: text match, filters,
// facet counts, sort and page, all over typed arrays. The engine swaps one
// SearchIndex for the next; a query holds the one it started with.
import { nameKeyOfWords, queryAnalyzer, queryWords, type Analyzer } from "./analyzer.ts";
import { flag, multiValuedFields, similarPerDoc, singleValuedFields, type DictionaryField, type IndexData } from "./indexData.ts";
import { exactNameBonus } from "./ranking.ts";
import { facetNames, type FacetName, type FacetValue, type SearchFilters, type SearchQuery, type SimilarityReasons, type SortKey } from "./types.ts";

/** Values listed per facet, most frequent first; the values a filter selects are always listed too. */
export const facetValueLimit = 50;
/** Query words beyond this are ignored: a pasted paragraph still searches, at a bounded cost. */
export const maxQueryTerms = 32;
/** Text matches kept for reuse across pages, sorts and filters of the same q. */
const textCacheSize = 64;
/**
 * "More like this" answers kept per index (issue 13): the similar
 * repositories of a repository page depend on the index only, so each is
 * worked out once per generation and process. A few hundred bytes each.
 */
const similarCacheSize = 20_000;
/**
 * Bytes of filtered matches kept for the other pages and sorts of a query:
 * 16 MB is some 25 queries matching the whole catalogue of 50,000 (12 bytes a
 * doc), or hundreds of narrower ones. A query above an eighth of it is not kept.
 */
const matchesCacheBytes = 16 * 1024 * 1024;

export interface DocPage {
  total: number;
  /** Docs of the requested page, in order. */
  docs: number[];
  facets: Record<FacetName, FacetValue[]>;
  /** The query had text but not one searchable word: nothing was searched (see SearchResult.unsearchable). */
  unsearchable?: boolean;
}

/** Docs matching the text, ascending, with their text score divided by the best one (0, 1]. */
export interface TextMatches {
  docs: Int32Array;
  scores: Float32Array;
  /** "all": every query term matched; "any": none matched them all, so docs matching any are given. */
  mode: "all" | "any";
}

// One bit per facet in the "failed filters" mask of a doc.
const facetBits: Record<FacetName, number> = {
  language: 1, license: 2, host: 4, owner: 8, publicBody: 16, topic: 32, archived: 64, fork: 128, hasLicense: 256,
  // issue 9 (bit 15 is the "excluded" mark: 15 facets at most, bits 0 to 14)
  hasPubliccode: 512, publiccodeValid: 1024, category: 2048, developmentStatus: 4096, softwareType: 8192,
  // issue 10: the last free bit
  reused: 16384,
};
/** Boolean facets: their flag, and the flag a doc needs to have any value at all (0: every doc has one). */
const booleanFacets = [
  ["archived", flag.archived, 0],
  ["fork", flag.fork, 0],
  ["hasLicense", flag.hasLicense, 0],
  ["hasPubliccode", flag.hasPubliccode, 0],
  // Valid or not only means something for a repository with a publiccode.yml.
  ["publiccodeValid", flag.publiccodeValid, flag.hasPubliccode],
  // issue 10
  ["reused", flag.reused, 0],
] as const;

interface CompiledFilters {
  /** Per dictionary field with a filter: which codes it accepts. */
  selected: Partial<Record<DictionaryField, Uint8Array>>;
  /** Per boolean field with a filter: the flag value wanted. */
  booleans: { name: (typeof booleanFacets)[number][0]; bit: number; requires: number; want: boolean }[];
  /** Epoch ms, or null. Not a facet: it narrows every count. */
  activeSince: number | null;
}

export class SearchIndex {
  private readonly termIds = new Map<string, number>();
  private readonly nameKeyCodes: Map<string, number>;
  /** Lower-cased value → code, per dictionary. */
  private readonly codes = {} as Record<DictionaryField, Map<string, number>>;
  /** Shared by every index of the process (issue 13): a new generation starts with the words already stemmed. */
  private readonly analyzer: Analyzer = queryAnalyzer();
  private readonly textCache = new Map<string, TextMatches>();
  /** Word → term id (-1: a stop word) for every word the build analysed (issue 13: a query's words skip the stemmers). */
  private readonly vocabulary: Map<string, number>;
  /** Position of each doc in each sort permutation, made on first use. */
  private readonly ranks = new Map<Int32Array, Int32Array>();

  constructor(readonly data: IndexData) {
    data.terms.forEach((term, id) => this.termIds.set(term, id));
    this.nameKeyCodes = new Map(data.nameKeys.map((key, code) => [key, code]));
    const termIds = data.arrays.vocabularyTerms;
    this.vocabulary = new Map(data.vocabulary.map((word, i) => [word, termIds[i]!]));
    for (const [field, dictionary] of Object.entries(data.dictionaries) as [DictionaryField, IndexData["dictionaries"][DictionaryField]][]) {
      this.codes[field] = new Map(dictionary.values.map((value, code) => [value.toLowerCase(), code]));
    }
  }

  get generation(): string {
    return this.data.meta.generation;
  }

  get documentCount(): number {
    return this.data.meta.documentCount;
  }

  /** The index terms a query searches for (after stop words, folding and stemming). */
  queryTerms(q: string): string[] {
    return this.termsOfWords(queryWords(q));
  }

  /** The distinct terms of a query's words, at most maxQueryTerms: from the vocabulary, else through the analyzer. */
  private termsOfWords(words: readonly string[]): string[] {
    return this.analyzer.termsOfWords(words, maxQueryTerms, this.knownTerm);
  }

  private readonly knownTerm = (word: string): string | null | undefined => {
    const id = this.vocabulary.get(word);
    return id === undefined ? undefined : id < 0 ? null : this.data.terms[id]!;
  };

  run(query: SearchQuery): DocPage {
    return this.search(query);
  }

  /**
   * The first `limit` docs of a "more like this" query (match "any", sort
   * relevance, no facets), in the order run() gives them, without its total.
   * Kept per index: the similar repositories of a repository page depend on
   * the index only. A first visit no longer walks every posting of its words
   * (issue 13): see topMatchingAny.
   */
  moreLikeThis(q: string, filters: SearchFilters, limit: number, keep = true): number[] {
    const key = keep ? JSON.stringify([q, filters, limit]) : "";
    let docs = keep ? this.similarCache.get(key) : undefined;
    if (docs) this.similarCache.delete(key);
    else {
      // The same terms as queryTerms(q) and the same key as nameKey(q), from one split of q into words (issue 13).
      const words = queryWords(q);
      const terms = this.termsOfWords(words);
      const exactName = terms.length > 0 ? (this.nameKeyCodes.get(nameKeyOfWords(words)) ?? -1) : -1;
      docs = terms.length > 0 ? this.topMatchingAny(terms, this.compileFilters({ q, filters, sort: "relevance", page: 1, perPage: limit }), exactName, limit) : [];
    }
    // The build asks once for every doc (similarDocs): nothing to keep.
    if (!keep) return docs;
    // Most recently used last: the first key is the one to evict.
    this.similarCache.set(key, docs);
    if (this.similarCache.size > similarCacheSize) this.similarCache.delete(this.similarCache.keys().next().value!);
    return docs;
  }

  private readonly similarCache = new Map<string, number[]>();

  /** The similar docs stored for the doc of a store key at the build (similar.ts similarDocs); null when it is not in this index. */
  storedSimilar(pk: number): number[] | null {
    return this.storedSimilarPairs(pk)?.map((i) => this.data.arrays.similar[i]!) ?? null;
  }

  /** Why each of storedSimilar(pk) is similar, in the same order (similar.ts similarityReasons, at the build). */
  storedReasons(pk: number): SimilarityReasons[] | null {
    const { similarReasonOffsets: offsets, similarReasonCodes: codes } = this.data.arrays;
    const words = this.data.reasonWords;
    return (
      this.storedSimilarPairs(pk)?.map((i) => {
        const reasons: SimilarityReasons = { sharedTopics: [], sharedWords: [] };
        for (let at = offsets[i]!; at < offsets[i + 1]!; at++) {
          const code = codes[at]!;
          if (code < 0) reasons.sharedTopics.push(words[-1 - code]!);
          else reasons.sharedWords.push(words[code]!);
        }
        return reasons;
      }) ?? null
    );
  }

  /** Positions in `similar` of the stored pairs of the doc of a store key; null when it is not in this index. */
  private storedSimilarPairs(pk: number): number[] | null {
    if (!this.docOfPk) {
      this.docOfPk = new Map();
      this.data.arrays.pk.forEach((key, doc) => this.docOfPk!.set(key, doc));
    }
    const doc = this.docOfPk.get(pk);
    if (doc === undefined) return null;
    const out: number[] = [];
    for (let i = doc * similarPerDoc; i < (doc + 1) * similarPerDoc && this.data.arrays.similar[i]! >= 0; i++) out.push(i);
    return out;
  }

  private docOfPk: Map<number, number> | null = null;

  private search(query: SearchQuery): DocPage {
    // The terms of queryTerms(q) and the key of nameKey(q) from one split of q into its words (issue 13, as moreLikeThis).
    const words = queryWords(query.q);
    const terms = this.termsOfWords(words);
    // Text made only of what the analyser drops (emoji, a script it does not
    // index, stop words) is no empty query: showing every repository under
    // "results for 🚀" would be a lie. Nothing is searched.
    if (terms.length === 0 && query.q.trim() !== "") return { total: 0, docs: [], facets: noFacets(), unsearchable: true };
    const text = terms.length > 0 ? (query.match === "any" ? this.matchAny(terms) : this.matchText(terms)) : null;
    const filters = this.compileFilters(query);
    // The repositories named exactly as the query ("udata" for udata, not udata-front) get the exact-name bonus.
    const exactName = text ? (this.nameKeyCodes.get(nameKeyOfWords(words)) ?? -1) : -1;
    const wantFacets = query.facets !== false;
    const { results, scores, facets } = this.matchesOf(query, terms, text, filters, exactName, wantFacets);
    const offset = (query.page - 1) * query.perPage;
    const docs = this.page(results, scores, text !== null, query.sort, offset, query.perPage);
    return { total: results.length, docs, facets: wantFacets ? copyFacets(facets!) : noFacets() };
  }

  /**
   * The filtered matches of a query and its facets, which its other pages and
   * sorts share (issue 13: a reader pages and re-sorts the same search, and
   * counting the facets is most of a query's cost). Kept per index, so per
   * generation, the least recently used dropped past a budget of bytes.
   */
  private matchesOf(query: SearchQuery, terms: string[], text: TextMatches | null, filters: CompiledFilters, exactName: number, wantFacets: boolean) {
    if (!wantFacets) {
      // Without facets: an export (all pages at once) or a "more like this" through run(). Nothing to share.
      const { results, scores } = this.filterAndCount(text, filters, exactName, false, query.match === "any");
      return { results, scores, facets: null };
    }
    const key = JSON.stringify([terms, query.match ?? "all", exactName, query.filters, facetLimitOf(query)]);
    const cached = this.matchesCache.get(key);
    if (cached) {
      this.matchesCache.delete(key);
      this.matchesCache.set(key, cached);
      return cached;
    }
    const counted = this.filterAndCount(text, filters, exactName, wantFacets, query.match === "any");
    // Copied out of the scratch buffers that the next query reuses.
    const entry = { results: counted.results.slice(), scores: counted.scores.slice(), facets: counted.facetCounts ? this.facets(counted.facetCounts, query) : null };
    const bytes = entry.results.byteLength + entry.scores.byteLength + 4096;
    if (bytes <= matchesCacheBytes / 8) {
      this.matchesCache.set(key, { ...entry, bytes });
      this.matchesCacheUsed += bytes;
      while (this.matchesCacheUsed > matchesCacheBytes) {
        const oldest = this.matchesCache.keys().next().value!;
        this.matchesCacheUsed -= this.matchesCache.get(oldest)!.bytes;
        this.matchesCache.delete(oldest);
      }
    }
    return entry;
  }

  private readonly matchesCache = new Map<string, { results: Int32Array; scores: Float64Array; facets: Record<FacetName, FacetValue[]> | null; bytes: number }>();
  private matchesCacheUsed = 0;

  /** Docs having every term (in any field), or when there are none, docs having any; lunr's scores. */
  matchText(terms: string[], useCache = true): TextMatches {
    const key = terms.join(" ");
    const cached = useCache ? this.textCache.get(key) : undefined;
    if (cached) {
      // Refresh its place: the cache evicts the least recently used.
      this.textCache.delete(key);
      this.textCache.set(key, cached);
      return cached;
    }
    const ids = terms.map((term) => this.termIds.get(term));
    const known = ids.filter((id): id is number => id !== undefined);
    let matches: TextMatches = { docs: new Int32Array(0), scores: new Float32Array(0), mode: "all" };
    if (known.length > 0 && known.length === ids.length) matches = this.intersect(known);
    if (matches.docs.length === 0 && known.length > 0 && terms.length > 1) matches = this.union(known);
    normalise(matches.scores);
    if (!useCache) return matches;
    this.textCache.set(key, matches);
    if (this.textCache.size > textCacheSize) this.textCache.delete(this.textCache.keys().next().value!);
    return matches;
  }

  /** Docs having any of the terms, scored by the sum of their weights (not cached: each such query is one repository's words). */
  matchAny(terms: string[]): TextMatches {
    const known = [...new Set(terms.map((term) => this.termIds.get(term)).filter((id): id is number => id !== undefined))];
    const matches = known.length > 0 ? this.union(known) : { docs: new Int32Array(0), scores: new Float32Array(0), mode: "any" as const };
    normalise(matches.scores);
    return matches;
  }

  private intersect(ids: number[]): TextMatches {
    const { postingOffsets: offsets, postingDocs: docs, postingScores: weights } = this.data.arrays;
    // Walk the shortest list; look each doc up in the others, whose cursors only move forward.
    const lists = ids.map((id) => ({ start: offsets[id]!, end: offsets[id + 1]! })).sort((a, b) => a.end - a.start - (b.end - b.start));
    const [shortest, ...others] = lists as [{ start: number; end: number }, ...{ start: number; end: number }[]];
    const outDocs: number[] = [];
    const outScores: number[] = [];
    const cursors = others.map((list) => list.start);
    candidates: for (let i = shortest.start; i < shortest.end; i++) {
      const doc = docs[i]!;
      let score = weights[i]!;
      for (let l = 0; l < others.length; l++) {
        const at = lowerBound(docs, cursors[l]!, others[l]!.end, doc);
        cursors[l] = at;
        if (at === others[l]!.end) break candidates;
        if (docs[at] !== doc) continue candidates;
        score += weights[at]!;
      }
      outDocs.push(doc);
      outScores.push(score);
    }
    return { docs: Int32Array.from(outDocs), scores: Float32Array.from(outScores), mode: "all" };
  }

  private union(ids: number[]): TextMatches {
    const { postingOffsets: offsets, postingDocs: docs, postingScores: weights } = this.data.arrays;
    // Zeroed again below for the docs touched: a fresh 400 KB array per query cost more than the union itself.
    const sums = (this.unionSums ??= new Float64Array(this.documentCount));
    // The docs met, in a reused buffer: pushing onto an array was a third of the union's time.
    const touched = (this.unionTouched ??= new Int32Array(this.documentCount));
    let met = 0;
    for (const id of ids) {
      const end = offsets[id + 1]!;
      for (let i = offsets[id]!; i < end; i++) {
        const doc = docs[i]!;
        if (sums[doc] === 0) touched[met++] = doc;
        // A zero weight (lunr rounds to 3 decimals) still marks the doc as matching.
        sums[doc]! += weights[i]! || Number.MIN_VALUE;
      }
    }
    const out = touched.slice(0, met).sort();
    const scores = new Float32Array(out.length);
    for (let i = 0; i < out.length; i++) {
      scores[i] = sums[out[i]!]!;
      sums[out[i]!] = 0;
    }
    return { docs: out, scores, mode: "any" };
  }

  private unionSums: Float64Array | null = null;
  private unionTouched: Int32Array | null = null;
  private textFirstSignal: Float32Array | null = null;

  /**
   * The reuse factor squeezed to a tie-break (1 + signal × 0.001), for "more
   * like this" queries; computed once per index, not once per query, where
   * mapping 50,000 values through a callback was a third of a repository
   * page's CPU (issue 13).
   */
  private tieBreakSignal(): Float32Array {
    return (this.textFirstSignal ??= Float32Array.from(this.data.arrays.signal, (value) => 1 + value * 1e-3));
  }

  /**
   * The best `limit` docs of matchAny(terms) passing `filters`, ranked as
   * search() ranks them (text score × exact-name bonus × tie-break signal,
   * ties by name), without adding up every posting of every term (issue 13:
   * a repository's words include common ones, "application", "données", whose
   * lists hold thousands of docs, and walking them was most of a repository
   * page's CPU).
   *
   * Exact pruning in the manner of MaxScore (Turtle and Flood, 1995): terms
   * are added shortest list first; once the k-th best score so far (a lower
   * bound, among docs passing the filters) beats what the terms left could
   * give a doc not met yet (the sum of their highest weights), no new doc can
   * enter the top k, so the longer lists are not walked, only searched for the
   * docs that can still make it. Those few are then scored again term by term
   * in matchAny's order, so that their sums, normalisation and ties are
   * bit-for-bit those of the full union: the answer is the same, not an
   * approximation (test/search/moreLikeThis.test.ts).
   */
  private topMatchingAny(terms: string[], filters: CompiledFilters, exactName: number, limit: number): number[] {
    const { postingOffsets: offsets, postingDocs: docs, postingScores: weights, nameKey: nameKeys, nameRank } = this.data.arrays;
    // As matchAny: distinct known terms, in the order of the query.
    const ids = [...new Set(terms.map((term) => this.termIds.get(term)).filter((id): id is number => id !== undefined))];
    if (ids.length === 0 || limit <= 0) return [];
    const signal = this.tieBreakSignal();
    const multiplier = (doc: number) => (nameKeys[doc] === exactName ? exactNameBonus : 1) * signal[doc]!;
    const highestMultiplier = (exactName >= 0 ? exactNameBonus : 1) * this.highestTieBreak();
    // Room for float32 rounding (scores, their normalisation): a doc is only left out when clearly below.
    const margin = 1 + 1e-5;

    const order = ids.slice().sort((x, y) => offsets[x + 1]! - offsets[x]! - (offsets[y + 1]! - offsets[y]!));
    // left[j]: the most the terms order[j..] can add to a doc's sum.
    const left = new Float64Array(order.length + 1);
    for (let j = order.length - 1; j >= 0; j--) left[j] = left[j + 1]! + this.highestWeight(order[j]!);

    const sums = (this.unionSums ??= new Float64Array(this.documentCount));
    const touched = (this.unionTouched ??= new Int32Array(this.documentCount));
    let met = 0;
    let threshold = 0;
    let walked = 0;
    for (; walked < order.length; walked++) {
      // Stop when k docs passing the filters already beat anything the terms left could give a doc not met yet.
      if (walked > 0 && met >= limit && this.enoughAbove(touched, met, sums, left[walked]! * highestMultiplier * margin, highestMultiplier, limit, filters, multiplier)) {
        threshold = this.kthBestLowerBound(touched, sums, limit, filters, multiplier, highestMultiplier, met, true);
        break;
      }
      const id = order[walked]!;
      const end = offsets[id + 1]!;
      for (let i = offsets[id]!; i < end; i++) {
        const doc = docs[i]!;
        if (sums[doc] === 0) touched[met++] = doc;
        sums[doc]! += weights[i]! || Number.MIN_VALUE;
      }
    }
    // Every list walked: their sums are final, and only the k best (and ties) are worth scoring again.
    if (walked === order.length && met > limit) threshold = this.kthBestLowerBound(touched, sums, limit, filters, multiplier, highestMultiplier, met, true);
    // The docs whose best possible sum can still reach the threshold; the accumulator is zeroed for the next query.
    let candidates: number[] = [];
    for (let i = 0; i < met; i++) {
      const doc = touched[i]!;
      const best = (sums[doc]! + left[walked]!) * margin;
      if (best * highestMultiplier >= threshold && best * multiplier(doc) >= threshold) candidates.push(doc);
      else sums[doc] = 0;
    }
    candidates.sort((x, y) => x - y);
    // Their sums so far, taken from the accumulator before it is zeroed (issue 13: adding the walked lists
    // again, a search per candidate and list, was a third of the time): the same additions in the same
    // order (order[0..walked), weight || MIN_VALUE), hence the same float64 sums.
    let partial: number[] = new Array<number>(candidates.length);
    for (let c = 0; c < candidates.length; c++) {
      partial[c] = sums[candidates[c]!]!;
      sums[candidates[c]!] = 0;
    }
    // The longer lists, searched for the candidates only; after each, those that can no longer reach the k-th best are left out.
    for (let j = walked; j < order.length && candidates.length > limit; j++) {
      this.addWeights(order[j]!, candidates, partial);
      threshold = Math.max(threshold, this.kthBestLowerBound(candidates, partial, limit, filters, multiplier, highestMultiplier));
      const keptDocs: number[] = [];
      const keptSums: number[] = [];
      for (let c = 0; c < candidates.length; c++) {
        if ((partial[c]! + left[j + 1]!) * multiplier(candidates[c]!) * margin < threshold) continue;
        keptDocs.push(candidates[c]!);
        keptSums.push(partial[c]!);
      }
      candidates = keptDocs;
      partial = keptSums;
    }
    this.lastMoreLikeThis = { postingsWalked: walked === order.length ? -1 : walked, candidates: candidates.length };

    // Exact sums, adding the terms in matchAny's order, as union() does.
    const exact: number[] = candidates.map(() => 0);
    for (const id of ids) this.addWeights(id, candidates, exact);
    // normalise(): float32 scores divided by the best one, which is among the candidates (nothing left out can beat the k-th).
    const scores = Float32Array.from(exact);
    let max = 0;
    for (const score of scores) if (score > max) max = score;
    if (max > 0) for (let i = 0; i < scores.length; i++) scores[i]! /= max;
    const results: { doc: number; score: number }[] = [];
    for (let c = 0; c < candidates.length; c++) {
      const doc = candidates[c]!;
      if (this.passes(doc, filters)) results.push({ doc, score: scores[c]! * multiplier(doc) });
    }
    results.sort((x, y) => y.score - x.score || nameRank[x.doc]! - nameRank[y.doc]!);
    return results.slice(0, limit).map((result) => result.doc);
  }

  /** How the last topMatchingAny went: terms walked in full before pruning (-1: all of them), candidates scored. For tests and profiling. */
  lastMoreLikeThis: { postingsWalked: number; candidates: number } | null = null;

  /** Whether at least k docs met that pass the filters have (sum so far × multiplier) above `bar`: a cheap test on most docs. */
  private enoughAbove(touched: Int32Array, met: number, sums: Float64Array, bar: number, highestMultiplier: number, k: number, filters: CompiledFilters, multiplier: (doc: number) => number): boolean {
    const floor = bar / highestMultiplier;
    let found = 0;
    for (let i = 0; i < met; i++) {
      const doc = touched[i]!;
      if (sums[doc]! <= floor || sums[doc]! * multiplier(doc) <= bar || !this.passes(doc, filters)) continue;
      if (++found === k) return true;
    }
    return false;
  }

  /** The k-th highest (sum so far × multiplier) among docs passing the filters; 0 when fewer than k do. */
  private kthBestLowerBound(docs: ArrayLike<number>, sums: ArrayLike<number>, k: number, filters: CompiledFilters, multiplier: (doc: number) => number, highest: number, count = docs.length, byDoc = false): number {
    // A small ascending list of the k best: most docs fall below its first element.
    const best: number[] = [];
    for (let i = 0; i < count; i++) {
      const doc = docs[i]!;
      const sum = sums[byDoc ? doc : i]!;
      // Most docs are rejected here, before their multiplier is looked up.
      if (best.length === k && sum * highest <= best[0]!) continue;
      const value = sum * multiplier(doc);
      if (best.length === k && value <= best[0]!) continue;
      if (!this.passes(doc, filters)) continue;
      let at = 0;
      while (at < best.length && best[at]! < value) at++;
      best.splice(at, 0, value);
      if (best.length > k) best.shift();
    }
    return best.length === k ? best[0]! : 0;
  }

  /** Adds a term's weight in each of `docs` (ascending) to `sums`, as union() adds it: searched, not walked. */
  private addWeights(id: number, docs: number[], sums: number[]): void {
    const { postingOffsets: offsets, postingDocs: postings, postingScores: weights } = this.data.arrays;
    const end = offsets[id + 1]!;
    let cursor = offsets[id]!;
    for (let c = 0; c < docs.length && cursor < end; c++) {
      cursor = lowerBound(postings, cursor, end, docs[c]!);
      if (cursor < end && postings[cursor] === docs[c]) sums[c]! += weights[cursor]! || Number.MIN_VALUE;
    }
  }

  /** Whether a doc passes every filter: filterAndCount's tests, for one doc. */
  private passes(doc: number, filters: CompiledFilters): boolean {
    const a = this.data.arrays;
    for (const field of singleValuedFields) {
      const accepted = filters.selected[field];
      if (!accepted) continue;
      const code = a[field][doc]!;
      if (code < 0 || accepted[code] === 0) return false;
    }
    // Without a list of [field, offsets, codes] made at each call: this runs for many docs of each query.
    const topics = filters.selected.topic;
    if (topics && !anyAccepted(topics, a.topicOffsets, a.topicCodes, doc)) return false;
    const categories = filters.selected.category;
    if (categories && !anyAccepted(categories, a.categoryOffsets, a.categoryCodes, doc)) return false;
    const docFlags = a.flags[doc]!;
    for (const filter of filters.booleans) {
      if ((docFlags & filter.requires) !== filter.requires || ((docFlags & filter.bit) !== 0) !== filter.want) return false;
    }
    return filters.activeSince === null || a.activity[doc]! >= filters.activeSince;
  }

  /** A term's highest weight in any doc (as union() adds it), worked out on first use and kept for the index. */
  private highestWeight(id: number): number {
    const known = (this.highestWeights ??= new Float64Array(this.data.terms.length).fill(-1));
    if (known[id]! >= 0) return known[id]!;
    const { postingOffsets: offsets, postingScores: weights } = this.data.arrays;
    let max = 0;
    for (let i = offsets[id]!; i < offsets[id + 1]!; i++) max = Math.max(max, weights[i]! || Number.MIN_VALUE);
    known[id] = max;
    return max;
  }

  private highestWeights: Float64Array | null = null;

  /** The highest tie-break signal of the index. */
  private highestTieBreak(): number {
    if (this.tieBreakMax === null) {
      let max = 0;
      for (const value of this.tieBreakSignal()) if (value > max) max = value;
      this.tieBreakMax = max;
    }
    return this.tieBreakMax;
  }

  private tieBreakMax: number | null = null;

  private compileFilters(query: SearchQuery): CompiledFilters {
    const filters = query.filters;
    const values: Partial<Record<DictionaryField, string[] | undefined>> = {
      language: filters.language,
      license: filters.license,
      host: filters.host,
      owner: filters.owner,
      publicBody: filters.publicBody,
      topic: filters.topic,
      developmentStatus: filters.developmentStatus,
      softwareType: filters.softwareType,
      category: filters.category,
    };
    const selected: CompiledFilters["selected"] = {};
    for (const [field, wanted] of Object.entries(values) as [DictionaryField, string[] | undefined][]) {
      if (!wanted || wanted.length === 0) continue;
      const accepted = new Uint8Array(this.data.dictionaries[field].values.length);
      for (const value of wanted) {
        const code = this.codes[field].get(value.toLowerCase());
        if (code !== undefined) accepted[code] = 1;
      }
      selected[field] = accepted;
    }
    const booleans: CompiledFilters["booleans"] = [];
    for (const [name, bit, requires] of booleanFacets) {
      const want = filters[name];
      if (want !== undefined) booleans.push({ name, bit, requires, want });
    }
    return { selected, booleans, activeSince: filters.activeSince ? Date.parse(filters.activeSince) : null };
  }

  /**
   * The docs passing every filter are the results; facet counts follow the
   * usual faceted-search rule, a facet counting the docs that pass every
   * filter but its own, so that the other values of a filtered facet stay
   * visible with what choosing them would give.
   *
   * One pass per filter marks in `failed` the bit of each filter a candidate
   * fails, then one pass over the candidates collects the results and counts
   * the facets. Tight loops over typed arrays, no function call per doc: about
   * 2 ms for 50,000 candidates.
   *
   * Without `countFacets` (a query that shows no facets, e.g. the similar
   * repositories of a repository page), only the docs failing no filter are
   * collected: the counting, most of the cost of a filter over every doc, is
   * skipped, and `facetCounts` is null.
   */
  private filterAndCount(text: TextMatches | null, filters: CompiledFilters, exactName: number, countFacets = true, textFirst = false) {
    const a = this.data.arrays;
    // "More like this" (match "any"): closeness of text decides, reuse only breaks ties,
    // else a popular repository sharing one generic word outranks the close ones.
    const signal = textFirst ? this.tieBreakSignal() : a.signal;
    const candidates = text ? text.docs : this.allDocs();
    const count = candidates.length;
    // Bit 15: excluded from everything (active_since is a filter but not a facet).
    const excluded = 0x8000;
    const scratch = this.scratchBuffers();
    const failed = scratch.failed.subarray(0, count);
    failed.fill(0);

    for (const field of singleValuedFields) {
      const accepted = filters.selected[field];
      if (!accepted) continue;
      const codes = a[field];
      const bit = facetBits[field];
      for (let i = 0; i < count; i++) {
        const code = codes[candidates[i]!]!;
        if (code < 0 || accepted[code] === 0) failed[i]! |= bit;
      }
    }
    for (const [field, offsets, codes] of [["topic", a.topicOffsets, a.topicCodes], ["category", a.categoryOffsets, a.categoryCodes]] as const) {
      const accepted = filters.selected[field];
      if (!accepted) continue;
      for (let i = 0; i < count; i++) {
        const doc = candidates[i]!;
        let any = false;
        for (let t = offsets[doc]!; t < offsets[doc + 1]! && !any; t++) any = accepted[codes[t]!] === 1;
        if (!any) failed[i]! |= facetBits[field];
      }
    }
    for (const filter of filters.booleans) {
      const bit = facetBits[filter.name];
      for (let i = 0; i < count; i++) {
        const docFlags = a.flags[candidates[i]!]!;
        if ((docFlags & filter.requires) !== filter.requires || ((docFlags & filter.bit) !== 0) !== filter.want) failed[i]! |= bit;
      }
    }
    if (filters.activeSince !== null) {
      const since = filters.activeSince;
      for (let i = 0; i < count; i++) if (!(a.activity[candidates[i]!]! >= since)) failed[i] = excluded;
    }

    if (!countFacets) {
      const results = scratch.results;
      const scores = scratch.scores;
      let found = 0;
      for (let i = 0; i < count; i++) {
        if (failed[i] !== 0) continue;
        const doc = candidates[i]!;
        results[found] = doc;
        if (text) scores[found] = text.scores[i]! * (a.nameKey[doc] === exactName ? exactNameBonus : 1) * signal[doc]!;
        found++;
      }
      return { results: results.subarray(0, found), scores: scores.subarray(0, text ? found : 0), facetCounts: null };
    }

    const counts = scratch.counts;
    for (const name of facetNames) counts[name].fill(0);
    const { language, license, host, owner, publicBody, flags, topicOffsets, topicCodes, developmentStatus, softwareType, categoryOffsets, categoryCodes } = a;
    const results = scratch.results;
    const scores = scratch.scores;
    let found = 0;
    // One pass: a candidate failing no filter is a result and counts in every facet;
    // failing exactly one, it counts in that filter's facet only; failing more, nowhere.
    for (let i = 0; i < count; i++) {
      const f = failed[i]!;
      if (f !== 0 && (f & (f - 1)) !== 0) continue;
      const doc = candidates[i]!;
      if (f === 0) {
        results[found] = doc;
        if (text) scores[found] = text.scores[i]! * (a.nameKey[doc] === exactName ? exactNameBonus : 1) * signal[doc]!;
        found++;
      }
      let code: number;
      if ((f === 0 || f === facetBits.language) && (code = language[doc]!) >= 0) counts.language[code]!++;
      if ((f === 0 || f === facetBits.license) && (code = license[doc]!) >= 0) counts.license[code]!++;
      if ((f === 0 || f === facetBits.host) && (code = host[doc]!) >= 0) counts.host[code]!++;
      if ((f === 0 || f === facetBits.owner) && (code = owner[doc]!) >= 0) counts.owner[code]!++;
      if ((f === 0 || f === facetBits.publicBody) && (code = publicBody[doc]!) >= 0) counts.publicBody[code]!++;
      if (f === 0 || f === facetBits.topic) for (let t = topicOffsets[doc]!; t < topicOffsets[doc + 1]!; t++) counts.topic[topicCodes[t]!]!++;
      const docFlags = flags[doc]!;
      if (f === 0 || f === facetBits.archived) counts.archived[docFlags & flag.archived ? 1 : 0]!++;
      if (f === 0 || f === facetBits.fork) counts.fork[docFlags & flag.fork ? 1 : 0]!++;
      if (f === 0 || f === facetBits.hasLicense) counts.hasLicense[docFlags & flag.hasLicense ? 1 : 0]!++;
      if (f === 0 || f === facetBits.hasPubliccode) counts.hasPubliccode[docFlags & flag.hasPubliccode ? 1 : 0]!++;
      if ((f === 0 || f === facetBits.publiccodeValid) && docFlags & flag.hasPubliccode) counts.publiccodeValid[docFlags & flag.publiccodeValid ? 1 : 0]!++;
      if ((f === 0 || f === facetBits.developmentStatus) && (code = developmentStatus[doc]!) >= 0) counts.developmentStatus[code]!++;
      if ((f === 0 || f === facetBits.softwareType) && (code = softwareType[doc]!) >= 0) counts.softwareType[code]!++;
      if (f === 0 || f === facetBits.reused) counts.reused[docFlags & flag.reused ? 1 : 0]!++;
      if (f === 0 || f === facetBits.category) for (let t = categoryOffsets[doc]!; t < categoryOffsets[doc + 1]!; t++) counts.category[categoryCodes[t]!]!++;
    }
    return { results: results.subarray(0, found), scores: scores.subarray(0, text ? found : 0), facetCounts: counts };
  }

  private identity: Int32Array | null = null;
  private scratch: { failed: Uint16Array; results: Int32Array; scores: Float64Array; counts: Record<FacetName, Int32Array> } | null = null;

  /**
   * Working arrays of filterAndCount, allocated once per index and reused by
   * every query (issue 13): a query over the whole catalogue allocated some
   * 750 KB of typed arrays at 50,000 repositories, and collecting them was a
   * tenth of the API's CPU. Safe because a query runs synchronously to its
   * end and nothing it returns refers to them (pages are copied out, facets
   * become objects).
   */
  private scratchBuffers() {
    if (!this.scratch) {
      const n = this.documentCount;
      const dictionaries = this.data.dictionaries;
      this.scratch = {
        failed: new Uint16Array(n),
        results: new Int32Array(n),
        scores: new Float64Array(n),
        counts: {
          language: new Int32Array(dictionaries.language.values.length),
          license: new Int32Array(dictionaries.license.values.length),
          host: new Int32Array(dictionaries.host.values.length),
          owner: new Int32Array(dictionaries.owner.values.length),
          publicBody: new Int32Array(dictionaries.publicBody.values.length),
          topic: new Int32Array(dictionaries.topic.values.length),
          archived: new Int32Array(2),
          fork: new Int32Array(2),
          hasLicense: new Int32Array(2),
          // Repository profiles (issue 9).
          hasPubliccode: new Int32Array(2),
          publiccodeValid: new Int32Array(2),
          category: new Int32Array(dictionaries.category.values.length),
          developmentStatus: new Int32Array(dictionaries.developmentStatus.values.length),
          softwareType: new Int32Array(dictionaries.softwareType.values.length),
          reused: new Int32Array(2), // issue 10
        },
      };
    }
    return this.scratch;
  }

  /** 0..documentCount-1: the candidates when there is no text to match. */
  private allDocs(): Int32Array {
    if (!this.identity) {
      this.identity = new Int32Array(this.documentCount);
      for (let i = 0; i < this.identity.length; i++) this.identity[i] = i;
    }
    return this.identity;
  }

  /** The docs of one page, in the order of the sort key. */
  private page(results: Int32Array, scores: Float64Array, hasText: boolean, sort: SortKey, offset: number, limit: number): number[] {
    if (offset >= results.length) return [];
    const a = this.data.arrays;
    const nameRank = a.nameRank;
    const wanted = Math.min(results.length, offset + limit);

    if (sort === "relevance" && hasText) {
      // Best-first by relevance, ties by name; only the first `wanted` need ordering.
      const order = new Int32Array(results.length);
      for (let i = 0; i < order.length; i++) order[i] = i;
      const better = (x: number, y: number) => scores[y]! - scores[x]! || nameRank[results[x]!]! - nameRank[results[y]!]!;
      return firstInOrder(order, wanted, better).slice(offset).map((i) => results[i]!);
    }

    const permutation = sort === "relevance" ? a.bySignal : sort === "stars" ? a.byStars : sort === "forks" ? a.byForks : sort === "activity" ? a.byActivity : sort === "reuse" ? a.byReuse : a.byName;
    if (results.length === this.documentCount) return Array.from(permutation.subarray(offset, wanted));
    if (results.length * 8 < this.documentCount) {
      // Few results: ordering them by their position in the permutation is cheaper than walking it.
      const rank = this.rankIn(permutation);
      return firstInOrder(Int32Array.from(results), wanted, (x, y) => rank[x]! - rank[y]!).slice(offset);
    }
    const member = new Uint8Array(this.documentCount);
    for (const doc of results) member[doc] = 1;
    const out: number[] = [];
    let seen = 0;
    for (let i = 0; i < permutation.length && out.length < limit; i++) {
      const doc = permutation[i]!;
      if (member[doc] === 0) continue;
      if (seen++ >= offset) out.push(doc);
    }
    return out;
  }

  /** Position of each doc in a permutation, computed once per permutation. */
  private rankIn(permutation: Int32Array): Int32Array {
    let rank = this.ranks.get(permutation);
    if (!rank) {
      rank = new Int32Array(permutation.length);
      for (let i = 0; i < permutation.length; i++) rank[permutation[i]!] = i;
      this.ranks.set(permutation, rank);
    }
    return rank;
  }

  private facets(counts: Record<FacetName, Int32Array>, query: SearchQuery): Record<FacetName, FacetValue[]> {
    const f = query.filters;
    const out = {} as Record<FacetName, FacetValue[]>;
    const limit = facetLimitOf(query);
    for (const field of [...singleValuedFields, ...multiValuedFields] as const) {
      const dictionary = this.data.dictionaries[field];
      const selected = f[field] ?? [];
      const codes = topCodes(counts[field], limit);
      const listed = new Set(codes);
      const values: FacetValue[] = codes.map((code) => facetValue(dictionary, code, counts[field][code]!));
      // A selected value shows even when it is rare or matches nothing, so that it can be unselected.
      for (const value of selected) {
        const code = this.codes[field].get(value.toLowerCase());
        if (code === undefined) values.push({ value, count: 0 });
        else if (!listed.has(code)) values.push(facetValue(dictionary, code, counts[field][code]!));
      }
      out[field] = values;
    }
    for (const [name] of booleanFacets) {
      const values: FacetValue[] = [];
      for (const [value, index] of [["true", 1], ["false", 0]] as const) {
        const count = counts[name][index]!;
        if (count > 0 || f[name] === (value === "true")) values.push({ value, count });
      }
      out[name] = values.sort((x, y) => y.count - x.count);
    }
    return out;
  }
}

/** Values listed per facet for a query: its facetLimit within 1..facetValueLimit, facetValueLimit by default. */
function facetLimitOf(query: SearchQuery): number {
  const limit = query.facetLimit;
  return limit === undefined || !Number.isInteger(limit) ? facetValueLimit : Math.min(facetValueLimit, Math.max(1, limit));
}

/** Fresh lists of the shared facet values (never changed by their readers), so that a caller adding to a list changes no other page. */
function copyFacets(facets: Record<FacetName, FacetValue[]>): Record<FacetName, FacetValue[]> {
  const out = {} as Record<FacetName, FacetValue[]>;
  for (const name of facetNames) out[name] = facets[name].slice();
  // Not enumerable: invisible to JSON and to equality in tests.
  Object.defineProperty(out, facetsSource, { value: facets });
  return out;
}

/**
 * On the facets of a search result, the cached record they were copied from:
 * the same object for every search sharing those matches (another page, another
 * sort), so what is derived from facets can be kept per source (issue 13: their
 * JSON, api/present.ts). The source is never changed once made.
 */
export const facetsSource = Symbol("facetsSource");

/** The facets of a query that asked for none: every facet empty. */
function noFacets(): Record<FacetName, FacetValue[]> {
  return {
    language: [], license: [], host: [], owner: [], publicBody: [], topic: [], archived: [], fork: [], hasLicense: [],
    hasPubliccode: [], publiccodeValid: [], category: [], developmentStatus: [], softwareType: [], reused: [],
  };
}

function facetValue(dictionary: IndexData["dictionaries"][DictionaryField], code: number, count: number): FacetValue {
  const label = dictionary.labels?.[code];
  return label ? { value: dictionary.values[code]!, label, count } : { value: dictionary.values[code]!, count };
}

/** Codes with a non-zero count, the `limit` highest, by count then code (order of first appearance). */
function topCodes(counts: Int32Array, limit: number): number[] {
  const best: number[] = [];
  for (let code = 0; code < counts.length; code++) {
    const count = counts[code]!;
    if (count === 0) continue;
    if (best.length === limit && count <= counts[best[limit - 1]!]!) continue;
    // Insertion into a short sorted list: most counts are rejected by the test above.
    let at = best.length;
    while (at > 0 && counts[best[at - 1]!]! < count) at--;
    best.splice(at, 0, code);
    if (best.length > limit) best.pop();
  }
  return best;
}

/** The first `count` items of `items` in the order of `compare`, without sorting the rest when few are wanted. */
function firstInOrder(items: Int32Array, count: number, compare: (x: number, y: number) => number): number[] {
  if (count * 16 >= items.length) return Array.from(items.sort(compare).subarray(0, count));
  // A bounded max-heap of the best `count` items seen: O(n log count).
  const heap: number[] = [];
  const worse = (i: number, j: number) => compare(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  for (const item of items) {
    if (heap.length === count) {
      if (compare(item, heap[0]!) >= 0) continue;
      heap[0] = item;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = i;
        if (l < heap.length && worse(l, top)) top = l;
        if (r < heap.length && worse(r, top)) top = r;
        if (top === i) break;
        swap(i, top);
        i = top;
      }
    } else {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    }
  }
  return heap.sort(compare);
}

/** Whether one of a doc's values (topics, categories) is accepted by a filter. */
function anyAccepted(accepted: Uint8Array, offsets: ArrayLike<number>, codes: ArrayLike<number>, doc: number): boolean {
  for (let t = offsets[doc]!; t < offsets[doc + 1]!; t++) if (accepted[codes[t]!] === 1) return true;
  return false;
}

/** First index in [from, to) whose doc is >= doc (the list is ascending): galloping, then binary search. */
function lowerBound(docs: Int32Array, from: number, to: number, doc: number): number {
  let step = 1;
  let low = from;
  let high = from;
  while (high < to && docs[high]! < doc) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  high = Math.min(high, to);
  while (low < high) {
    const mid = (low + high) >> 1;
    if (docs[mid]! < doc) low = mid + 1;
    else high = mid;
  }
  return low;
}

function normalise(scores: Float32Array): void {
  let max = 0;
  for (const score of scores) if (score > max) max = score;
  if (max > 0) for (let i = 0; i < scores.length; i++) scores[i]! /= max;
}

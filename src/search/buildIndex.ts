// Builds the search index from live repositories: lunr (with lunr-languages)
// computes the term weights, which are then laid out as posting lists, and
// each repository's filter, facet and sort values go into columns.
import lunr from "lunr";
import { publiccodeSearchFields, type PubliccodeSearchFields } from "../profiles/publiccodeFields.ts";
import type { PublicBodyDirectory } from "../sources/publicBodies.ts";
import type { RepositoryRow } from "../store/catalog.ts";
import { createAnalyzer, nameKey, words, type Analyzer } from "./analyzer.ts";
import { SearchIndex } from "./searchIndex.ts";
import { similarDocs, similarityReasons, similarityText, type ReasonSource } from "./similar.ts";
import { flag, similarPerDoc, type Dictionary, type DictionaryField, type IndexArrays, type IndexData } from "./indexData.ts";
import { activityTime, reuseScoreOf, reuseSignal } from "./ranking.ts";

/**
 * The text fields and their lunr boosts. The name says what a repository is,
 * topics are chosen labels; the owner and public body let "armées" or
 * "etalab" find their repositories without outranking a project named so.
 */
export const searchFields = [
  { name: "name", boost: 4 },
  { name: "topics", boost: 2 },
  { name: "owner", boost: 1.5 },
  { name: "publicBody", boost: 1 },
  { name: "description", boost: 1 },
  { name: "language", boost: 1 },
  // issue 9: the repository's profile. Lower than the name and the forge's own
  // description: a README mentions many things a repository is not about.
  { name: "publiccode", boost: 1 },
  { name: "features", boost: 0.6 },
  { name: "categories", boost: 1 },
  { name: "readme", boost: 0.25 },
] as const;
type SearchField = (typeof searchFields)[number]["name"];

/** What the index reads of a repository's profile (issue 9). */
export interface ProfileIndexFields {
  readmeText: string | null;
  publiccodeValid: boolean | null;
  publiccodeDocument: Record<string, unknown> | null;
}

/**
 * Characters of README text indexed: its start (title, first paragraph) says
 * what the repository is. Measured on 5,000 repositories, 300 characters add
 * 2.5 × the postings of the names and descriptions alone, 1,000 characters
 * 5.8 ×, and build time grows with them (lunr stems every word).
 */
export const readmeIndexedLength = 300;

export interface BuildContext {
  /** The profile of a repository by pk, when the store has one (issue 9). */
  profileOf?: (pk: number) => ProfileIndexFields | undefined;
  /** Names of public bodies and their ministries, indexed with the pso_id; null when there is no directory file. */
  publicBodies: PublicBodyDirectory | null;
  builtAt: Date;
  fingerprint: string;
}

/** Values of a field, numbered in order of appearance, matched case-insensitively. */
class DictionaryBuilder {
  private readonly codes = new Map<string, number>();
  readonly values: string[] = [];
  readonly labels: (string | null)[] = [];

  code(value: string | null, label: string | null = null): number {
    if (value === null || value === "") return -1;
    const key = value.toLowerCase();
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(key, code);
      this.values.push(value);
      this.labels.push(label);
    } else if (label !== null && this.labels[code] === null) {
      this.labels[code] = label;
    }
    return code;
  }

  dictionary(withLabels: boolean): Dictionary {
    return { values: this.values, labels: withLabels ? this.labels : null };
  }
}

/** The text of the public body field: its id, then its name, acronym and ministry in French and English. */
function publicBodyText(psoId: string | null, directory: PublicBodyDirectory | null): string {
  if (psoId === null) return "";
  const body = directory?.body(psoId);
  if (!body) return psoId;
  const ministry = body.ministryId ? directory?.ministries.get(body.ministryId) : undefined;
  return [psoId, body.name, body.acronym, ministry?.name.fr, ministry?.name.en].filter(Boolean).join(" ");
}

/** Orders docs by `compare`, ties by name rank: one permutation of 0..n-1. */
function permutation(count: number, compare: (a: number, b: number) => number, nameRank?: Int32Array): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order.sort((a, b) => compare(a, b) || (nameRank ? nameRank[a]! - nameRank[b]! : a - b));
}

interface Columns {
  pk: number[];
  stars: number[];
  forks: number[];
  activity: number[];
  flags: number[];
  signal: number[];
  reuseScore: number[];
  names: string[];
  fullNames: string[];
  topicOffsets: number[];
  topicCodes: number[];
  categoryOffsets: number[];
  categoryCodes: number[];
  /** issue 13: what similar.ts queries for each doc. */
  similarityTexts: string[];
  /** issue 13: what similar.ts reads the reasons from, for each doc. */
  reasonSources: ReasonSource[];
  nameKey: number[];
  codes: Record<Exclude<DictionaryField, "topic" | "category">, number[]>;
}

/** The pso_id of a repository's owner, lower-cased; null when none or a placeholder ("no id known"). */
function publicBodyId(row: RepositoryRow, directory: PublicBodyDirectory | null): string | null {
  return row.psoId && !directory?.isUnidentified(row.psoId) ? row.psoId.toLowerCase() : null;
}

/** The lunr document of a repository: its ref (the doc number) and the text of each search field. */
export function searchTexts(
  row: RepositoryRow,
  doc: number,
  directory: PublicBodyDirectory | null,
  profile: { readmeText: string | null; publiccode: PubliccodeSearchFields | null } = { readmeText: null, publiccode: null },
): Record<SearchField, string> & { doc: string } {
  return {
    publiccode: profile.publiccode?.description ?? "",
    features: profile.publiccode?.features ?? "",
    categories: profile.publiccode?.categories.join(" ") ?? "",
    readme: profile.readmeText?.slice(0, readmeIndexedLength) ?? "",
    doc: String(doc),
    name: row.name,
    topics: row.topics.join(" "),
    owner: row.ownerName && row.ownerName.toLowerCase() !== row.owner.toLowerCase() ? `${row.owner} ${row.ownerName}` : row.owner,
    publicBody: publicBodyText(publicBodyId(row, directory), directory),
    description: row.description ?? "",
    language: row.language ?? "",
  };
}

/** A lunr builder with our tokeniser, the analyzer's pipeline and the search fields with their boosts. */
export function createLunrBuilder(analyzer: Analyzer): lunr.Builder {
  const builder = new lunr.Builder();
  builder.pipeline.add(analyzer.pipelineFunction);
  builder.tokenizer = ((value: unknown) => words(typeof value === "string" ? value : "", "index").map((word) => new lunr.Token(word, {}))) as typeof lunr.tokenizer;
  builder.ref("doc");
  for (const field of searchFields) builder.field(field.name, { boost: field.boost });
  return builder;
}

export function buildIndexData(rows: Iterable<RepositoryRow>, context: BuildContext): IndexData {
  const builtAtMs = context.builtAt.getTime();
  // Its memo ends as the vocabulary (issue 13): a bound the catalogue's words never reach clears none of it.
  const analyzer = createAnalyzer(vocabularyLimit);
  const builder = createLunrBuilder(analyzer);

  const dictionaries = {
    language: new DictionaryBuilder(),
    license: new DictionaryBuilder(),
    host: new DictionaryBuilder(),
    owner: new DictionaryBuilder(),
    publicBody: new DictionaryBuilder(),
    topic: new DictionaryBuilder(),
    developmentStatus: new DictionaryBuilder(),
    softwareType: new DictionaryBuilder(),
    category: new DictionaryBuilder(),
  };
  const nameKeys = new DictionaryBuilder();
  const columns: Columns = {
    pk: [], stars: [], forks: [], activity: [], flags: [], signal: [], reuseScore: [], names: [], fullNames: [],
    topicOffsets: [0], topicCodes: [], categoryOffsets: [0], categoryCodes: [], nameKey: [],
    codes: { language: [], license: [], host: [], owner: [], publicBody: [], developmentStatus: [], softwareType: [] },
    similarityTexts: [],
    reasonSources: [],
  };

  let count = 0;
  for (const row of rows) {
    const doc = count++;
    const psoId = publicBodyId(row, context.publicBodies);
    const profile = context.profileOf?.(row.pk);
    const publiccode = publiccodeSearchFields(profile?.publiccodeDocument ?? null);
    builder.add(searchTexts(row, doc, context.publicBodies, { readmeText: profile?.readmeText ?? null, publiccode }));

    columns.pk.push(row.pk);
    columns.stars.push(row.stars);
    columns.forks.push(row.forks);
    columns.activity.push(activityTime(row));
    const hasPubliccode = profile !== undefined && profile.publiccodeValid !== null;
    columns.flags.push(
      (row.archived ? flag.archived : 0) | (row.fork ? flag.fork : 0) | (row.license !== null ? flag.hasLicense : 0) |
        (hasPubliccode ? flag.hasPubliccode : 0) | (profile?.publiccodeValid === true ? flag.publiccodeValid : 0) |
        ((row.reusedByCount ?? 0) > 0 ? flag.reused : 0),
    );
    columns.signal.push(reuseSignal(row, builtAtMs));
    columns.reuseScore.push(reuseScoreOf(row, builtAtMs));
    columns.names.push(row.name);
    columns.nameKey.push(nameKeys.code(nameKey(row.name)));
    columns.fullNames.push(`${row.fullName} ${row.host}`);
    columns.codes.language.push(dictionaries.language.code(row.language));
    columns.codes.license.push(dictionaries.license.code(row.license));
    columns.codes.host.push(dictionaries.host.code(row.host.toLowerCase()));
    columns.codes.owner.push(dictionaries.owner.code(`${row.host.toLowerCase()}/${row.owner}`, row.ownerName));
    columns.codes.publicBody.push(dictionaries.publicBody.code(psoId, psoId ? (context.publicBodies?.body(psoId)?.name ?? null) : null));
    for (const topic of new Set(row.topics.map((t) => dictionaries.topic.code(t)))) if (topic >= 0) columns.topicCodes.push(topic);
    columns.topicOffsets.push(columns.topicCodes.length);
    columns.codes.developmentStatus.push(dictionaries.developmentStatus.code(publiccode?.developmentStatus ?? null));
    columns.codes.softwareType.push(dictionaries.softwareType.code(publiccode?.softwareType ?? null));
    for (const category of new Set((publiccode?.categories ?? []).map((c) => dictionaries.category.code(c)))) if (category >= 0) columns.categoryCodes.push(category);
    columns.categoryOffsets.push(columns.categoryCodes.length);
    columns.similarityTexts.push(similarityText(row));
    columns.reasonSources.push({ name: row.name, description: row.description, topics: row.topics });
  }

  const postings = postingLists(builder.build(), count);
  const vocabulary = vocabularyOf(analyzer, postings.terms);
  const collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });
  const byName = permutation(count, (a, b) => collator.compare(columns.names[a]!, columns.names[b]!) || collator.compare(columns.fullNames[a]!, columns.fullNames[b]!));
  const nameRank = new Int32Array(count);
  byName.forEach((doc, rank) => (nameRank[doc] = rank));
  const stars = Int32Array.from(columns.stars);
  const forks = Int32Array.from(columns.forks);
  const activity = Float64Array.from(columns.activity);
  const signal = Float32Array.from(columns.signal);
  const reuseScore = Float32Array.from(columns.reuseScore);
  // NaN (no date) sorts last: -Infinity stands for it.
  const activityKey = (doc: number) => (Number.isNaN(activity[doc]!) ? -Infinity : activity[doc]!);

  const arrays: IndexArrays = {
    ...postings.arrays,
    pk: Int32Array.from(columns.pk),
    stars,
    forks,
    activity,
    flags: Uint8Array.from(columns.flags),
    signal,
    reuseScore,
    nameKey: Int32Array.from(columns.nameKey),
    nameRank,
    bySignal: permutation(count, (a, b) => signal[b]! - signal[a]!, nameRank),
    byStars: permutation(count, (a, b) => stars[b]! - stars[a]!, nameRank),
    byForks: permutation(count, (a, b) => forks[b]! - forks[a]!, nameRank),
    byActivity: permutation(count, (a, b) => Math.sign(activityKey(b) - activityKey(a)) || 0, nameRank),
    byName,
    byReuse: permutation(count, (a, b) => reuseScore[b]! - reuseScore[a]!, nameRank),
    language: Int32Array.from(columns.codes.language),
    license: Int32Array.from(columns.codes.license),
    host: Int32Array.from(columns.codes.host),
    owner: Int32Array.from(columns.codes.owner),
    publicBody: Int32Array.from(columns.codes.publicBody),
    topicOffsets: Uint32Array.from(columns.topicOffsets),
    topicCodes: Int32Array.from(columns.topicCodes),
    developmentStatus: Int32Array.from(columns.codes.developmentStatus),
    softwareType: Int32Array.from(columns.codes.softwareType),
    categoryOffsets: Uint32Array.from(columns.categoryOffsets),
    categoryCodes: Int32Array.from(columns.categoryCodes),
    similar: new Int32Array(count * similarPerDoc).fill(-1),
    // Filled below, once the similar docs are known.
    similarReasonOffsets: new Uint32Array(count * similarPerDoc + 1),
    similarReasonCodes: new Int32Array(0),
    vocabularyTerms: vocabulary.termIds,
  };
  const data: IndexData = {
    meta: {
      generation: `${builtAtMs.toString(36)}-${context.fingerprint.slice(0, 10)}`,
      builtAt: context.builtAt.toISOString(),
      fingerprint: context.fingerprint,
      documentCount: count,
    },
    terms: postings.terms,
    dictionaries: {
      language: dictionaries.language.dictionary(false),
      license: dictionaries.license.dictionary(false),
      host: dictionaries.host.dictionary(false),
      owner: dictionaries.owner.dictionary(true),
      publicBody: dictionaries.publicBody.dictionary(true),
      topic: dictionaries.topic.dictionary(false),
      developmentStatus: dictionaries.developmentStatus.dictionary(false),
      softwareType: dictionaries.softwareType.dictionary(false),
      category: dictionaries.category.dictionary(false),
    },
    nameKeys: nameKeys.values,
    reasonWords: [],
    vocabulary: vocabulary.words,
    arrays,
  };
  // issue 13: each repository's similar ones, by the query a page would run, on the index just built.
  // And why each is similar, as the page would say it (issue 13: a page then analyses no text).
  const index = new SearchIndex(data);
  // Spelled as the similar repository spells them: one entry per distinct string.
  const reasonWords: string[] = [];
  const reasonWordCodes = new Map<string, number>();
  const reasonWord = (text: string): number => {
    let code = reasonWordCodes.get(text);
    if (code === undefined) reasonWordCodes.set(text, (code = reasonWords.push(text) - 1));
    return code;
  };
  const reasonCodes: number[] = [];
  for (let doc = 0; doc < count; doc++) {
    const similar = similarDocs(index, doc, columns.similarityTexts[doc]!);
    arrays.similar.set(similar, doc * similarPerDoc);
    for (let k = 0; k < similarPerDoc; k++) {
      const other = similar[k];
      if (other !== undefined) {
        const { sharedTopics, sharedWords } = similarityReasons(columns.reasonSources[doc]!, columns.reasonSources[other]!);
        for (const topic of sharedTopics) reasonCodes.push(-1 - reasonWord(topic));
        for (const word of sharedWords) reasonCodes.push(reasonWord(word));
      }
      arrays.similarReasonOffsets[doc * similarPerDoc + k + 1] = reasonCodes.length;
    }
  }
  arrays.similarReasonCodes = Int32Array.from(reasonCodes);
  data.reasonWords = reasonWords;
  return data;
}

/**
 * Words the build's analyzer may remember: more than the distinct words of any
 * catalogue (about 24,000 at 7,700 repositories), so that the vocabulary is
 * whole; a bound all the same, the texts being harvested.
 */
const vocabularyLimit = 2_000_000;

/**
 * Every word the build analysed with its term's id (-1: a stop word), in the
 * order met (issue 13). A word whose term is in no posting list (none: every
 * term the pipeline gives is indexed) is left out.
 */
function vocabularyOf(analyzer: Analyzer, terms: string[]): { words: string[]; termIds: Int32Array } {
  const idOfTerm = new Map(terms.map((term, id) => [term, id]));
  const words: string[] = [];
  const termIds: number[] = [];
  for (const [word, term] of analyzer.analysed()) {
    const id = term === null ? -1 : idOfTerm.get(term);
    if (id === undefined) continue;
    words.push(word);
    termIds.push(id);
  }
  return { words, termIds: Int32Array.from(termIds) };
}

/** The parts of a built lunr.Index that hold the weights (lunr keeps them public but untyped). */
interface LunrInternals {
  invertedIndex: Record<string, { _index: number }>;
  fieldVectors: Record<string, { elements: number[] }>;
}

/**
 * Turns lunr's field vectors (per field and doc: term index, BM25 weight × field
 * boost) into one posting list per term with the weights summed over fields.
 *
 * For a query of plain terms with boost 1, lunr scores a doc as
 * Σ_fields (query vector · field vector) / |query vector|; the query vector has
 * a 1 per query term in every field, so that is Σ_terms Σ_fields weight / √terms:
 * the sum of these posting scores over the query terms, divided by √terms.
 */
function postingLists(index: lunr.Index, count: number): { terms: string[]; arrays: Pick<IndexArrays, "postingOffsets" | "postingDocs" | "postingScores"> } {
  const { invertedIndex, fieldVectors } = index as unknown as LunrInternals;
  const terms = Object.keys(invertedIndex).sort();
  const idOfLunrIndex = new Int32Array(terms.length);
  terms.forEach((term, id) => (idOfLunrIndex[invertedIndex[term]!._index] = id));

  // Two passes over the docs: count each term's postings, then fill them; docs come in ascending order.
  const perDoc = new Float64Array(terms.length);
  const lastDoc = new Int32Array(terms.length).fill(-1);
  const touched: number[] = [];
  const eachDocTerms = (visit: (doc: number, term: number, score: number) => void) => {
    lastDoc.fill(-1);
    for (let doc = 0; doc < count; doc++) {
      for (const field of searchFields) {
        const elements = fieldVectors[`${field.name}/${doc}`]?.elements ?? [];
        for (let i = 0; i < elements.length; i += 2) {
          const term = idOfLunrIndex[elements[i]!]!;
          if (lastDoc[term] !== doc) {
            lastDoc[term] = doc;
            touched.push(term);
          }
          perDoc[term]! += elements[i + 1]!;
        }
      }
      for (const term of touched) {
        visit(doc, term, perDoc[term]!);
        perDoc[term] = 0;
      }
      touched.length = 0;
    }
  };

  const postingOffsets = new Uint32Array(terms.length + 1);
  eachDocTerms((_doc, term) => postingOffsets[term + 1]!++);
  for (let t = 0; t < terms.length; t++) postingOffsets[t + 1]! += postingOffsets[t]!;
  const total = postingOffsets[terms.length]!;
  const postingDocs = new Int32Array(total);
  const postingScores = new Float32Array(total);
  const next = postingOffsets.slice(0, terms.length);
  eachDocTerms((doc, term, score) => {
    const at = next[term]!++;
    postingDocs[at] = doc;
    postingScores[at] = score;
  });
  return { terms, arrays: { postingOffsets, postingDocs, postingScores } };
}

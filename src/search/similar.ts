// Similar repositories, ranked by text similarity weighed like a search: a
// query made of the repository's own words (topics, name, description), where
// any word may match ("more like this"), through the same engine and ranking
// as the search page; and the reasons each one is similar, shared topics then
// shared words, so that a reader sees why it is there (issue 14). Shared by
// the repository page and the MCP server's find_similar_repositories.
import type { RepositoryRow } from "../store/catalog.ts";
import { queryAnalyzer, queryWords } from "./analyzer.ts";
import { similarPerDoc } from "./indexData.ts";
import type { SearchIndex } from "./searchIndex.ts";
import type { SearchEngine, SimilarityReasons, SimilarMatch } from "./types.ts";

/** What the reasons are read from: a repository row, or the build's record of one (buildIndex.ts). */
export type ReasonSource = Pick<RepositoryRow, "name" | "description" | "topics">;

export const similarShown = similarPerDoc;
/** Similar repositories are living ones. */
const similarFilters = { archived: false };
/** Words of the description used in the query: the first ones say what a repository is. */
const descriptionWords = 24;
/** Shared topics and words shown as reasons, at most. */
const reasonsShown = 4;

// The reasons' analyzer: the one the index analyses queries with, so that a word met in both is stemmed once (issue 13).
const analyzer = queryAnalyzer();

/** The "more like this" text of a repository: its topics, its name's parts, the start of its description. */
export function similarityText(row: RepositoryRow): string {
  const description = (row.description ?? "").split(/\s+/).slice(0, descriptionWords).join(" ");
  return [...row.topics, row.name, description].join(" ");
}

/** The index terms of a text, as a set. */
function termsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of queryWords(text)) {
    const term = analyzer.term(word);
    if (term !== null && term.length > 1) out.add(term);
  }
  return out;
}

// The terms and topics of a repository, analysed once for the six similar ones of its page (issue 13).
const ownWords = new WeakMap<ReasonSource, { topics: Set<string>; terms: Set<string> }>();

function ownWordsOf(row: ReasonSource): { topics: Set<string>; terms: Set<string> } {
  let found = ownWords.get(row);
  if (!found) {
    found = { topics: new Set(row.topics.map((topic) => topic.toLowerCase())), terms: termsOf([row.name, row.description ?? "", row.topics.join(" ")].join(" ")) };
    ownWords.set(row, found);
  }
  return found;
}

// The words of a similar repository's name and description with their terms, analysed once per row
// object (issue 13): rows come from the store's row cache, the same object while the store is
// unchanged, and a repository is among the similar ones of several pages (and, at the index build,
// of several docs: buildIndex.ts gives one source object per doc).
const analysedWords = new WeakMap<ReasonSource, { words: string[]; terms: (string | null)[] }>();

function analysedWordsOf(row: ReasonSource): { words: string[]; terms: (string | null)[] } {
  let found = analysedWords.get(row);
  if (!found) {
    const words = queryWords(`${row.name} ${row.description ?? ""}`);
    found = { words, terms: words.map((word) => analyzer.term(word)) };
    analysedWords.set(row, found);
  }
  return found;
}

/** Why `other` resembles `row`: topics both have, then words of its name and description whose terms `row` has. */
export function similarityReasons(row: ReasonSource, other: ReasonSource): SimilarityReasons {
  const { topics, terms } = ownWordsOf(row);
  const sharedTopics = other.topics.filter((topic) => topics.has(topic.toLowerCase())).slice(0, reasonsShown);
  const topicTerms = termsOf(sharedTopics.join(" "));
  const sharedWords: string[] = [];
  const seen = new Set<string>();
  const analysed = analysedWordsOf(other);
  for (let i = 0; i < analysed.words.length; i++) {
    if (sharedWords.length + sharedTopics.length >= reasonsShown) break;
    const term = analysed.terms[i]!;
    const word = analysed.words[i]!;
    // A word already said by a shared topic, or too short to mean anything, is no reason.
    if (term === null || term.length < 3 || !terms.has(term) || topicTerms.has(term) || seen.has(term)) continue;
    seen.add(term);
    sharedWords.push(word);
  }
  return { sharedTopics, sharedWords };
}

/**
 * The repositories most like `row`, excluding itself and archived ones, each
 * with why. One query, without facets; issue 13: the index's answer and its
 * reasons stored at its build when the row was indexed (a page's first visit
 * runs no query and analyses no text), else its pruned query, else search(),
 * and the reasons worked out here.
 */
export function findSimilar(search: SearchEngine, row: RepositoryRow): SimilarMatch[] {
  const stored = search.storedSimilar?.(row);
  if (stored) return stored;
  const q = similarityText(row);
  if (q.trim() === "") return [];
  const items = search.moreLikeThis
    ? search.moreLikeThis(q, similarFilters, similarShown + 1)
    : search.search({ q, match: "any", filters: similarFilters, sort: "relevance", page: 1, perPage: similarShown + 1, facets: false }).items;
  return items
    .filter((item) => item.pk !== row.pk)
    .slice(0, similarShown)
    .map((item) => ({ row: item, reasons: similarityReasons(row, item) }));
}

/**
 * The similar docs of `doc`, whose similarity text is `text`: findSimilar's
 * query on an index, run for every doc at the build (buildIndex.ts, issue 13).
 */
export function similarDocs(index: SearchIndex, doc: number, text: string): number[] {
  if (text.trim() === "") return [];
  return index
    .moreLikeThis(text, similarFilters, similarShown + 1, false)
    .filter((other) => other !== doc)
    .slice(0, similarShown);
}

// Text analysis, the same on both sides of the index: what a repository says
// and what a user types go through one tokeniser and one lunr pipeline, so that
// "équipements", "equipement" and "Equipment" meet on the same term.
//
// Steps for a piece of text:
// 1. Split into words (words()) on anything that is not a letter, a combining
//    mark or a digit: spaces, punctuation, apostrophes (French elisions:
//    "l'application" gives "l" and "application"), control characters.
//    Compounds ("udata-front", "dataGouv", "data.gouv.fr") give their parts,
//    split at "-", "_", ".", camelCase and letter/digit boundaries.
// 2. Run each lower-cased word through lunr-languages' French + English
//    pipeline (lunr.multiLanguage("en", "fr")): stop words of both languages,
//    then both stemmers, with our accent folding inserted before the stemmers.
import lunr from "lunr";
import frenchSupport from "lunr-languages/lunr.fr.js";
import multiLanguageSupport from "lunr-languages/lunr.multi.js";
import stemmerSupport from "lunr-languages/lunr.stemmer.support.js";

/** What lunr-languages adds to the lunr object. */
interface LunrWithLanguages {
  multiLanguage?: (...languages: string[]) => LanguagePlugin;
}

const analyzerLabel = "codeCommunAnalyzer";

type LanguagePlugin = (this: { pipeline: lunr.Pipeline; searchPipeline: lunr.Pipeline }) => void;
let frenchEnglish: LanguagePlugin | null = null;

/**
 * The lunr-languages plugin for French and English, made once: the language
 * plugins add to the lunr object shared by the process, and each
 * multiLanguage() call registers its trimmer again (with a warning).
 */
function frenchAndEnglish(): LanguagePlugin {
  if (!frenchEnglish) {
    const extended = lunr as unknown as LunrWithLanguages;
    if (!extended.multiLanguage) {
      stemmerSupport(lunr);
      frenchSupport(lunr);
      multiLanguageSupport(lunr);
    }
    lunr.Pipeline.registerFunction(foldAccentsToken, "codeCommunFoldAccents");
    // Each analyzer's pipeline function carries this label: lunr warns about unregistered functions.
    lunr.Pipeline.registerFunction((token) => token, analyzerLabel);
    frenchEnglish = extended.multiLanguage!("en", "fr");
  }
  return frenchEnglish;
}

// Letters NFD does not decompose, but that French and its neighbours write either way ("cœur", "coeur").
const ligatures: Record<string, string> = { œ: "oe", æ: "ae", ß: "ss", ø: "o", ł: "l", đ: "d", ı: "i" };

/** Lower-case text without accents: "Équipements Œuvre" gives "equipements oeuvre". */
export function foldAccents(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[œæßøłđı]/g, (letter) => ligatures[letter] ?? letter);
}

function foldAccentsToken(token: lunr.Token): lunr.Token {
  return token.update((text) => foldAccents(text));
}

// A compound: words joined by "-", "_" or "." without spaces ("udata-front", "data.gouv.fr", "covid-19").
const compoundPattern = /[\p{L}\p{M}\p{N}]+(?:[._-][\p{L}\p{M}\p{N}]+)*/gu;
// Boundaries inside a word: "dataGouv" (lower then upper), "XMLParser" (upper run then a capitalised word)...
const caseBoundary = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
// ... and "python3", "covid19" (letter/digit), but only where there is one such boundary:
// identifiers and hashes ("a515667c", "2cf13d7da23b") would otherwise break into "a", "2", "cf"...
const caseOrDigitBoundary = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u;
const letterDigitChange = /\p{L}(?=\p{N})|\p{N}(?=\p{L})/gu;

function splitWord(word: string): string[] {
  const changes = word.match(letterDigitChange)?.length ?? 0;
  return word.split(changes === 1 ? caseOrDigitBoundary : caseBoundary);
}

/**
 * The lower-cased words of a text. A compound ("udata-front", "dataGouvClient",
 * "data.gouv.fr") gives its parts; on the index side also the whole joined
 * ("udatafront") and each pair of neighbouring parts ("datagouv",
 * "gouvclient"), so that a user typing a name without its separators finds it.
 * On the query side a compound gives its parts only: "data-gouv" asks for
 * "data" and "gouv", which every spelling of it has.
 */
export function words(text: string, side: "index" | "query"): string[] {
  const out: string[] = [];
  for (const [compound] of text.matchAll(compoundPattern)) {
    const parts = compound.split(/[._-]/).flatMap(splitWord).map((part) => part.toLowerCase());
    if (parts.length === 1) {
      out.push(parts[0]!);
      continue;
    }
    out.push(...parts);
    if (side === "index") {
      out.push(parts.join(""));
      if (parts.length > 2) for (let i = 0; i + 1 < parts.length; i++) out.push(parts[i]! + parts[i + 1]!);
    }
  }
  return out;
}

/** A name without case, accents or separators: "Udata-Front" and "udata front" give "udatafront". */
export function nameKey(text: string): string {
  return nameKeyOfWords(words(text, "query"));
}

/** nameKey of a text already split into its words (words(text, "query"), or queryWords(text)). */
export function nameKeyOfWords(queryWordList: readonly string[]): string {
  return foldAccents(queryWordList.join(""));
}

export interface Analyzer {
  /** The index term of one lower-cased word, or null for a stop word. */
  term(word: string): string | null;
  /** The distinct terms of a query, in the order typed, at most `limit`. */
  queryTerms(text: string, limit: number): string[];
  /**
   * queryTerms of a query already split into its words (words(text, "query"),
   * or queryWords(text)). `known` gives the term of a word when it knows it
   * (null for a stop word; undefined sends the word through the pipeline):
   * an index's vocabulary (issue 13).
   */
  termsOfWords(queryWordList: readonly string[], limit: number, known?: (word: string) => string | null | undefined): string[];
  /** Every word analysed so far with its term (null for a stop word), until the memo's limit clears it. */
  analysed(): IterableIterator<[string, string | null]>;
  /** The pipeline to give a lunr.Builder: it maps each word token to its term. */
  readonly pipelineFunction: lunr.PipelineFunction;
}

/**
 * An analyzer with its own memo of word → term: stemming both languages costs
 * ~20 µs a word, and a catalogue repeats the same few thousand words.
 * `memoLimit` bounds the memo (queries are untrusted and endless).
 */
export function createAnalyzer(memoLimit = 200_000): Analyzer {
  const target = { pipeline: new lunr.Pipeline(), searchPipeline: new lunr.Pipeline() };
  frenchAndEnglish().call(target);
  // multiLanguage gives: trimmer, French then English stop words, English then French stemmer.
  // Folding goes right before the stemmers: the stop word lists are accented ("été", "à"),
  // and both stemmers then see the same string whether the accents were typed or not.
  target.pipeline.before(lunr.stemmer, foldAccentsToken);
  const pipeline = target.pipeline;
  const memo = new Map<string, string | null>();

  const term = (word: string): string | null => {
    let found = memo.get(word);
    if (found === undefined) {
      const [token] = pipeline.run([new lunr.Token(word, {})]);
      const text = token?.toString() ?? "";
      found = text === "" ? null : text;
      if (memo.size >= memoLimit) memo.clear();
      memo.set(word, found);
    }
    return found;
  };

  const pipelineFunction = Object.assign(
    (token: lunr.Token) => {
      const found = term(token.toString());
      return found === null ? null : token.update(() => found);
    },
    { label: analyzerLabel },
  );

  const termsOfWords = (queryWordList: readonly string[], limit: number, known?: (word: string) => string | null | undefined): string[] => {
    const terms = new Set<string>();
    for (const word of queryWordList) {
      const given = known?.(word);
      const found = given === undefined ? term(word) : given;
      if (found !== null) terms.add(found);
      if (terms.size >= limit) break;
    }
    return [...terms];
  };

  return {
    term,
    queryTerms: (text, limit) => termsOfWords(words(text, "query"), limit),
    termsOfWords,
    analysed: () => memo.entries(),
    pipelineFunction,
  };
}

// --- Queries and the "more like this" path (issue 13) ---
// One analyzer per process for what is analysed at query time: the search
// queries of every index (its memo of word → term survives index rebuilds,
// so a harvest does not send every query word through both stemmers again),
// the query made of a repository's words for its similar ones, and the
// reasons of similar.ts. Stemming a word costs some 20 µs; the words of
// names, descriptions and topics number some 15,000 at 50,000 repositories,
// and queries are untrusted and endless: the memo is bounded.
let processQueryAnalyzer: Analyzer | null = null;

export function queryAnalyzer(): Analyzer {
  return (processQueryAnalyzer ??= createAnalyzer(100_000));
}

// A word with no inner boundary to find: lower case after at most one capital
// ("données", "Application"), or digits only. Most words of names and
// descriptions are such; words() then gives the word lower-cased, and the
// boundary expressions (lookbehinds over Unicode classes, a third of the
// reasons' time) need not run.
const plainWord = /^(?:\p{Lu}?\p{Ll}+|\p{N}+)$/u;

/** words(text, "query"), word for word, faster on plain words (the similar path analyses whole descriptions). */
export function queryWords(text: string): string[] {
  const out: string[] = [];
  for (const [compound] of text.matchAll(compoundPattern)) {
    if (plainWord.test(compound)) out.push(compound.toLowerCase());
    else for (const word of words(compound, "query")) out.push(word);
  }
  return out;
}

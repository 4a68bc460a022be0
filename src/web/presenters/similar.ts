// The similar repositories of a repository page, each with the reasons it is
// similar in the reader's language; the finding is src/search/similar.ts.
import type { SimilarMatch } from "../../search/types.ts";
import type { Translator } from "../i18n/index.ts";
import { toRepositoryCard, type RepositoryCard } from "./repository.ts";

export interface SimilarRepository extends RepositoryCard {
  /** Topics both have, as written on the similar one. */
  sharedTopics: string[];
  /** Words of its name or description whose term the repository also has. */
  sharedWords: string[];
  /** The reasons as one sentence. */
  reason: string;
}

export function toSimilarRepository({ row, reasons }: SimilarMatch, i18n: Translator): SimilarRepository {
  const { sharedTopics, sharedWords } = reasons;
  const parts: string[] = [];
  if (sharedTopics.length > 0) parts.push(i18n.t("similar.topics", { list: sharedTopics.join(", "), count: sharedTopics.length }));
  if (sharedWords.length > 0) parts.push(i18n.t("similar.words", { list: sharedWords.join(", "), count: sharedWords.length }));
  // Object.assign, not a spread followed by properties (slow on Node 20: see toRepositoryPage).
  return Object.assign(toRepositoryCard(row, i18n), { sharedTopics, sharedWords, reason: parts.length > 0 ? parts.join(i18n.locale === "fr" ? "\u00a0; " : "; ") : i18n.t("similar.related") });
}

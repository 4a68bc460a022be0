// Example searches for the home page, taken from the catalogue itself: the
// most frequent topics, so that every example finds repositories in the
// catalogue shown (fixed examples found nothing in a catalogue without them).
import type { SearchEngine } from "../../search/types.ts";
import { withQuery } from "../urls.ts";

export interface ExampleSearch {
  label: string;
  href: string;
}

const examplesShown = 5;
/** A topic must be shared by a few repositories to be an example of anything. */
const minimumCount = 2;

export function exampleSearches(search: SearchEngine): ExampleSearch[] {
  const { facets } = search.search({ q: "", filters: {}, sort: "relevance", page: 1, perPage: 1 });
  const languages = new Set(facets.language.map((value) => value.value.toLowerCase()));
  const seen = new Set<string>();
  const examples: ExampleSearch[] = [];
  for (const topic of facets.topic) {
    if (examples.length === examplesShown) break;
    const label = topic.value.replace(/[-_]+/g, " ").trim();
    const key = label.toLowerCase();
    // A language is a filter of its own, and a near-duplicate ("open-data", "opendata") adds nothing.
    if (topic.count < minimumCount || label.length < 3 || label.length > 30 || languages.has(key) || seen.has(key.replace(/\s+/g, ""))) continue;
    seen.add(key.replace(/\s+/g, ""));
    examples.push({ label, href: withQuery("/repositories", { q: label }) });
  }
  return examples;
}

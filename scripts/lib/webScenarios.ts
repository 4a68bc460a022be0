// The uncached page scenarios of bench:web, shared with profile-web so that a
// profile is taken on the very requests the benchmark times.

/** 3,000 different search URLs: words × language × sort × page, in a shuffled but fixed order. */
export function distinctSearches(): string[] {
  const words = ["donnees", "carte", "api", "outil", "sante", "education", "forms", "open", "service", "simulateur", "transport", "energie", "archives", "research", "library", "dashboard", "python", "module", "public", "portail"];
  const languages = ["Python", "JavaScript", "TypeScript", "Java", "PHP", "R", "Go", "Shell", "C", "HTML"];
  const sorts = ["relevance", "stars", "activity"];
  const paths: string[] = [];
  for (const word of words) for (const language of languages) for (const sort of sorts) for (let page = 1; page <= 5; page++) {
    paths.push(`/repositories?q=${word}&language=${language}&sort=${sort}${page > 1 ? `&page=${page}` : ""}`);
  }
  // A fixed permutation (multiplying by a number prime to the length): neighbours differ in every part.
  return paths.map((_, i) => paths[(i * 1013) % paths.length]!);
}

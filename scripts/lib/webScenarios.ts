// The uncached page scenarios of bench:web, shared with profile-web so that a
// profile is taken on the very requests the benchmark times.

const searchWords = ["donnees", "carte", "api", "outil", "sante", "education", "forms", "open", "service", "simulateur", "transport", "energie", "archives", "research", "library", "dashboard", "python", "module", "public", "portail"];
/** Other words, for a warm-up that asks for none of the timed searches. */
const warmupWords = ["projet", "application", "gestion", "site", "web", "logiciel", "plateforme", "recherche", "analyse", "code", "interface", "client", "serveur", "formulaire", "collectivite", "territoire", "statistiques", "geographie", "agent", "ville"];

/** 3,000 different search URLs: words × language × sort × page, in a shuffled but fixed order. */
export function distinctSearches(words: readonly string[] = searchWords): string[] {
  const languages = ["Python", "JavaScript", "TypeScript", "Java", "PHP", "R", "Go", "Shell", "C", "HTML"];
  const sorts = ["relevance", "stars", "activity"];
  const paths: string[] = [];
  for (const word of words) for (const language of languages) for (const sort of sorts) for (let page = 1; page <= 5; page++) {
    paths.push(`/repositories?q=${word}&language=${language}&sort=${sort}${page > 1 ? `&page=${page}` : ""}`);
  }
  // A fixed permutation (multiplying by a number prime to the length): neighbours differ in every part.
  return paths.map((_, i) => paths[(i * 1013) % paths.length]!);
}

/** 3,000 search URLs made like distinctSearches() but of other words: none of them is one of those. */
export function warmupSearches(): string[] {
  return distinctSearches(warmupWords);
}

/** Words of neither list, for bench:web --cold: pages new to the server, and none the scenarios ask for. */
const coldWords = ["document", "donnee", "admin", "mobile", "base", "systeme", "catalogue", "referentiel", "export", "import", "reseau", "securite", "tableau", "calcul", "geo", "map", "test", "demo", "bot", "scripts"];

/** 3,000 search URLs made like distinctSearches() of coldWords. */
export function coldSearches(): string[] {
  return distinctSearches(coldWords);
}

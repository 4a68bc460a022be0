// Plausible, fictional public-sector forges for `npm run demo`: a GitHub with
// organisations and users, a self-hosted GitLab instance with nested groups,
// and a small Gitea of local authorities.
// Everything is generated from a seed, so every demo shows the same catalogue.
import { FakeGitea } from "../../test/fake-forge/fakeGitea.ts";
import { FakeGitHub } from "../../test/fake-forge/fakeGitHub.ts";
import { FakeGitLab } from "../../test/fake-forge/fakeGitLab.ts";
import { mulberry32 } from "../../test/fake-forge/random.ts";

// pso_ids of ministries, as listed in data/public-bodies.yml.
const ministries = {
  primeMinister: "a515667c-6dc0-4544-a1a8-2cf13d7da23b",
  education: "3ed2f725-e077-4973-a531-498e13fc7861",
  research: "4ca60afd-3886-434c-80bb-f6bc55581323",
  economy: "c4195774-f535-4d82-b03f-d5f0c6b08635",
  ecology: "05f90b6a-e3d9-4a41-a919-2e2f2d77e517",
  interior: "fa33b07a-3f71-46d4-b682-569c9faf211e",
  culture: "da1d6275-6710-485d-a249-282cac69dfe7",
  health: "163a8b8e-8ebc-4fb7-8ed4-44fbb78110db",
  labour: "f130ad96-4a81-4eb4-a40c-0539edad5fff",
};

interface DemoOwner {
  login: string;
  name: string;
  description: string;
  psoId: string;
  user?: boolean;
  repositories: number;
}

const githubOwners: DemoOwner[] = [
  { login: "demo-dinum", name: "Direction interministérielle du numérique (démo)", description: "Services numériques de l'État, données ouvertes et communs numériques", psoId: ministries.primeMinister, repositories: 140 },
  { login: "demo-incubateur", name: "Incubateur de services numériques (démo)", description: "Des startups d'État pour des services publics simples", psoId: ministries.primeMinister, repositories: 220 },
  { login: "demo-education", name: "Numérique éducatif (démo)", description: "Outils libres pour les écoles, collèges et lycées", psoId: ministries.education, repositories: 90 },
  { login: "demo-recherche", name: "Laboratoire public de recherche (démo)", description: "Logiciels scientifiques et chaînes de traitement de données", psoId: ministries.research, repositories: 120 },
  { login: "demo-finances", name: "Finances publiques (démo)", description: "Calculateurs, API fiscales et budgets ouverts", psoId: ministries.economy, repositories: 60 },
  { login: "demo-ecologie", name: "Transition écologique (démo)", description: "Données environnementales, énergie et mobilités", psoId: ministries.ecology, repositories: 110 },
  { login: "demo-interieur", name: "Administration territoriale (démo)", description: "Élections, état civil et sécurité civile", psoId: ministries.interior, repositories: 45 },
  { login: "demo-culture", name: "Patrimoine et culture (démo)", description: "Archives, bibliothèques et musées en ligne", psoId: ministries.culture, repositories: 70 },
  { login: "demo-sante", name: "Santé publique (démo)", description: "Données de santé, prévention et outils pour les soignants", psoId: ministries.health, repositories: 65 },
  { login: "demo-agent-public", name: "Une développeuse de l'administration (démo)", description: "Projets personnels d'une agente publique", psoId: ministries.labour, user: true, repositories: 12 },
];

const subjects = [
  ["signalement", "signalement de problèmes sur la voie publique", "reporting issues in public spaces"],
  ["adresse", "base adresse nationale et géocodage", "national address database and geocoding"],
  ["cadastre", "plan cadastral et parcelles", "land registry maps and parcels"],
  ["transport", "horaires et données de transport en commun", "public transport timetables and data"],
  ["subventions", "demandes de subventions aux associations", "grant applications for non-profits"],
  ["marches-publics", "marchés publics et achats de l'État", "public procurement"],
  ["etat-civil", "actes d'état civil dématérialisés", "digital civil registration records"],
  ["open-data", "publication de jeux de données ouverts", "open data publishing"],
  ["accessibilite", "audit d'accessibilité des sites publics", "accessibility audits of public websites"],
  ["cartographie", "cartes interactives et tuiles vectorielles", "interactive maps and vector tiles"],
  ["formulaires", "formulaires en ligne pour les usagers", "online forms for citizens"],
  ["agenda", "prise de rendez-vous en mairie", "town hall appointment booking"],
  ["bibliotheque", "catalogue de bibliothèques publiques", "public library catalogue"],
  ["dechets", "collecte et tri des déchets", "waste collection and sorting"],
  ["energie", "consommation d'énergie des bâtiments publics", "energy use of public buildings"],
  ["emploi", "offres d'emploi et accompagnement", "job offers and support"],
  ["sante", "indicateurs de santé publique", "public health indicators"],
  ["education", "ressources pédagogiques libres", "open educational resources"],
  ["budget", "visualisation du budget de l'État", "state budget visualisation"],
  ["identite", "connexion sécurisée des usagers", "secure citizen sign-in"],
] as const;

const kinds = [
  ["api", "API de", "API for"],
  ["front", "interface web de", "web front end for"],
  ["backend", "serveur de", "back end for"],
  ["cli", "outil en ligne de commande pour", "command-line tool for"],
  ["widget", "composant réutilisable pour", "reusable component for"],
  ["etl", "chaîne de traitement de données pour", "data pipeline for"],
  ["dashboard", "tableau de bord de", "dashboard for"],
  ["mobile", "application mobile de", "mobile app for"],
] as const;

const languages = ["Python", "JavaScript", "TypeScript", "Java", "PHP", "Go", "Ruby", "R", "Rust", "Vue", "HTML", "C", "Shell"];
const licences = ["MIT", "AGPL-3.0", "EUPL-1.2", "Apache-2.0", "LGPL-3.0", "GPL-3.0", "MPL-2.0", "BSD-3-Clause", "NOASSERTION", null];
const gitlabLicences = ["mit", "agpl-3.0", "eupl-1.2", "apache-2.0", "gpl-3.0", "lgpl-3.0", null];

function describe(next: () => number, index: number) {
  const subject = subjects[Math.floor(next() * subjects.length)] ?? subjects[0];
  const kind = kinds[Math.floor(next() * kinds.length)] ?? kinds[0];
  const english = next() < 0.3;
  return {
    name: `${subject[0]}-${kind[0]}${index % 7 === 0 ? `-${index}` : ""}`,
    description: english ? `${capitalise(kind[2])} ${subject[2]}` : `${capitalise(kind[1])} ${subject[1]}`,
    topics: [subject[0], kind[0], ...(next() < 0.3 ? ["service-public"] : [])],
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Heavy-tailed counts: most repositories have a few stars, a few have many. */
function popularity(next: () => number, scale: number): number {
  return Math.floor(scale * Math.pow(next(), 4));
}

function dateBetween(next: () => number, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 10, 1);
  return new Date(from + next() * (to - from)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface DemoForges {
  github: FakeGitHub;
  gitlab: FakeGitLab;
  gitea: FakeGitea;
  /** The sources file that points Code Commun at them. */
  sources: string;
  stop(): Promise<void>;
}

// ---- repository content for profiles (issue 9) ----

/** Root files of a demo repository: a README for most, a publiccode.yml for some, community files. */
function demoFiles(random: () => number, text: { name: string; description: string | null }): Record<string, string> {
  if (random() < 0.05) return {};
  const title = capitalise(text.name.replace(/-/g, " "));
  const files: Record<string, string> = { "src/": "" };
  if (random() < 0.85) {
    files["README.md"] = [
      `# ${title}`,
      "",
      text.description ?? "Un projet publié par un service public.",
      "",
      "## Installation",
      "",
      "```sh\ngit clone <adresse du dépôt>\nmake install\n```",
      "",
      "## Documentation",
      "",
      "Voir [le guide](docs/guide.md) et [la feuille de route](ROADMAP.md).",
      "",
      "![Capture d’écran](docs/capture.png)",
      "",
      "## Contribuer",
      "",
      "Les contributions sont les bienvenues : voir [CONTRIBUTING.md](CONTRIBUTING.md).",
    ].join("\n");
  }
  if (random() < 0.7) files.LICENSE = "Licence";
  if (random() < 0.3) files["CONTRIBUTING.md"] = "Contribuer";
  if (random() < 0.2) files["CHANGELOG.md"] = "## 1.0.0";
  if (random() < 0.15) {
    const valid = random() < 0.8;
    files["publiccode.yml"] = [
      ...(valid ? ['publiccodeYmlVersion: "0.4"'] : []),
      `name: ${title}`,
      "url: https://example.org/demo.git",
      "platforms: [web]",
      `categories: [${["data-collection", "document-management", "website-builder", "geographic-information-systems"][Math.floor(random() * 4)]}]`,
      `developmentStatus: ${["development", "beta", "stable"][Math.floor(random() * 3)]}`,
      "softwareType: standalone/web",
      "description:",
      "  fr:",
      `    shortDescription: ${JSON.stringify(text.description ?? title)}`,
      `    longDescription: ${JSON.stringify(`${text.description ?? title}. Un logiciel développé et maintenu par un service public, publié pour que d’autres administrations le réutilisent et y contribuent.`)}`,
      "    features: [Tableau de bord, Export des données]",
      "legal:",
      "  license: EUPL-1.2",
      "maintenance:",
      "  type: internal",
      "  contacts: [{ name: Équipe projet }]",
      "localisation:",
      "  localisationReady: true",
      "  availableLanguages: [fr]",
      "",
    ].join("\n");
  }
  return files;
}

export async function startDemoForges(seed = 2026): Promise<DemoForges> {
  const next = mulberry32(seed);
  // Their own sequence, so that the repositories are the same with their files or without.
  const content = mulberry32(seed + 1);
  const github = await new FakeGitHub({ rateLimit: { limit: 100_000, windowMs: 3_600_000 } }).start();
  for (const owner of githubOwners) {
    const fields = { name: owner.name, description: owner.description, blog: "https://www.numerique.gouv.fr", location: "Paris" };
    if (owner.user) github.addUser(owner.login, { ...fields, bio: owner.description });
    else github.addOrg(owner.login, { ...fields, verified: true });
    const names = new Set<string>();
    for (let i = 1; i <= owner.repositories; i++) {
      const text = describe(next, i);
      if (names.has(text.name)) continue;
      names.add(text.name);
      const created = dateBetween(next, 2014, 2024);
      const pushed = dateBetween(next, Number(created.slice(0, 4)), 2026);
      const repo = github.addRepo(owner.login, {
        ...text,
        language: languages[Math.floor(next() * languages.length)] ?? null,
        license: licences[Math.floor(next() * licences.length)] ?? null,
        stars: popularity(next, 800),
        forks: popularity(next, 300),
        openIssues: popularity(next, 80),
        archived: next() < 0.08,
        fork: next() < 0.05,
        homepage: next() < 0.3 ? `https://${text.name}.demo.code-commun.example` : null,
        createdAt: created,
        updatedAt: pushed,
        pushedAt: pushed,
      });
      github.setFiles(repo.id, demoFiles(content, text));
      if (content() < 0.3) github.setReleases(repo.id, [{ name: `Version 1.${i % 9}`, tag: `v1.${i % 9}.0`, date: pushed }]);
    }
  }

  const gitlab = await new FakeGitLab({ webOrigin: "https://forge.demo.code-commun.example" }).start();
  const groups = [
    ["collectivites", "Collectivités territoriales (démo)", ["ville-exemple", "metropole-exemple", "region-exemple"]],
    ["recherche", "Forge de la recherche publique (démo)", ["calcul-scientifique", "donnees-ouvertes"]],
    ["academies", "Académies (démo)", ["academie-nord", "academie-sud"]],
  ] as const;
  const namespaces: string[] = [];
  for (const [path, name, children] of groups) {
    gitlab.addGroup({ path, name, description: `${name} : projets publiés par les services` });
    namespaces.push(path);
    for (const child of children) {
      gitlab.addGroup({ path: child, name: capitalise(child.replace(/-/g, " ")), parent: path, description: `Sous-groupe ${child}` });
      namespaces.push(`${path}/${child}`);
    }
  }
  for (let i = 1; i <= 260; i++) {
    const text = describe(next, i);
    const main = languages[Math.floor(next() * languages.length)] ?? "Python";
    const project = gitlab.addProject({
      namespace: namespaces[Math.floor(next() * namespaces.length)] ?? "collectivites",
      path: `${text.name}-${i}`,
      name: text.name,
      description: text.description,
      topics: text.topics,
      stars: popularity(next, 200),
      forks: popularity(next, 40),
      openIssues: popularity(next, 30),
      archived: next() < 0.08,
      licenseKey: gitlabLicences[Math.floor(next() * gitlabLicences.length)] ?? null,
      languages: { [main]: 80, Shell: 20 },
    });
    gitlab.setFiles(project.id, demoFiles(content, text));
    if (content() < 0.3) gitlab.setTags(project.id, [{ name: `v2.${i % 7}.0`, tag: `v2.${i % 7}.0`, date: "2025-03-01T10:00:00Z" }]);
  }

  // A small Gitea of local authorities: two organisations and a user, with licences as Gitea 1.22+ reports them.
  const gitea = await new FakeGitea({ webUrl: "https://git.demo-territoires.example" }).start();
  const giteaOwners = [
    ["mairie-exemple", "Mairie d'Exemple (démo)", 24],
    ["departement-exemple", "Département d'Exemple (démo)", 18],
  ] as const;
  const giteaLicences = [["EUPL-1.2"], ["AGPL-3.0-only"], ["MIT"], ["CECILL-2.1"], [], ["MIT", "Apache-2.0"]];
  for (const [login, name, count] of giteaOwners) {
    gitea.addOrg(login, { fullName: name, description: `${name} : logiciels libres des services`, website: "https://www.collectivites-locales.gouv.fr" });
    for (let i = 1; i <= count; i++) {
      const text = describe(next, i);
      const updated = dateBetween(next, 2019, 2026);
      const repo = gitea.addRepo(login, {
        name: `${text.name}-${i}`,
        description: text.description,
        topics: text.topics,
        language: languages[Math.floor(next() * languages.length)] ?? "Python",
        licenses: giteaLicences[Math.floor(next() * giteaLicences.length)] ?? [],
        stars: popularity(next, 60),
        forks: popularity(next, 15),
        openIssues: popularity(next, 10),
        archived: next() < 0.08,
        mirror: next() < 0.1,
        createdAt: dateBetween(next, 2017, 2019),
        updatedAt: updated,
      });
      // Profiles (issue 9): root files, and for some a tag with its release.
      gitea.setFiles(repo.id, demoFiles(content, text));
      if (content() < 0.3) {
        const tag = { name: `Version 3.${i % 5}`, tag: `v3.${i % 5}.0`, date: updated };
        gitea.setTags(repo.id, [{ ...tag, name: tag.tag }]);
        gitea.setReleases(repo.id, [tag]);
      }
    }
  }
  gitea.addUser("agent-territorial", { fullName: "Un agent territorial (démo)" });
  gitea.addRepos("agent-territorial", 4);

  // Reuse across public bodies (issue 10), so that the reuse sections, the
  // outside-software and shared-projects pages and the statistics have
  // something to show: a design system and a Python library published by two
  // bodies, used by others on the three forges; forks across bodies.
  // Added after the rest, so the repositories above stay the same.
  const pushedRecently = "2026-10-01T09:00:00Z";
  const uiKit = github.addRepo("demo-dinum", {
    name: "kit-interface", description: "Système de design partagé des services publics numériques (démo)", topics: ["design-system", "accessibilite"],
    language: "TypeScript", license: "MIT", stars: 640, forks: 90, createdAt: "2019-04-02T10:00:00Z", updatedAt: pushedRecently, pushedAt: pushedRecently,
  });
  github.setFiles(uiKit.id, {
    "README.md": "# Kit d'interface\n\nLes composants accessibles des services publics numériques.\n",
    "package.json": JSON.stringify({ name: "@demo-etat/kit-interface", version: "4.2.0", dependencies: { react: "^18.3.0" }, devDependencies: { typescript: "^5.6.0" } }, null, 2),
    "CONTRIBUTING.md": "# Contribuer\n",
    "publiccode.yml": ['publiccodeYmlVersion: "0.4"', "name: Kit d'interface", "url: https://github.com/demo-dinum/kit-interface", "platforms: [web]", "categories: [website-builder]", "developmentStatus: stable", "softwareType: library",
      "usedBy: [Ville d'Exemple, Métropole d'Exemple]", "description:", "  fr:", "    shortDescription: Système de design partagé des services publics", "    longDescription: Les composants accessibles et documentés que les services publics numériques utilisent pour leurs interfaces, publiés pour que chaque administration les réutilise au lieu de les refaire.", "    features: [Composants accessibles]",
      "legal:", "  license: MIT", "maintenance:", "  type: internal", "  contacts: [{ name: Équipe du kit }]", "localisation:", "  localisationReady: true", "  availableLanguages: [fr]", ""].join("\n"),
  });
  const geoLib = github.addRepo("demo-recherche", {
    name: "geotraitements", description: "Bibliothèque Python de traitements géographiques (démo)", topics: ["sig", "python"],
    language: "Python", license: "CECILL-2.1", stars: 210, forks: 30, createdAt: "2018-01-10T10:00:00Z", updatedAt: pushedRecently, pushedAt: pushedRecently,
  });
  github.setFiles(geoLib.id, {
    "README.md": "# Géotraitements\n\nProjections, découpages et agrégations de données géographiques.\n",
    "pyproject.toml": '[project]\nname = "geotraitements"\nversion = "2.1.0"\ndependencies = ["shapely>=2", "pyproj>=3.6", "pandas>=2"]\n',
  });
  const appManifest = (name: string, python: boolean): Record<string, string> =>
    python
      ? { "README.md": `# ${name}\n`, "requirements.txt": "geotraitements>=2\nDjango>=4.2,<5\npsycopg[binary]>=3.1\n" }
      : { "README.md": `# ${name}\n`, "package.json": JSON.stringify({ name, private: true, dependencies: { "@demo-etat/kit-interface": "^4.0.0", react: "^18.3.0", "react-dom": "^18.3.0", vite: "^5.4.0" } }, null, 2) };
  const apps: Array<[string, string, boolean]> = [
    ["demo-incubateur", "demarches-en-ligne", false], ["demo-education", "espace-parents", false], ["demo-finances", "simulateur-impots-locaux", false],
    ["demo-sante", "annuaire-soignants", false], ["demo-ecologie", "carte-qualite-air", true], ["demo-culture", "inventaire-patrimoine", true],
  ];
  for (const [owner, name, python] of apps) {
    const app = github.addRepo(owner, { name, description: `Service numérique ${name.replace(/-/g, " ")} (démo)`, language: python ? "Python" : "TypeScript", license: "EUPL-1.2", stars: 25, forks: 4, updatedAt: pushedRecently, pushedAt: pushedRecently });
    github.setFiles(app.id, appManifest(name, python));
  }
  // Forks by other bodies (reuse), and one by the same owner (not reuse).
  github.addRepo("demo-education", { name: "kit-interface", description: "Kit d'interface adapté aux écoles (démo)", language: "TypeScript", license: "MIT", fork: true, parent: { id: uiKit.id }, updatedAt: pushedRecently, pushedAt: pushedRecently });
  github.addRepo("demo-interieur", { name: "geotraitements", description: "Géotraitements pour les préfectures (démo)", language: "Python", license: "CECILL-2.1", fork: true, parent: { id: geoLib.id }, updatedAt: pushedRecently, pushedAt: pushedRecently });
  github.addRepo("demo-dinum", { name: "kit-interface-archive", description: "Ancienne branche du kit (démo)", language: "TypeScript", license: "MIT", fork: true, parent: { id: uiKit.id }, archived: true });
  const territorial = gitlab.addProject({ namespace: "collectivites/ville-exemple", path: "portail-citoyen", name: "portail-citoyen", description: "Portail citoyen de la ville (démo)", topics: ["portail"], stars: 12, forks: 2, licenseKey: "eupl-1.2", languages: { TypeScript: 90, CSS: 10 } });
  gitlab.setFiles(territorial.id, appManifest("portail-citoyen", false));
  const research = gitlab.addProject({ namespace: "recherche/donnees-ouvertes", path: "indicateurs-territoriaux", name: "indicateurs-territoriaux", description: "Indicateurs territoriaux (démo)", topics: ["sig"], stars: 8, forks: 1, licenseKey: "mit", languages: { Python: 100 } });
  gitlab.setFiles(research.id, appManifest("indicateurs-territoriaux", true));
  const mairieApp = gitea.addRepo("mairie-exemple", { name: "prise-de-rendez-vous", description: "Prise de rendez-vous en mairie (démo)", language: "TypeScript", licenses: ["EUPL-1.2"], stars: 5, updatedAt: pushedRecently });
  gitea.setFiles(mairieApp.id, appManifest("prise-de-rendez-vous", false));
  const mairieFork = gitea.addRepo("departement-exemple", { name: "prise-de-rendez-vous", description: "Prise de rendez-vous du département (démo)", language: "TypeScript", licenses: ["EUPL-1.2"], parentId: mairieApp.id, updatedAt: pushedRecently });
  gitea.setFiles(mairieFork.id, appManifest("prise-de-rendez-vous", false));

  const sources = [
    "# Generated by npm run demo: fictional forges served on 127.0.0.1.",
    "github.com:",
    "  forge: github",
    `  api: ${github.url}`,
    "  owners:",
    ...githubOwners.flatMap((owner) => [`    ${owner.login}:`, `      pso_id: ${owner.psoId}`]),
    // Each top-level group with its own body (issue 14): a pso_id on the whole
    // instance made the local authorities' groups part of the research ministry.
    // The local authorities are fictional: no pso_id, listed as "no body identified".
    "forge.demo.code-commun.example:",
    "  forge: gitlab",
    `  api: ${gitlab.url}`,
    "  owners:",
    "    collectivites:",
    "    recherche:",
    `      pso_id: ${ministries.research}`,
    "    academies:",
    `      pso_id: ${ministries.education}`,
    "git.demo-territoires.example:",
    "  forge: gitea",
    `  api: ${gitea.url}/api/v1`,
    "  owners:",
    ...giteaOwners.map(([login]) => `    ${login}:`),
    "    agent-territorial:",
    "forge.old.code-commun.example:",
    "  forge: sourcehut",
    "  owners:",
    "    a-sourcehut-account:",
    "",
  ].join("\n");

  github.unref();
  gitlab.unref();
  gitea.unref();
  return {
    github,
    gitlab,
    gitea,
    sources,
    stop: async () => {
      await Promise.all([github.stop(), gitlab.stop(), gitea.stop()]);
    },
  };
}

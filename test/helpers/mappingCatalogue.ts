// A catalogue about maps, with a popular repository sharing only a generic
// topic: what the similar repositories (issue 14, ranked by text) are tested
// on, on the repository page and through the API.
import type { Db } from "../../src/store/database.ts";
import { seedOwner } from "./catalogueFixture.ts";

export function seedMappingCatalogue(db: Db): void {
  seedOwner(db, {
    host: "github.com",
    login: "carto-ville",
    owner: { name: "Service cartographie de la ville", email: "sig@ville.example.fr", website: "https://carto.ville.example.fr" },
    repositories: [
      { name: "carte-interactive", description: "Carte interactive des équipements publics de la ville", topics: ["cartographie", "leaflet", "outil"], license: "MIT", openIssues: 7 },
      { name: "fonds-de-carte", description: "Fonds de carte vectoriels pour la cartographie des quartiers", topics: ["cartographie", "vectoriel"], license: "GPL-3.0-or-later", stars: 2 },
      { name: "sans-licence", description: "Un outil sans licence", topics: ["outil"], license: null },
    ],
  });
  seedOwner(db, {
    host: "gitlab.com",
    login: "autre",
    owner: { email: "not an e-mail", website: "javascript:alert(1)" },
    repositories: [
      { name: "geo-carte", description: "Afficher une carte et ses couches géographiques", topics: ["cartographie"], license: "EUPL-1.2", stars: 1 },
      // Popular, sharing only a generic topic: the old "any shared topic, by stars" put it first.
      { name: "outil-populaire", description: "Un gestionnaire de tâches très suivi", topics: ["outil"], license: "Apache-2.0", stars: 5000 },
      { name: "carte-archivee", description: "Ancienne carte interactive", topics: ["cartographie"], archived: true },
      // "outil" is a generic topic, as in the real catalogue.
      ...["agenda", "budget", "courrier", "formulaires", "annuaire"].map((name) => ({ name, description: `Gestion ${name}`, topics: ["outil"], stars: 300 })),
    ],
  });
}

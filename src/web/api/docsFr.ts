// The API reference in French (issue 14). The OpenAPI document stays in
// English (programs read it); the page at /api renders it in the reader's
// language through this table, keyed by the English text itself: a text that
// changes in openapi.ts without its translation here shows in English, marked
// lang="en", and test/web/apiDocs.test.ts names it.
import { exportRecordFields } from "../../records/exportRecord.ts";
import { defaultFacetLimit, defaultPerPage, maxPerPage, maxResultsDepth } from "../../search/parseQuery.ts";
import { facetValueLimit } from "../../search/searchIndex.ts";
import { maxPubliccodeBytes as publiccodeMaxBytes } from "../../publiccode/validate.ts";

const several = "Plusieurs valeurs : répétez le paramètre ou séparez-les par des virgules ; un dépôt correspond s’il a l’une d’elles. Sans distinction de casse.";
const severalEn = "Several values: repeat the parameter or separate them with commas; a repository matches any of them. Case-insensitive.";

export const apiDocsFrench: Readonly<Record<string, string>> = {
  "Every live repository harvested from the forge accounts of public bodies, with French and English full-text search, filters and facets, owners, statistics and bulk exports.":
    "Chaque dépôt vivant collecté sur les comptes de forge des organismes publics, avec la recherche plein texte en français et en anglais, les filtres et facettes, les comptes, les statistiques et les exports complets.",
  "Conventions:": "Conventions :",
  "Read-only (but POST /publiccode/validate, which stores nothing), no authentication. CORS is open (Access-Control-Allow-Origin: *).":
    "Lecture seule (sauf POST /publiccode/validate, qui n’enregistre rien), sans authentification. CORS ouvert (Access-Control-Allow-Origin: *).",
  "Responses carry a weak ETag and Cache-Control; send If-None-Match to get 304 Not Modified. The data changes after each harvest.":
    "Les réponses portent un ETag faible et Cache-Control ; envoyez If-None-Match pour recevoir 304 Not Modified. Les données changent après chaque collecte.",
  'Errors are JSON: {"error": "<human message>", "reason": "<stable code>"}, with reason invalid_parameter (400), unknown_parameter (400: a parameter the route does not read; the error also lists "parameters", "accepted" and a "suggestion"), unknown_owner and ambiguous_owner (400: an owner filter given as a login alone, see the owner parameter), not_found (404), method_not_allowed (405), headers_too_large (431: an address or headers too long); POST /publiccode/validate adds empty_body (400), payload_too_large (413) and unsupported_media_type (415); internal_error (500). Every route refuses parameters it does not read.':
    'Les erreurs sont en JSON : {"error": "<message lisible>", "reason": "<code stable>"}, avec pour reason invalid_parameter (400), unknown_parameter (400 : un paramètre que la route ne lit pas ; l’erreur donne aussi "parameters", "accepted" et une "suggestion"), unknown_owner et ambiguous_owner (400 : un filtre owner donné par son seul identifiant, voir le paramètre owner), not_found (404), method_not_allowed (405), headers_too_large (431 : adresse ou en-têtes trop longs) ; POST /publiccode/validate y ajoute empty_body (400), payload_too_large (413) et unsupported_media_type (415) ; internal_error (500). Chaque route refuse les paramètres qu’elle ne lit pas.',
  "Repositories are always given in the public record shape (schema Repository), the same as the exports. Removed repositories are never listed.":
    "Les dépôts sont toujours donnés dans la forme de l’enregistrement public (schéma Repository), la même que celle des exports. Les dépôts retirés ne sont jamais listés.",
  [`Lists are paginated with page (1-based) and per_page (1 to ${maxPerPage}, default ${defaultPerPage}); page × per_page may not exceed ${maxResultsDepth}: use the exports for everything.`]:
    `Les listes sont paginées par page (à partir de 1) et per_page (de 1 à ${maxPerPage}, ${defaultPerPage} par défaut) ; page × per_page ne peut dépasser ${maxResultsDepth} : utilisez les exports pour tout obtenir.`,
  "Ranking (sort=relevance):": "Classement (sort=relevance) :",
  // Issue 13: facet_limit.
  [`Values listed per facet, most frequent first, 1 to ${facetValueLimit} (the values the request filters on are listed besides).`]:
    `Valeurs données par facette, les plus fréquentes d’abord, de 1 à ${facetValueLimit} (les valeurs filtrées par la requête sont données en plus).`,
  "relevance = text × exact × reuse": "pertinence = texte × exact × réutilisation",
  "text = the lunr score of the query words over every field (BM25 per field, k1 = 1.2, b = 0.75, times the field's boost: name 4, topics 2, owner 1.5, public body 1, description 1, language 1, summed over fields), divided by the best score among the matches: between 0 and 1. A q without one searchable word matches nothing (see unsearchable_query).":
    "texte = le score lunr des mots de la requête sur chaque champ (BM25 par champ, k1 = 1,2, b = 0,75, multiplié par le poids du champ : nom 4, sujets 2, compte 1,5, organisme public 1, description 1, langage 1, sommé sur les champs), divisé par le meilleur score parmi les résultats : entre 0 et 1. Un q sans aucun mot cherchable ne trouve rien (voir unsearchable_query).",
  'exact = 2 when q is the repository\'s name, ignoring case, accents and separators ("udata" for udata, "Udata Front" for udata-front), else 1.':
    "exact = 2 quand q est le nom du dépôt, sans tenir compte de la casse, des accents ni des séparateurs (« udata » pour udata, « Udata Front » pour udata-front), 1 sinon.",
  // --- issue 10: the reuse factor of the ranking, the reuse score, the reuse routes ---
  "reuse = (1 + 1.2 × reuse_score / 100) × 0.5 if archived × 0.6 if a fork, reuse_score being the repository's reuse score (below).":
    "réutilisation = (1 + 1,2 × reuse_score / 100) × 0,5 si archivé × 0,6 si c’est une bifurcation, reuse_score étant le score de réutilisation du dépôt (ci-dessous).",
  "Reuse lies between 0.3 (an archived fork scoring 0) and 2.2 (a score of 100), so a repository matching by its name keeps ahead of a popular one that mentions the word once in its description. Ties are broken by name.":
    "La réutilisation va de 0,3 (une bifurcation archivée de score 0) à 2,2 (un score de 100) : un dépôt trouvé par son nom reste devant un dépôt populaire qui cite le mot une fois dans sa description. Les ex æquo sont départagés par le nom.",
  "Reuse score:": "Score de réutilisation :",
  "reuse_score = the sum of eight criteria's points, 0 to 100; each criterion's points = weight × a fraction between 0 and 1, rounded to one decimal. GET /repositories/{id} gives each criterion's value, weight and points (reuse.criteria).":
    "reuse_score = la somme des points de huit critères, de 0 à 100 ; les points d’un critère = poids × une fraction entre 0 et 1, arrondis au dixième. GET /repositories/{id} donne la valeur, le poids et les points de chaque critère (reuse.criteria).",
  "reused_by (weight 35): r / (r + 2), r = distinct other public bodies (or owners without a known body) that fork the repository, depend on a package it publishes or declare being based on it (publiccode.yml isBasedOn): 1 body gives 1/3, 2 give 1/2, 8 give 4/5.":
    "reused_by (poids 35) : r / (r + 2), r = le nombre d’autres organismes publics (ou de comptes sans organisme connu) qui bifurquent le dépôt, dépendent d’un paquet qu’il publie ou déclarent s’en inspirer (isBasedOn de publiccode.yml) : 1 organisme donne 1/3, 2 donnent 1/2, 8 donnent 4/5.",
  "declared_users (weight 10): u / (u + 2), u = names in its publiccode.yml usedBy.": "declared_users (poids 10) : u / (u + 2), u = les noms de usedBy dans son publiccode.yml.",
  "stars (weight 15): min(1, log10(1 + stars) / 3): 1,000 stars or more give 1.": "stars (poids 15) : min(1, log10(1 + étoiles) / 3) : 1 000 étoiles ou plus donnent 1.",
  "recent_activity (weight 15): 0.5 ^ (days since the last push, or update, / 365): 1/2 a year after; 0 when unknown.":
    "recent_activity (poids 15) : 0,5 ^ (jours depuis le dernier envoi, ou la dernière mise à jour, / 365) : 1/2 un an après ; 0 si inconnu.",
  'licence (weight 10): 1 when the licence is known (an SPDX id, not "other").': "licence (poids 10) : 1 quand la licence est connue (un identifiant SPDX, pas « other »).",
  "readme (weight 5), contributing (weight 5): 1 when the file is at the root of the default branch.": "readme (poids 5), contributing (poids 5) : 1 quand le fichier est à la racine de la branche par défaut.",
  "publiccode (weight 5): 1 for a valid publiccode.yml, 0.4 for an invalid one.": "publiccode (poids 5) : 1 pour un publiccode.yml valide, 0,4 pour un invalide.",
  "Values not harvested yet (files not read) are null and earn nothing. The score is computed when the reuse graph is rebuilt, after each harvest; reused_by_count = r + u.":
    "Les valeurs pas encore collectées (fichiers non lus) valent null et ne rapportent rien. Le score est calculé à la reconstruction du graphe de réutilisation, après chaque collecte ; reused_by_count = r + u.",
  "true: repositories reused by at least one other public body (reused_by_count above 0: forked, depended on or declared as a base by another body or owner, or users declared in publiccode.yml); false: the others.":
    "true : les dépôts réutilisés par au moins un autre organisme public (reused_by_count supérieur à 0 : bifurqués, utilisés comme dépendance ou déclarés comme base par un autre organisme ou compte, ou des utilisateurs déclarés dans publiccode.yml) ; false : les autres.",
  "Catalogue repositories that depend on this one (a package it publishes) or declare being based on it": "Les dépôts du catalogue qui dépendent de celui-ci (d’un paquet qu’il publie) ou déclarent s’en inspirer",
  "Catalogue repositories this one depends on or declares being based on": "Les dépôts du catalogue dont celui-ci dépend ou dont il déclare s’inspirer",
  // Issue 13: the similar repositories.
  "The repositories most like this one, as its catalogue page lists them": "Les dépôts les plus proches de celui-ci, tels que sa page du catalogue les montre",
  "Up to 6, not archived, ranked by text similarity to its name, description and topics (the search's ranking), each with why: the topics both have (shared_topics) and the words of its name or description that this one also has (shared_words), at most 4 in all.":
    "Jusqu’à 6, non archivés, classés par proximité de texte avec son nom, sa description et ses sujets (le classement de la recherche), chacun avec sa raison : les sujets qu’ils ont en commun (shared_topics) et les mots de son nom ou de sa description que celui-ci a aussi (shared_words), 4 au plus en tout.",
  "The similar repositories, best first": "Les dépôts proches, le plus proche d’abord",
  "A parameter was given: reason unknown_parameter": "Un paramètre a été donné : reason unknown_parameter",
  "The id asked about": "L’identifiant demandé",
  "Catalogue repositories that fork this one": "Les dépôts du catalogue qui bifurquent celui-ci",
  "A page of reuse links": "Une page de liens de réutilisation",
  "Paginated; reuse by other public bodies first, then by id. A repository that is live but not yet in the reuse graph has none.":
    "Paginé ; la réutilisation par d’autres organismes publics d’abord, puis par identifiant. Un dépôt vivant qui n’est pas encore dans le graphe de réutilisation n’en a aucun.",
  "Which catalogue repositories use a package, and which publishes it": "Quels dépôts du catalogue utilisent un paquet, et lequel le publie",
  "The package is named as in its manifests; the name is compared as its registry does (PyPI and Composer without case, Cargo with - for _...). publishers: the catalogue repositories (not forks) whose manifests declare it; several make it ambiguous, and its dependents are then linked to none. dependents: every catalogue repository whose manifests need it, paginated, by id.":
    "Le paquet est nommé comme dans ses manifestes ; le nom est comparé comme le fait son registre (PyPI et Composer sans la casse, Cargo avec - pour _…). publishers : les dépôts du catalogue (hors bifurcations) dont les manifestes le déclarent ; s’il y en a plusieurs, il est ambigu et ses dépendants ne sont reliés à aucun. dependents : chaque dépôt du catalogue dont les manifestes en ont besoin, paginé, par identifiant.",
  "The package name, as the registry accepts it: 400 invalid_parameter otherwise": "Le nom du paquet, tel que le registre l’accepte : 400 invalid_parameter sinon",
  "The package's publishers and dependents": "Les dépôts qui publient le paquet et ceux qui en dépendent",
  "No or an unknown ecosystem, no or an invalid name: reason invalid_parameter": "Écosystème absent ou inconnu, nom absent ou invalide : reason invalid_parameter",
  "The reuse score, 0 to 100 (see the formula); null until the reuse graph includes the repository": "Le score de réutilisation, de 0 à 100 (voir la formule) ; null tant que le graphe de réutilisation n’inclut pas le dépôt",
  "Distinct other public bodies (or owners without one) that fork it, depend on it or declare being based on it, plus the users its publiccode.yml declares; null likewise":
    "Le nombre d’autres organismes publics (ou de comptes sans organisme) qui le bifurquent, en dépendent ou déclarent s’en inspirer, plus les utilisateurs que déclare son publiccode.yml ; null de même",
  "Who reuses the repository and what it builds on, with its reuse score; null until the reuse graph includes it": "Qui réutilise le dépôt et sur quoi il s’appuie, avec son score de réutilisation ; null tant que le graphe de réutilisation ne l’inclut pas",
  "The name as the registry compares it": "Le nom tel que le registre le compare",
  "Catalogue repositories declaring it; several: ambiguous": "Les dépôts du catalogue qui le déclarent ; plusieurs : ambigu",
  // --- end issue 10 ---
  "Search repositories, with filters and facets": "Rechercher des dépôts, avec filtres et facettes",
  'Free text, in French or English. Words are matched whatever their accents ("equipement" finds "équipement"), case and inflection (French and English stemming: "données" finds "donnée", "libraries" finds "library"); stop words ("le", "des", "the") are ignored. Names are also split on "-", "_", "." and camelCase ("front" finds "udata-front", "gouv" finds "dataGouv"). A repository must contain every word, in any of its name, description, topics, owner (login and name), public body (id and name) and language; when none contains them all, those containing some are returned, ranked by how well they match. No query syntax: "*", "+", "-", "~", ":", "^" and quotes are plain separators, so any input is a valid search. Only the first 32 words count. Empty: every live repository. Text without one searchable word (only emoji, a script the index does not cover, only stop words) searches nothing: no results, and the response says unsearchable_query: true.':
    "Texte libre, en français ou en anglais. Les mots sont trouvés quels que soient leurs accents (« equipement » trouve « équipement »), leur casse et leur flexion (racinisation française et anglaise : « données » trouve « donnée », « libraries » trouve « library ») ; les mots vides (« le », « des », « the ») sont ignorés. Les noms sont aussi découpés sur « - », « _ », « . » et les majuscules internes (« front » trouve « udata-front », « gouv » trouve « dataGouv »). Un dépôt doit contenir chaque mot, dans son nom, sa description, ses sujets, son compte (identifiant et nom), son organisme public (identifiant et nom) ou son langage ; quand aucun ne les contient tous, ceux qui en contiennent une partie sont donnés, classés selon leur correspondance. Pas de syntaxe de requête : « * », « + », « - », « ~ », « : », « ^ » et les guillemets sont de simples séparateurs, toute saisie est donc une recherche valide. Seuls les 32 premiers mots comptent. Vide : tous les dépôts vivants. Un texte sans aucun mot cherchable (seulement des émojis, une écriture que l’index ne couvre pas, seulement des mots vides) ne cherche rien : aucun résultat, et la réponse indique unsearchable_query: true.",
  [`Counts of repositories per value of each filter, over the current result set, with one rule: a facet ignores its own filter. With language=Python, the "language" facet still counts Java, Go... among the repositories matching q and the other filters, so that a client can show what choosing another value would give; every other facet counts Python repositories only. active_since narrows every facet. Each facet lists its facet_limit most frequent values (by count, then by first appearance; ${defaultFacetLimit} unless facet_limit asks for up to ${facetValueLimit}), plus any value the request filters on, even with a count of 0. Boolean facets have the values "true" and "false".`]:
    `Nombre de dépôts par valeur de chaque filtre, sur les résultats de la requête, avec une règle : une facette ignore son propre filtre. Avec language=Python, la facette « language » compte encore Java, Go… parmi les dépôts qui répondent à q et aux autres filtres, pour qu’un client montre ce que donnerait une autre valeur ; toutes les autres facettes ne comptent que les dépôts Python. active_since restreint toutes les facettes. Chaque facette donne ses facet_limit valeurs les plus fréquentes (par nombre, puis par ordre d’apparition ; ${defaultFacetLimit} sauf si facet_limit en demande jusqu’à ${facetValueLimit}), plus toute valeur filtrée par la requête, même à 0. Les facettes booléennes ont les valeurs « true » et « false ».`,
  [`Main language. ${severalEn}`]: `Langage principal. ${several}`,
  [`SPDX licence id, or "other". ${severalEn}`]: `Identifiant SPDX de la licence, ou « other ». ${several}`,
  [`Forge host. ${severalEn}`]: `Hôte de la forge. ${several}`,
  [`Owner id, <host>/<login>. A login alone (etalab) is completed with its host when one host has it; else 400 unknown_owner, or ambiguous_owner listing the hosts that have it. ${severalEn}`]:
    `Identifiant du compte, <hôte>/<identifiant>. Un identifiant seul (etalab) est complété par son hôte quand un seul hôte l’a ; sinon 400 unknown_owner, ou ambiguous_owner avec la liste des hôtes qui l’ont. ${several}`,
  [`Public body: the pso_id of the owner. ${severalEn}`]: `Organisme public : le pso_id du compte. ${several}`,
  [`Topic. ${severalEn}`]: `Sujet. ${several}`,
  "true: archived repositories only; false: not archived.": "true : seulement les dépôts archivés ; false : sans les archivés.",
  "true: forks only; false: no forks.": "true : seulement les bifurcations ; false : sans les bifurcations.",
  'true: repositories with a licence (including "other"); false: without.': "true : les dépôts avec une licence (y compris « other ») ; false : sans licence.",
  "Pushed (or updated, when the forge gives no push date) on or after this date, YYYY-MM-DD (UTC) or an ISO date-time.":
    "Envoi (ou mise à jour, quand la forge ne donne pas de date d’envoi) à cette date ou après, AAAA-MM-JJ (UTC) ou une date-heure ISO.",
  "relevance (default; see the ranking formula), stars, forks (most first), activity (latest push first), name (alphabetical), reuse (highest reuse score first). Ties: by name.":
    "relevance (par défaut ; voir la formule de classement), stars, forks (les plus nombreux d’abord), activity (dernier envoi d’abord), name (alphabétique), reuse (meilleur score de réutilisation d’abord). Ex æquo : par nom.",
  "1-based": "à partir de 1",
  "A page of results with the facets": "Une page de résultats avec les facettes",
  "Not modified (If-None-Match matched the ETag)": "Non modifié (If-None-Match correspond à l’ETag)",
  "A parameter is invalid (q never is), unknown, or an owner login is unknown or ambiguous: reason invalid_parameter, unknown_parameter, unknown_owner or ambiguous_owner":
    "Un paramètre est invalide (q ne l’est jamais), inconnu, ou un identifiant de compte est inconnu ou ambigu : reason invalid_parameter, unknown_parameter, unknown_owner ou ambiguous_owner",
  "One live repository": "Un dépôt vivant",
  'The id is "<host>/<full_name>" and contains slashes, written as they are: /api/v1/repositories/github.com/etalab/udata, /api/v1/repositories/gitlab.com/group/subgroup/project. Case-insensitive, as forges are.':
    "L’identifiant est « <hôte>/<nom complet> » et contient des barres obliques, écrites telles quelles : /api/v1/repositories/github.com/etalab/udata, /api/v1/repositories/gitlab.com/groupe/sous-groupe/projet. Sans distinction de casse, comme les forges.",
  "<host>/<full_name>, slashes included": "<hôte>/<nom complet>, barres obliques comprises",
  "Not modified": "Non modifié",
  "No live repository has this id: reason not_found": "Aucun dépôt vivant n’a cet identifiant : reason not_found",
  "The live repositories a search selects (all without parameters), as one JSON array": "Les dépôts vivants qu’une recherche sélectionne (tous sans paramètre), en un tableau JSON",
  "Streamed (memory stays flat whatever the catalogue's size). Without parameters: every live repository, ordered by host then full name. With q, filters or sort: exactly the repositories of that search, in its order, all pages at once. Each record is a Repository plus public_body (the pso_id) and public_body_name. The ETag changes when the catalogue changes.":
    "Envoyé en flux (la mémoire reste constante quelle que soit la taille du catalogue). Sans paramètre : tous les dépôts vivants, par hôte puis nom complet. Avec q, des filtres ou un tri : exactement les dépôts de cette recherche, dans son ordre, toutes les pages d’un coup. Chaque enregistrement est un Repository plus public_body (le pso_id) et public_body_name. L’ETag change quand le catalogue change.",
  "A JSON array of ExportRecord": "Un tableau JSON d’ExportRecord",
  "A parameter is invalid or unknown": "Un paramètre est invalide ou inconnu",
  "The live repositories a search selects (all without parameters), as CSV": "Les dépôts vivants qu’une recherche sélectionne (tous sans paramètre), en CSV",
  [`RFC 4180, UTF-8 with a byte-order mark (so that Excel reads the accents; bom=false leaves it out), a header row with these columns: ${exportRecordFields.join(", ")}. Separated by commas, or by semicolons with sep=semicolon (for French spreadsheets). Topics are joined by commas; a value starting with =, +, -, @, a tab or a carriage return is prefixed with ' so that spreadsheets do not run it. Same selection as the JSON export.`]:
    `RFC 4180, UTF-8 avec indicateur d’ordre des octets (pour qu’Excel lise les accents ; bom=false l’omet), une ligne d’en-tête avec ces colonnes : ${exportRecordFields.join(", ")}. Séparé par des virgules, ou par des points-virgules avec sep=semicolon (pour les tableurs en français). Les sujets sont joints par des virgules ; une valeur commençant par =, +, -, @, une tabulation ou un retour chariot est précédée de ' pour que les tableurs ne l’exécutent pas. Même sélection que l’export JSON.`,
  "comma (default) or semicolon": "comma (virgule, par défaut) ou semicolon (point-virgule)",
  "false: no UTF-8 byte-order mark": "false : sans indicateur d’ordre des octets UTF-8",
  CSV: "CSV",
  // --- issue 12: JSON Lines and code.json exports ---
  "Every live repository, as JSON Lines": "Tous les dépôts vivants, en JSON Lines",
  "One Repository per line (https://jsonlines.org), streamed, ordered by host then full name: read it line by line in a data pipeline. The ETag changes when the catalogue changes.":
    "Un Repository par ligne (https://jsonlines.org), envoyé en flux, par hôte puis nom complet : à lire ligne à ligne dans une chaîne de traitement de données. L’ETag change quand le catalogue change.",
  "JSON Lines: one Repository a line": "JSON Lines : un Repository par ligne",
  "Every live repository, as a US code.json inventory": "Tous les dépôts vivants, en inventaire code.json (format de l’administration américaine)",
  'The code.gov metadata schema 2.0.0 (https://github.com/GSA/code-gov-data/blob/master/schemas/schema-2.0.0.json): {version, agency, measurementType, releases}, one release per live repository, streamed. usageType is "openSource"; licenses names the SPDX licence with its spdx.org URL (null when the forge found none); organization is the public body, else the owner; contact.email is "" (forges publish none), contact.URL the owner on its forge; laborHours is 0 (not measured); status "Archival" marks archived repositories; dates are YYYY-MM-DD.':
    "Le schéma de métadonnées code.gov 2.0.0 (https://github.com/GSA/code-gov-data/blob/master/schemas/schema-2.0.0.json) : {version, agency, measurementType, releases}, une entrée de releases par dépôt vivant, envoyé en flux. usageType vaut « openSource » ; licenses donne la licence SPDX avec son adresse sur spdx.org (null quand la forge n’en a trouvé aucune) ; organization est l’organisme public, à défaut le compte ; contact.email est vide (les forges n’en publient pas), contact.URL est le compte sur sa forge ; laborHours vaut 0 (non mesuré) ; status « Archival » signale les dépôts archivés ; les dates sont au format AAAA-MM-JJ.",
  "A code.json inventory": "Un inventaire code.json",
  // --- end issue 12 ---
  "Owners with their repository counts": "Les comptes avec leur nombre de dépôts",
  "repositories: most live repositories first (default); name: by host then login": "repositories : les plus fournis d’abord (par défaut) ; name : par hôte puis identifiant",
  "A page of owners": "Une page de comptes",
  "A parameter is invalid: reason invalid_parameter": "Un paramètre est invalide : reason invalid_parameter",
  "One owner": "Un compte",
  'The id is "<host>/<login>"; a GitLab login is the group\'s full path and contains slashes, written as they are: /api/v1/owners/gitlab.com/group/subgroup. Case-insensitive. Its repositories: /api/v1/repositories?owner=<id>.':
    "L’identifiant est « <hôte>/<identifiant> » ; pour GitLab, l’identifiant est le chemin complet du groupe et contient des barres obliques, écrites telles quelles : /api/v1/owners/gitlab.com/groupe/sous-groupe. Sans distinction de casse. Ses dépôts : /api/v1/repositories?owner=<id>.",
  "<host>/<login>, slashes included": "<hôte>/<identifiant>, barres obliques comprises",
  "The owner": "Le compte",
  "No such owner: reason not_found": "Aucun compte de ce nom : reason not_found",
  "Totals and counts by language, licence, forge, public body and owner": "Totaux et répartitions par langage, licence, forge, organisme public et compte",
  "Statistics of the live catalogue": "Statistiques du catalogue vivant",
  // --- issue 9: POST /publiccode/validate ---
  "Validate a publiccode.yml": "Valider un fichier publiccode.yml",
  [`The body is the content of a publiccode.yml (Content-Type text/yaml or application/yaml, at most ${publiccodeMaxBytes} bytes). It is validated as the reference validator (italia/publiccode-parser-go) does offline, for the versions it accepts ("0", 0.2 to 0.5 and 0.7 with their patch forms): required keys, types, enumerations, lengths, SPDX licence expressions, languages, countries, dates, URL syntax (no URL is fetched), unknown keys (errors) and deprecated keys (warnings). Relative logo and screenshot paths are checked for their form only, the files being out of reach. Each issue names its key path (description.en.shortDescription, maintenance.contractors[0].until) and its line and column in the body, 1-based (null for an issue about the whole file). The answer is 200 whether the file is valid or not; nothing is stored.`]:
    `Le corps de la requête est le contenu d’un publiccode.yml (Content-Type text/yaml ou application/yaml, ${publiccodeMaxBytes} octets au plus). Il est validé comme le fait hors ligne le validateur de référence (italia/publiccode-parser-go), pour les versions qu’il accepte (« 0 », 0.2 à 0.5 et 0.7, avec leurs versions correctives) : clés obligatoires, types, valeurs énumérées, longueurs, expressions de licence SPDX, langues, pays, dates, syntaxe des adresses (aucune adresse n’est consultée), clés inconnues (erreurs) et clés obsolètes (avertissements). Les chemins relatifs du logo et des captures d’écran ne sont vérifiés que dans leur forme, les fichiers étant hors d’atteinte. Chaque problème donne le chemin de sa clé (description.en.shortDescription, maintenance.contractors[0].until) et sa ligne et sa colonne dans le corps, à partir de 1 (null pour un problème qui concerne tout le fichier). La réponse est 200 que le fichier soit valide ou non ; rien n’est enregistré.`,
  "The validation result": "Le résultat de la validation",
  "empty_body: no body": "empty_body : corps de requête vide",
  "payload_too_large: more than 1 MB": "payload_too_large : plus de 1 Mo",
  "unsupported_media_type: the body is not sent as text/yaml or application/yaml": "unsupported_media_type : le corps n’est pas envoyé en text/yaml ni en application/yaml",
  // --- end issue 9 ---
  // --- issue 8: GET /status ---
  "Harvest status: per forge host and per account of the current sources": "État de la collecte : par hôte de forge et par compte des sources actuelles",
  "Only the accounts of the current sources count: an account dropped from them no longer shows as failing; skipped accounts are listed with the sources' reason (unsupported_forge, ignored). Hosts come most failing first; accounts failures first, then skipped, pending (not harvested yet) and ok. The account list is filtered and paginated; hosts are always complete.":
    "Seuls les comptes des sources actuelles comptent : un compte retiré des sources n’apparaît plus en échec ; les comptes ignorés sont listés avec le motif donné par les sources (unsupported_forge, ignored). Les hôtes qui ont le plus d’échecs viennent en premier ; parmi les comptes, ceux en échec d’abord, puis les ignorés, ceux en attente (pas encore collectés) et ceux collectés sans erreur. La liste des comptes est filtrée et paginée ; celle des hôtes est toujours complète.",
  "Accounts of this forge host only.": "Seulement les comptes de cet hôte de forge.",
  "Accounts whose last result is this one.": "Les comptes dont le dernier résultat est celui-ci.",
  "Accounts whose last result has this reason.": "Les comptes dont le dernier résultat a ce motif.",
  "Words found in the host, login, reason or message (case-insensitive).": "Mots cherchés dans l’hôte, l’identifiant, le motif ou le message (sans distinction de casse).",
  "The status": "L’état de la collecte",
  "Invalid parameter": "Paramètre invalide",
  // --- end issue 8 ---
  "This description (OpenAPI 3.1)": "Cette description (OpenAPI 3.1)",
  "OpenAPI document": "Document OpenAPI",
  "<host>/<full_name>, e.g. github.com/etalab/udata": "<hôte>/<nom complet>, par exemple github.com/etalab/udata",
  "Forge software: github, gitlab...": "Logiciel de la forge : github, gitlab…",
  "Login of the owner; for GitLab, the full path of the group": "Identifiant du compte ; pour GitLab, le chemin complet du groupe",
  "Main language as the forge detects it": "Langage principal, tel que la forge le détecte",
  'SPDX id; "other" when the forge found a licence it cannot name; null when none': "Identifiant SPDX ; « other » quand la forge a trouvé une licence qu’elle ne sait pas nommer ; null sans licence",
  "First harvest that saw it": "Première collecte qui l’a vu",
  "Last harvest that saw it": "Dernière collecte qui l’a vu",
  "The pso_id of the owner in the sources (lannuaire.service-public.fr)": "Le pso_id du compte dans les sources (lannuaire.service-public.fr)",
  "The body's name, when data/public-bodies.yml lists it": "Le nom de l’organisme, quand data/public-bodies.yml le connaît",
  "The value to pass to the filter of the same name": "La valeur à donner au filtre du même nom",
  "Human name, for owners (their name) and public bodies (the body's name), when known": "Nom lisible, pour les comptes (leur nom) et les organismes publics (le nom de l’organisme), quand il est connu",
  "Repositories matching q and every filter": "Dépôts qui répondent à q et à chaque filtre",
  "true when q has text but not one searchable word (only emoji, a script the index does not cover, only stop words): nothing was searched, total is 0 and the facets are empty":
    "true quand q a du texte mais aucun mot cherchable (seulement des émojis, une écriture que l’index ne couvre pas, seulement des mots vides) : rien n’a été cherché, total vaut 0 et les facettes sont vides",
  "<host>/<login>": "<hôte>/<identifiant>",
  "GitHub login, or GitLab full path of the group (may contain slashes)": "Identifiant GitHub, ou chemin complet du groupe GitLab (peut contenir des barres obliques)",
  "null for a namespace known only through its repositories": "null pour un espace de noms connu seulement par ses dépôts",
  "pso_id: the body's id in the French public-sector directory (lannuaire.service-public.fr)": "pso_id : l’identifiant de l’organisme dans l’Annuaire de l’administration (lannuaire.service-public.fr)",
  "Live repositories": "Dépôts vivants",
  "null: repositories without a value": "null : les dépôts sans valeur",
  "Owners with at least one live repository": "Comptes ayant au moins un dépôt vivant",
  "By host": "Par hôte",
  "The 100 owners with the most live repositories; value is the owner id": "Les 100 comptes qui ont le plus de dépôts vivants ; value est l’identifiant du compte",
  "Human-readable message": "Message lisible",
  "Stable machine code": "Code stable, pour les programmes",
  // --- issue 9: schemas of the publiccode.yml validation ---
  'Key path, as the reference validator names it: "legal.license", "description.en.shortDescription", "categories[0]"; "" for the whole file (YAML syntax, encoding)':
    "Chemin de la clé, tel que le validateur de référence le nomme : « legal.license », « description.en.shortDescription », « categories[0] » ; \"\" pour tout le fichier (syntaxe YAML, encodage)",
  "1-based line of the key or item, null when the file has none to point at": "Ligne de la clé ou de l’élément, à partir de 1 ; null quand le fichier n’en a aucune à désigner",
  "1-based column": "Colonne, à partir de 1",
  "true when there is no error (warnings allowed)": "true quand il n’y a aucune erreur (les avertissements sont admis)",
  "publiccodeYmlVersion as written, when readable": "publiccodeYmlVersion tel qu’écrit, quand il est lisible",
  "Deprecated keys, lower-case country codes, versions older than 0.7": "Clés obsolètes, codes de pays en minuscules, versions antérieures à 0.7",
  "The parsed YAML, when it is a mapping": "Le YAML analysé, quand c’est un dictionnaire",
  // --- end issue 9 ---
  // --- issue 8: schemas of the harvest status ---
  "github, gitlab, gitea, forgejo, gogs, or a type not supported yet": "github, gitlab, gitea, forgejo, gogs, ou un type pas encore pris en charge",
  "Accounts of the host in the sources": "Comptes de l’hôte dans les sources",
  "In the sources, not harvested yet": "Dans les sources, pas encore collectés",
  "Latest complete harvest of an account of the host": "Dernière collecte complète d’un compte de l’hôte",
  "Failing accounts by reason": "Comptes en échec, par motif",
  "Requests retried after a transient failure (5xx, 408, timeout, dropped connection) in the accounts' last runs": "Requêtes relancées après un échec passager (5xx, 408, délai dépassé, connexion coupée) lors des dernières collectes des comptes",
  "Waits for a rate limit in the accounts' last runs": "Attentes de quota (limite de débit de la forge) lors des dernières collectes des comptes",
  '"" for a whole instance': "\"\" pour une instance entière",
  "Stable code: not_found, unauthorized, rate_limited, server_error, timeout, network_error, invalid_response, unsupported, interrupted, internal_error; for a skipped account unsupported_forge or ignored":
    "Code stable : not_found, unauthorized, rate_limited, server_error, timeout, network_error, invalid_response, unsupported, interrupted, internal_error ; pour un compte ignoré, unsupported_forge ou ignored",
  "What the forge or the harvester said": "Ce qu’a répondu la forge ou le collecteur",
  "Attempts in its last run: 2 when the run's second pass tried it again after a transient failure; 0 when never harvested": "Tentatives lors de sa dernière collecte : 2 quand le second passage l’a retenté après un échec passager ; 0 s’il n’a jamais été collecté",
  "The first attempt's reason, when there were two": "Le motif de la première tentative, quand il y en a eu deux",
  "Requests retried in its last run": "Requêtes relancées lors de sa dernière collecte",
  "Repositories seen by its last run": "Dépôts vus par sa dernière collecte",
  "Its repositories in the catalogue now": "Ses dépôts actuellement dans le catalogue",
  "sources: the accounts of the current sources; history: every account ever harvested (the server has no sources file at hand)": "sources : les comptes des sources actuelles ; history : tous les comptes jamais collectés (le serveur n’a pas de fichier de sources sous la main)",
  // --- end issue 8 ---
  // --- issue 9: repository profiles in the API ---
  [`publiccode.yml category. ${severalEn}`]: `Catégorie du publiccode.yml. ${several}`,
  [`publiccode.yml developmentStatus: concept, development, beta, stable, obsolete. ${severalEn}`]: `developmentStatus du publiccode.yml : concept, development, beta, stable, obsolete. ${several}`,
  [`publiccode.yml softwareType. ${severalEn}`]: `softwareType du publiccode.yml. ${several}`,
  "true: a valid publiccode.yml; false: a publiccode.yml with errors (repositories without one match neither).":
    "true : un publiccode.yml valide ; false : un publiccode.yml en erreur (les dépôts qui n’en ont pas ne correspondent à aucun des deux).",
  "true: repositories with a publiccode.yml; false: without.": "true : les dépôts qui ont un publiccode.yml ; false : ceux qui n’en ont pas.",
  "A publiccode.yml (or publiccode.yaml) at the root of the default branch; false until the repository's files are read":
    "Un publiccode.yml (ou publiccode.yaml) à la racine de la branche par défaut ; false tant que les fichiers du dépôt n’ont pas été lus",
  "Whether that publiccode.yml is valid; null without one": "Si ce publiccode.yml est valide ; null sans publiccode.yml",
  "Files over 1 MB, not read": "Fichiers de plus de 1 Mo, non lus",
  "The README at the root of the default branch: its name, a plain-text excerpt and the HTML rendered from it (sanitised: no script, no image, no style; links http(s) and mailto only). null when there is none or it has not been read":
    "Le README à la racine de la branche par défaut : son nom, un extrait en texte brut et le HTML qui en est tiré (assaini : ni script, ni image, ni style ; liens http(s) et mailto seulement). null quand il n’y en a pas ou qu’il n’a pas été lu",
  "The latest release, else (GitLab) the latest tag": "La dernière version publiée, sinon (GitLab) la dernière étiquette",
  "The name of each community file found at the root, or null; the whole object is null until the files are read":
    "Le nom de chaque fichier communautaire trouvé à la racine, ou null ; l’objet entier est null tant que les fichiers n’ont pas été lus",
  "The publiccode.yml: the parsed document, the validator's errors and warnings. null without one":
    "Le publiccode.yml : le document analysé, les erreurs et avertissements du validateur. null sans publiccode.yml",
  "The repository, with its profile: README, publiccode.yml, community files, latest release, checks":
    "Le dépôt, avec son profil : README, publiccode.yml, fichiers communautaires, dernière version, points à corriger",
  "What the publisher should fix, most serious first": "Ce que l’éditeur devrait corriger, le plus grave d’abord",
  "When the repository's files were last read, and why the last attempt failed if it did (the previous profile is then kept)":
    "Quand les fichiers du dépôt ont été lus pour la dernière fois, et pourquoi la dernière tentative a échoué le cas échéant (le profil précédent est alors gardé)",
  // --- end issue 9 ---
  // --- issue 12 after issue 9: GET /publiccode.jsonl ---
  "The valid publiccode.yml files of the live repositories a search selects, as JSON Lines":
    "Les fichiers publiccode.yml valides des dépôts vivants qu’une recherche retient, en JSON Lines",
  'One JSON object a line (https://jsonlines.org), streamed: {"id": "<host>/<full_name>", "url": the repository on its forge, "catalogue_url": its page in the catalogue, "publiccode": the parsed publiccode.yml (https://yml.publiccode.tools)}. Only repositories whose publiccode.yml is valid; an invalid file shows in the repository\'s record (GET /repositories/{id}) with its errors. Without parameters: every such repository, ordered by host then full name; with q, filters or sort: those of that search, in its order. The ETag changes when the catalogue or a profile changes.':
    'Un objet JSON par ligne (https://jsonlines.org), envoyé au fil de l’eau : {"id": "<hôte>/<full_name>", "url" : le dépôt sur sa forge, "catalogue_url" : sa page dans le catalogue, "publiccode" : le publiccode.yml lu (https://yml.publiccode.tools)}. Seuls les dépôts dont le publiccode.yml est valide y figurent ; un fichier invalide apparaît avec ses erreurs dans la fiche du dépôt (GET /repositories/{id}). Sans paramètre : tous ces dépôts, par hôte puis nom complet ; avec q, des filtres ou sort : ceux de cette recherche, dans son ordre. L’ETag change quand le catalogue ou un profil change.',
  "JSON Lines: one publiccode.yml document a line, with its repository": "JSON Lines : un document publiccode.yml par ligne, avec son dépôt",
  // --- end GET /publiccode.jsonl ---
  // --- Texts of issues 8, 9 and 12 that had no French yet (h17; drop this block if another branch translated them) ---
  // --- end of the texts of issues 8, 9 and 12 ---
};

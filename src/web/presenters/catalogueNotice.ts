// What an empty catalogue tells its reader: the truth about the harvest rather
// than "the first harvest may be in progress" after three failed runs, or
// "check your spelling" for a search in a catalogue with nothing in it.
import type { listRuns } from "../../store/runs.ts";
import type { MessageKey, Translator } from "../i18n/index.ts";
import { describeCron } from "./schedule.ts";

type RunRow = ReturnType<typeof listRuns>[number];

export interface CatalogueNotice {
  kind: "running" | "failed" | "interrupted" | "nothingPublished" | "noAccounts" | "neverHarvested";
  /** "warning" when something went wrong, "info" otherwise (the DSFR alert type). */
  severity: "warning" | "info";
  title: string;
  text: string;
  /** The sentence about the schedule: when the next harvest comes. */
  schedule: string;
  statusHref: string;
}

/** "La collecte est planifiée chaque jour à 3 h 17 (heure du serveur)." or the on-demand sentence. */
export function scheduleSentence(harvestCron: string, i18n: Translator): string {
  if (!harvestCron) return i18n.t("schedule.manual");
  const words = describeCron(harvestCron, i18n.locale);
  return words ? i18n.t("schedule.words", { schedule: words }) : i18n.t("schedule.cron", { cron: harvestCron });
}

/** The notice of an empty catalogue, from the latest harvest run (undefined: none yet). */
export function catalogueNotice(latest: RunRow | undefined, harvestCron: string, i18n: Translator): CatalogueNotice {
  const schedule = scheduleSentence(harvestCron, i18n);
  const notice = (kind: CatalogueNotice["kind"], severity: CatalogueNotice["severity"], params: Record<string, string | number> = {}): CatalogueNotice => ({
    kind,
    severity,
    title: i18n.t(`empty.${kind}.title` as MessageKey, params),
    text: i18n.t(`empty.${kind}.text` as MessageKey, params),
    schedule,
    statusHref: latest ? `/status` : "/status",
  });
  if (!latest) return notice("neverHarvested", "info");
  const date = i18n.dateTime(latest.finishedAt ?? latest.startedAt);
  if (latest.status === "running") return notice("running", "info", { date: i18n.dateTime(latest.startedAt) });
  if (latest.status === "interrupted") return notice("interrupted", "warning", { date });
  if (latest.accountsTotal === 0) return notice("noAccounts", latest.status === "failed" ? "warning" : "info", { date });
  if (latest.accountsFailed > 0 || latest.status === "failed") {
    return notice("failed", "warning", { date, count: latest.accountsFailed, total: latest.accountsTotal });
  }
  return notice("nothingPublished", "info", { date, count: latest.accountsTotal });
}

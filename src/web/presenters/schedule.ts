// The harvest's cron expression in words, for the home and about pages: "every
// day at 03:17" says what "17 3 * * *" means, and stays true when an operator
// changes HARVEST_CRON (the pages used to say "every night" whatever it was).
import type { Locale } from "../i18n/index.ts";

const dayNames: Record<Locale, string[]> = {
  fr: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

/** A list of small whole numbers ("3", "3,15", "1-5"), or null for anything else (steps, names, "*"). */
function numbers(field: string, min: number, max: number): number[] | null {
  const out: number[] = [];
  for (const part of field.split(",")) {
    const range = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(part);
    if (!range) return null;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (from < min || to > max || to < from) return null;
    for (let value = from; value <= to; value++) out.push(value);
  }
  return out.length > 0 && out.length <= 24 ? out : null;
}

function joinList(items: string[], locale: Locale): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${locale === "fr" ? "et" : "and"} ${items.at(-1)}`;
}

const pad = (value: number) => String(value).padStart(2, "0");

/**
 * The schedule in words ("chaque jour à 03:17", "every Monday at 03:17",
 * "every 6 hours"), or null when the expression is one this function does not
 * put into words (the caller then shows the expression itself).
 */
export function describeCron(expression: string, locale: Locale): string | null {
  let fields = expression.trim().split(/\s+/);
  // node-cron takes an optional leading seconds field.
  if (fields.length === 6) {
    if (!/^\d{1,2}$/.test(fields[0]!)) return null;
    fields = fields.slice(1);
  }
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const fr = locale === "fr";
  if (month !== "*") return null;

  // Every n minutes / hours.
  const everyMinutes = /^\*\/(\d{1,2})$/.exec(minute);
  if (everyMinutes && hour === "*" && dayOfMonth === "*" && dayOfWeek === "*") {
    const n = Number(everyMinutes[1]);
    return fr ? `toutes les ${n} minutes` : `every ${n} minutes`;
  }
  const minutes = numbers(minute, 0, 59);
  if (!minutes || minutes.length !== 1) return null;
  const m = minutes[0]!;
  if (hour === "*" && dayOfMonth === "*" && dayOfWeek === "*") {
    return fr ? `toutes les heures, à la minute ${m}` : `every hour, at minute ${m}`;
  }
  const everyHours = /^\*\/(\d{1,2})$/.exec(hour);
  if (everyHours && dayOfMonth === "*" && dayOfWeek === "*") {
    const n = Number(everyHours[1]);
    return fr ? `toutes les ${n} heures, à la minute ${m}` : `every ${n} hours, at minute ${m}`;
  }
  const hours = numbers(hour, 0, 23);
  if (!hours) return null;
  const times = joinList(hours.map((h) => (fr ? `${h} h ${pad(m)}` : `${pad(h)}:${pad(m)}`)), locale);
  const at = fr ? `à ${times}` : `at ${times}`;
  if (dayOfMonth === "*" && dayOfWeek === "*") return fr ? `chaque jour ${at}` : `every day ${at}`;
  if (dayOfMonth === "*") {
    const days = numbers(dayOfWeek.replace(/\b7\b/g, "0"), 0, 6);
    if (!days) return null;
    const names = joinList(days.map((day) => dayNames[locale][day]!), locale);
    return fr ? `chaque ${names} ${at}` : `every ${names} ${at}`;
  }
  if (dayOfWeek === "*") {
    const days = numbers(dayOfMonth, 1, 31);
    if (!days) return null;
    const list = joinList(days.map(String), locale);
    return fr ? `le ${list} de chaque mois ${at}` : `on day ${list} of each month ${at}`;
  }
  return null;
}

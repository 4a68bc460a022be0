// Harvesting part of the sources now (issue 8, "one account on demand"): one
// account, or every account of one host, through the same run as a full
// harvest (lock, run log, summary, exit codes).
import type { HarvestPlan } from "../sources/sources.ts";

export interface HarvestSelection {
  /** Accounts by host and login (case-insensitive); a login "" means a whole instance. */
  accounts?: Array<{ host: string; login: string }>;
  /** Every account of these hosts. */
  hosts?: string[];
}

/** Something selected that the sources do not list: nothing would be harvested for it. */
export class SelectionError extends Error {
  override name = "SelectionError";
  readonly reason = "not_in_sources";
}

const key = (host: string, login: string) => `${host.toLowerCase()}/${login.toLowerCase()}`;

/** The part of `plan` that `selection` names; throws SelectionError when it names what the plan does not have. */
export function selectFromPlan(plan: HarvestPlan, selection: HarvestSelection): HarvestPlan {
  const hosts = new Set((selection.hosts ?? []).map((host) => host.toLowerCase()));
  const accounts = new Set((selection.accounts ?? []).map((a) => key(a.host, a.login)));
  const picked = (host: string, login: string) => hosts.has(host.toLowerCase()) || accounts.has(key(host, login));
  const result: HarvestPlan = {
    accounts: plan.accounts.filter((a) => picked(a.forge.host, a.login)),
    skipped: plan.skipped.filter((s) => picked(s.host, s.login)),
  };
  const found = new Set([...result.accounts.map((a) => key(a.forge.host, a.login)), ...result.skipped.map((s) => key(s.host, s.login))]);
  const foundHosts = new Set([...found].map((k) => k.slice(0, k.indexOf("/"))));
  const missing = [
    ...[...hosts].filter((host) => !foundHosts.has(host)).map((host) => `forge ${host}`),
    ...(selection.accounts ?? []).filter((a) => !found.has(key(a.host, a.login))).map((a) => `account ${a.login ? `${a.host}/${a.login}` : `${a.host} (whole instance)`}`),
  ];
  if (missing.length > 0) throw new SelectionError(`not in the sources: ${missing.join(", ")}`);
  return result;
}

/** Parses "host/login" (login may hold slashes: GitLab subgroups); "host" alone is the whole instance. */
export function parseAccountArgument(value: string): { host: string; login: string } | null {
  const text = value.trim().replace(/^https?:\/\//i, "").replace(/\/+$/, "");
  const slash = text.indexOf("/");
  const host = (slash < 0 ? text : text.slice(0, slash)).toLowerCase();
  const login = slash < 0 ? "" : text.slice(slash + 1);
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$/.test(host) || /[\s?#]/.test(login)) return null;
  return { host, login };
}

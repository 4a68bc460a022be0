// The query of the status page and of GET /api/v1/status: filters on the
// per-account list (host, result, reason, words) and its page. Bad values are
// a 400 with a reason, never a 500.
import { accountStates, type AccountFilter, type AccountState } from "../harvest/statusReport.ts";
import { HttpError } from "./errors.ts";

export const statusQueryParameters = ["host", "status", "reason", "q", "page", "per_page"] as const;

export interface StatusQuery {
  filter: AccountFilter;
  page: number;
  perPage: number;
}

type Query = Record<string, unknown>;

function text(query: Query, name: string, maxLength: number): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === "") return undefined;
  if (typeof raw !== "string") throw new HttpError(400, "invalid_parameter", `${name} must be given once`);
  if (raw.length > maxLength) throw new HttpError(400, "invalid_parameter", `${name} is longer than ${maxLength} characters`);
  return raw.trim() || undefined;
}

function whole(query: Query, name: string, fallback: number, max: number): number {
  const raw = text(query, name, 10);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new HttpError(400, "invalid_parameter", `${name} must be a whole number between 1 and ${max}`);
  return Number(raw);
}

export function parseStatusQuery(query: Query, defaultPerPage: number, maxPerPage: number): StatusQuery {
  const status = text(query, "status", 20);
  if (status !== undefined && !(accountStates as readonly string[]).includes(status)) {
    throw new HttpError(400, "invalid_parameter", `status must be one of ${accountStates.join(", ")}`);
  }
  const reason = text(query, "reason", 50);
  if (reason !== undefined && !/^[a-z_]+$/.test(reason)) throw new HttpError(400, "invalid_parameter", "reason must be a reason code such as not_found");
  return {
    filter: {
      host: text(query, "host", 300)?.toLowerCase(),
      status: status as AccountState | undefined,
      reason,
      q: text(query, "q", 200),
    },
    page: whole(query, "page", 1, 100_000),
    perPage: whole(query, "per_page", defaultPerPage, maxPerPage),
  };
}

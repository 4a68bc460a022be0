// Declarations as the pages show them (issue 11): labels in the reader's
// language, what to do next, which actions apply.
import { challengeName } from "../../declarations/service.ts";
import type { DeclarationError, DeclarationInput } from "../../declarations/types.ts";
import type { PublicBodyDirectory } from "../../sources/publicBodies.ts";
import type { AuditEntry, DeclarationEventRow, DeclarationRow } from "../../store/declarations.ts";
import type { MessageKey, Translator } from "../i18n/index.ts";
import { ownerPath } from "../urls.ts";

const badges: Record<string, string> = { pending: "fr-badge--info", verified: "fr-badge--new", approved: "fr-badge--success", rejected: "fr-badge--error", withdrawn: "" };

export function accountLabel(i18n: Translator, host: string, login: string): string {
  return login ? `${host}/${login}` : i18n.t("declarations.wholeInstance", { host });
}

export function bodyLabel(i18n: Translator, directory: PublicBodyDirectory, row: Pick<DeclarationRow, "psoId" | "siret" | "bodyName">): string {
  if (row.psoId) return directory.body(row.psoId)?.name ?? row.psoId;
  if (row.siret) return i18n.t("declarations.siretValue", { siret: row.siret });
  return row.bodyName ?? "";
}

export function toDeclarationView(row: DeclarationRow, i18n: Translator, directory: PublicBodyDirectory, now: Date) {
  const expired = row.tokenExpiresAt <= now.toISOString();
  const pending = row.status === "pending";
  return {
    id: row.id,
    href: `/declarations/${row.id}`,
    account: accountLabel(i18n, row.host, row.login),
    host: row.host,
    login: row.login,
    wholeInstance: row.login === "",
    kind: i18n.t(`declarations.kind.${row.accountKind}` as MessageKey),
    name: row.accountName,
    publicRepositories: row.publicRepositories === null ? i18n.t("declarations.unknownCount") : i18n.number(row.publicRepositories),
    // The moderation page's phrase, with its plural form ("1 dépôt public").
    publicRepositoriesPhrase: row.publicRepositories === null ? i18n.t("moderation.repositoriesUnknown") : i18n.t("moderation.repositories", { count: row.publicRepositories }),
    body: bodyLabel(i18n, directory, row),
    contact: row.contact,
    status: row.status,
    statusLabel: i18n.t(`declarations.status.${row.status}` as MessageKey),
    badge: badges[row.status] ?? "",
    challenge: challengeName(row),
    tokenExpiresAt: i18n.dateTime(row.tokenExpiresAt),
    tokenExpired: expired,
    pending,
    verified: row.verifiedAt !== null,
    verifiedAt: i18n.dateTime(row.verifiedAt),
    declarer: [row.declarerName, row.declarerEmail].filter(Boolean).join(" – "),
    createdAt: i18n.dateTime(row.createdAt),
    decidedAt: i18n.dateTime(row.decidedAt),
    decidedBy: row.decidedBy,
    reason: row.reason,
    ownerHref: row.status === "approved" && row.login ? ownerPath(row.host, row.login) : null,
    canVerify: pending && !expired,
    canRenew: pending,
    canWithdraw: ["pending", "verified", "approved"].includes(row.status),
    canDecide: row.status === "verified",
    canReject: pending || row.status === "verified",
  };
}

export function toEventView(event: DeclarationEventRow | AuditEntry, i18n: Translator) {
  return {
    action: i18n.t(`declarations.action.${event.action}` as MessageKey),
    actor: event.actorEmail ?? event.actorSubject,
    at: i18n.dateTime(event.at),
    detail: event.detail,
    ...("host" in event ? { account: accountLabel(i18n, event.host, event.login), href: `/declarations/${event.declarationId}` } : {}),
  };
}

/** A DeclarationError in the reader's language: the overall message and one per field. */
export function toProblemView(error: DeclarationError, i18n: Translator) {
  const fields: Record<string, string> = {};
  for (const problem of error.extra.fields ?? []) fields[problem.field] ??= i18n.t(`declarations.error.${problem.reason}` as MessageKey);
  return {
    message: i18n.t(`declarations.error.${error.reason}` as MessageKey),
    detail: error.reason === "forge_error" || error.reason === "forge_unreachable" ? error.message : null,
    link: error.extra.link ?? null,
    fields,
    list: (error.extra.fields ?? []).map((problem) => ({ field: problem.field, message: fields[problem.field] })),
  };
}

/** The form's fields from a posted body: every value kept as typed (bounded), nothing lost. */
export function readDeclarationInput(body: unknown): DeclarationInput {
  const form = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string).slice(0, 1000) : "");
  return {
    host: text("host"),
    forge: text("forge"),
    api: text("api"),
    account: text("account"),
    wholeInstance: form.whole_instance === "1" || form.whole_instance === "on",
    publicBody: text("public_body"),
    contact: text("contact"),
  };
}
